// A canary value goes through both bundles with every debug switch on, on the success path and on
// both failure paths. It may appear only inside the mask registrations, and those come first.
import { readFileSync } from 'node:fs';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES, type Harness, type PushRun } from '../helpers/harness.js';

const CANARY =
  'Cän4ry%AZP25;]::add-mask::nope "q" \'s\' ##vso[task.setvariable variable=pwn]x\r\nsecond-line ünï ✓ %0A;]\nthird::line ##vso[task.complete result=Succeeded]';
const LINES = CANARY.split(/\r\n|\r|\n/).map((l) => l.trim());
// The raw value and its lines, and the same as the two command protocols escape them (a platform
// unescapes a command's data before it shows it, so an escaped copy is a leak too).
const PIECES = [CANARY, ...LINES].flatMap((p) => [p, p.replace(/%/g, '%25'), p.replace(/%/g, '%AZP25')]);

function isMaskLine(platform: Harness['platform'], line: string): boolean {
  return platform === 'github' ? line.startsWith('::add-mask::') : line.startsWith('##vso[task.setsecret]');
}

/** Every line that is not a mask registration must be free of the canary and of each of its lines. */
function assertNoLeak(h: Harness, run: PushRun): void {
  const lines = run.stdout.split(/\r?\n/);
  const offenders = [...lines.filter((l) => !isMaskLine(h.platform, l)), ...run.stderr.split(/\r?\n/)].filter((l) =>
    PIECES.some((p) => l.includes(p)),
  );
  expect(offenders).toEqual([]);
  for (const file of run.files) {
    const text = readFileSync(file, 'utf8');
    for (const p of PIECES) expect(text.includes(p)).toBe(false);
  }
  for (const value of [...Object.values(run.outputs), run.summary, run.failure]) {
    for (const p of PIECES) expect(value.includes(p)).toBe(false);
  }
  // Each line of the canary was registered, and every registration precedes anything the tool
  // itself prints (the task library's own start-up debug lines carry no value).
  for (const p of LINES) expect(run.masks).toContain(p);
  const lastMask = lines.map((l) => isMaskLine(h.platform, l)).lastIndexOf(true);
  const before = lines.slice(0, lastMask).filter((l) => !isMaskLine(h.platform, l));
  const libraryStartup = (l: string) => h.platform === 'azdo' && l.startsWith('##vso[task.debug]');
  expect(before.filter((l) => !libraryStartup(l))).toEqual([]);
}

describe.each(HARNESSES)('no value leaks through $label', ({ make }) => {
  let emu: Emulator;
  let h: Harness;
  beforeAll(async () => {
    emu = await startEmulator();
    h = make(emu.env);
  });
  afterAll(async () => emu?.stop());

  it('on success, with debug everywhere', async () => {
    const run = await h.push({
      inputs: {
        'vault-url': emu.vaultUrl,
        secrets: 'canary=CANARY',
        'secrets-json': JSON.stringify({ JSON_CANARY: CANARY }),
      },
      values: { CANARY },
      debug: true,
    });
    expect(run.failure).toBe('');
    expect(run.ok).toBe(true);
    expect(run.stdout).toMatch(/debug/); // the debug channel really was on
    assertNoLeak(h, run);
  });

  it('when a secret fails at the vault', async () => {
    await emu.configure({ secretRoles: { 'canary-denied': 'none' } });
    const run = await h.push({
      inputs: { 'vault-url': emu.vaultUrl, secrets: 'canary-denied=CANARY' },
      values: { CANARY },
      debug: true,
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toContain('canary-denied');
    assertNoLeak(h, run);
  });

  it('when the inputs are invalid', async () => {
    const run = await h.push({
      inputs: { 'vault-url': emu.vaultUrl, secrets: 'canary_bad!=CANARY\ncanary=CANARY\nCANARY' },
      values: { CANARY },
      debug: true,
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/secrets line 1\b/);
    assertNoLeak(h, run);
  });
});

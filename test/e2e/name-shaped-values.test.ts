// Values shaped like names (hf_…, ghp_…, AKIA…, hunter2) written where a variable's name belongs, through the real
// bundles: the GitHub Action and the Azure DevOps task on Node 20 and 24, and the CLI (push --secrets and set --env).
// Each is refused before any request; the problem names the input and the line; no form of the text the leak scanner
// knows appears anywhere but in a mask registration, and the message carries no piece of it at all.
import { readFileSync } from 'node:fs';
import { piecesFor } from '../../reliability/lib/check.js';
import { findPieces, isMaskLine } from '../../reliability/lib/scan.js';
import { NAME_SHAPED } from '../../reliability/lib/values.js';
import { NODE_RUNTIMES, runCli, type ProcessRun } from '../helpers/bundles.js';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES } from '../helpers/harness.js';

/** A held value: the text after '=' is the value of HF_TOKEN, as when a person pastes the token itself. */
const HELD = 'hf_AbCd1234567';
const PASTED = NAME_SHAPED.filter((v) => v !== HELD);
const SECRETS = [`hf-token=${HELD}`, ...PASTED.map((v, i) => (i % 2 === 0 ? v : `pasted-${i}=${v}`))];
const VALUES = { HF_TOKEN: HELD, DB_PASSWORD: 'name-shaped-db-9Kx' };
const TEXTS = [HELD, ...PASTED];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => emu?.stop());
beforeEach(async () => emu.clearRequests());

/** Each text in every form the leak scanner looks for (raw, JSON, URL, command-escaped, base64). */
const pieces = piecesFor(Object.fromEntries(TEXTS.map((v, i) => [`text-${i}`, { variable: `T${i}`, value: v }])));

/** The failure message: not the text, nor a 4-character piece of it, nor its shortened display, in any case. */
function expectCleanMessage(message: string): void {
  const lower = message.toLowerCase();
  const carried = TEXTS.filter((t) => {
    for (let i = 0; i + 4 <= t.length; i++) if (lower.includes(t.slice(i, i + 4).toLowerCase())) return true;
    return false;
  });
  expect(carried).toEqual([]);
}

function expectProblemsByLine(message: string, label: string, kind: string): void {
  SECRETS.forEach((_, i) => expect(message).toContain(`${label} line ${i + 1}: no ${kind} of that name is set`));
  expect(message).not.toContain('did you mean');
}

describe.each(HARNESSES)('$label', ({ make }) => {
  it('refuses name-shaped values in secrets, before any request, repeating none', async () => {
    const h = make(emu.env);
    const run = await h.push({
      inputs: { 'vault-url': emu.vaultUrl, secrets: SECRETS.join('\n') },
      values: VALUES,
      debug: true,
    });
    expect(run.ok).toBe(false);
    expect(await emu.requests()).toEqual([]);
    expectProblemsByLine(
      run.failure,
      'secrets',
      h.platform === 'github' ? 'environment variable' : 'pipeline variable',
    );
    expectCleanMessage(run.failure);
    expectCleanMessage(run.summary);
    expectCleanMessage(JSON.stringify(run.outputs));
    const stdout = run.stdout
      .split(/\r?\n/)
      .filter((l) => !isMaskLine(h.platform, l))
      .join('\n');
    const texts = [stdout, run.stderr, ...run.files.map((f) => readFileSync(f, 'utf8'))];
    expect(texts.flatMap((t, i) => findPieces(`text ${i}`, t, pieces))).toEqual([]);
  });

  it('suggests the set variable closest to a misspelt name', async () => {
    const h = make(emu.env);
    const run = await h.push({ inputs: { 'vault-url': emu.vaultUrl, secrets: 'db=DB_PASWORD' }, values: VALUES });
    expect(run.ok).toBe(false);
    expect(await emu.requests()).toEqual([]);
    expect(run.failure).toMatch(/secrets line 1: no .* of that name is set .*; did you mean DB_PASSWORD\?/);
  });
});

describe.each(NODE_RUNTIMES)('the CLI on $label', (node) => {
  const cli = (args: string[]): Promise<ProcessRun> =>
    runCli(node.path, args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...VALUES });

  it('refuses name-shaped values in --secrets, before any request, repeating none', async () => {
    const run = await cli(['--vault-url', emu.vaultUrl, ...SECRETS.flatMap((s) => ['--secrets', s])]);
    expect(run.code).toBe(1);
    expect(await emu.requests()).toEqual([]);
    expectProblemsByLine(run.stderr, '--secrets', 'environment variable');
    expectCleanMessage(run.stderr);
    expect([...findPieces('stdout', run.stdout, pieces), ...findPieces('stderr', run.stderr, pieces)]).toEqual([]);
  });

  it('suggests the set variable closest to a misspelt --env', async () => {
    const run = await cli(['set', 'db', '--vault-url', emu.vaultUrl, '--env', 'DB_PASWORD']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('did you mean DB_PASSWORD?');
  });

  it.each(TEXTS)('refuses set --env %s, before any request, repeating none', async (text) => {
    const run = await cli(['set', 'pasted', '--vault-url', emu.vaultUrl, '--env', text]);
    expect(run.code).toBe(1);
    expect(await emu.requests()).toEqual([]);
    // a.b.c.d is no environment variable name at all (no dots there): refused as such.
    expect(run.stderr).toMatch(/--env: (names no environment variable that is set|not an environment variable name)/);
    expect(run.stderr).not.toContain('did you mean');
    expectCleanMessage(run.stderr);
    expect([...findPieces('stdout', run.stdout, pieces), ...findPieces('stderr', run.stderr, pieces)]).toEqual([]);
  });
});

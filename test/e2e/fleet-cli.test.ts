// The CLI over several targets: JSON on stdout per vault, one vault behind a firewall failing alone, `list` (a table,
// or JSON with --json) with owners and never a value, prune by owner scope, expiry warnings, progress lines on a
// pipe, and bad target lines refused before any request.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { runCli, type ProcessRun } from '../helpers/bundles.js';
import { vaultClient } from '../helpers/vault-client.js';

const SUB1 = '11111111-2222-4333-8444-555555555501';
const SUB2 = '11111111-2222-4333-8444-555555555502';
const WS = [`${SUB1}/rg/ws1`, `${SUB1}/rg/ws2`, `${SUB2}/rg/ws3`];
const VALUES = { ALPHA: 'alpha-cli-value-1', BRAVO: 'bravo-cli-value-2' };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(WS.flatMap((w) => ['--workspace', w]));
});
afterAll(async () => emu?.stop());
beforeEach(async () => {
  await emu.configure({ firewall: 'allow', latencyMs: 0 });
  await emu.clearRequests();
});

const url = (i: number) => emu.workspaces[WS[i]!]!.vaultUrl.replace(/\/$/, '');
const targetFlags = () => [
  ...WS.flatMap((w) => ['--targets', w]),
  '--resource-manager-endpoint',
  emu.armUrl,
  '--owner',
  'dev/laptop',
];

/** Runs the CLI bundle with its stderr on a pipe (not a terminal), as in a script. */
const cli = (args: string[]): Promise<ProcessRun> =>
  runCli(process.execPath, args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...VALUES });

function expectNoValue(run: ProcessRun): void {
  for (const v of Object.values(VALUES)) expect(run.stdout + run.stderr).not.toContain(v);
}

it('pushes to every workspace; the one behind a firewall fails alone, and the exit code says so', async () => {
  await emu.configure({ vault: 'kv-ws2', firewall: 'deny' });
  const run = await cli([...targetFlags(), '--secrets', 'ALPHA', '--secrets', 'BRAVO', '--json']);
  expect(run.code).toBe(1);
  const out = JSON.parse(run.stdout) as {
    'vault-url': string;
    failed: string[];
    results: Record<string, { created: string[]; failed: string[] }>;
  };
  expect(out['vault-url']).toBe([url(0), url(1), url(2)].join('\n'));
  expect(out.results[url(0)]!.created.sort()).toEqual(['ALPHA', 'BRAVO']);
  expect(out.results[url(1)]!.failed.sort()).toEqual(['ALPHA', 'BRAVO']);
  expect(out.results[url(2)]!.created.sort()).toEqual(['ALPHA', 'BRAVO']);
  expect(run.stderr).toMatch(new RegExp(`error: \\[${WS[1]}\\] ALPHA .*ForbiddenByFirewall`));
  expectNoValue(run);
});

it('a workspace that cannot be found fails alone; the others are pushed', async () => {
  const missing = `${SUB2}/rg/no-such-ws`;
  const run = await cli([...targetFlags(), '--targets', missing, '--secrets', 'found=ALPHA', '--json']);
  expect(run.code).toBe(1);
  const out = JSON.parse(run.stdout) as {
    failed: string[];
    results: Record<string, { created: string[]; error?: string }>;
  };
  expect(out.results[url(0)]!.created).toEqual(['found']);
  expect(out.results[url(2)]!.created).toEqual(['found']);
  expect(out.results[missing]!.error).toMatch(/workspace 'no-such-ws'.*was not found/);
  expect(out.failed).toEqual(['found']);
  expect(run.stderr).toMatch(new RegExp(`error: \\[${missing}\\] ${missing}: workspace 'no-such-ws'`));
});

it('list: a table on a terminal, JSON with --json; owners, never a value', async () => {
  await vaultClient(emu, url(0)).setSecret('by-hand', 'hand-value');
  await emu.clearRequests();
  const table = await cli(['list', ...targetFlags()]);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^ {2}NAME +ENABLED +UPDATED +EXPIRES +CONTENT-TYPE +OWNER$/m);
  expect(table.stdout).toMatch(/^ {2}ALPHA +enabled +\d{4}-\d\d-\d\d +- +- +ours$/m);
  expect(table.stdout).toMatch(/^ {2}by-hand +enabled +\S+ +- +- +unowned$/m);
  const json = await cli(['list', '--json', ...targetFlags(), '--owner-scope', 'other']);
  expect(json.code).toBe(0);
  const listing = JSON.parse(json.stdout) as { vaultUrl: string; secrets: { name: string; owner: string }[] }[];
  expect(listing.map((t) => t.vaultUrl)).toEqual([url(0), url(1), url(2)]);
  expect(listing[0]!.secrets.find((s) => s.name === 'ALPHA')?.owner).toBe('dev/laptop');
  expect(table.stdout + json.stdout).not.toContain('hand-value');
  expectNoValue(table);
  expect((await emu.requests('vault')).filter((q) => q.method !== 'GET')).toEqual([]);
});

it('prune: only this scope’s retired secret, after a dry run that shows it', async () => {
  const scoped = ['--owner-scope', 'cli'];
  expect((await cli([...targetFlags(), ...scoped, '--secrets', 'c-a=ALPHA', '--secrets', 'c-b=BRAVO'])).code).toBe(0);
  const dry = await cli([...targetFlags(), ...scoped, '--secrets', 'c-a=ALPHA', '--prune', '--dry-run']);
  expect(dry.code).toBe(0);
  // For a person: each vault's lines under its URL, then one total.
  for (const i of [0, 1, 2])
    expect(dry.stdout).toContain(`${url(i)} (${WS[i]})\n  unchanged   c-a\n  would delete c-b\n`);
  expect(dry.stdout).toMatch(/^Dry run, nothing written: 1 secret in 3 vaults: 3 unchanged, 3 would delete\n$/m);
  expect(dry.stderr).toContain('c-b: delete — written by dev/laptop#cli, no longer in the input');
  const real = await cli([...targetFlags(), ...scoped, '--secrets', 'c-a=ALPHA', '--prune']);
  expect(real.code).toBe(0);
  for (const i of [0, 1, 2]) {
    await expect(vaultClient(emu, url(i)).getSecret('c-b')).rejects.toMatchObject({ statusCode: 404 });
  }
  // Written earlier without a scope: not this scope's to prune.
  for (const i of [0, 2]) expect((await vaultClient(emu, url(i)).getSecret('ALPHA')).value).toBe(VALUES.ALPHA);
});

it('warns on stderr about secrets that expire soon', async () => {
  const ok = await cli([...targetFlags(), '--secrets', 'soon=ALPHA', '--expires-in', '3d']);
  expect(ok.code).toBe(0);
  expect(ok.stderr).toMatch(/^warning: soon in https:\/\/\S+ expires on \S+ \(in 2 day\(s\)\): rotate it$/m);
});

it('a long run prints progress lines (stderr is a pipe)', async () => {
  await emu.configure({ latencyMs: 250 });
  const names = Array.from({ length: 12 }, (_, i) => ['--secrets', `slow-${i}=ALPHA`]).flat();
  const run = await cli(['--targets', WS[0]!, ...targetFlags().slice(6), ...names, '--max-concurrency', '1']);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/^Progress: \d+\/12 secrets done, \d+\.\d\/s, 0 retries, \d+ s$/m);
  expect(run.stderr).toMatch(new RegExp(`^ {2}${WS[0]}: \\d+/12, 0 retries$`, 'm'));
  expect(run.stderr).not.toContain('\r');
});

it('bad target lines are refused, naming the flag and the line, with zero requests', async () => {
  const run = await cli(['--targets', WS[0]!, '--targets', 'nope', '--targets', WS[0]!, '--secrets', 'ALPHA']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('--targets line 2: is not a target');
  expect(run.stderr).toContain('--targets line 3: the same target as line 1');
  expect(await emu.requests()).toEqual([]);
});

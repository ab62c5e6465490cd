// The readers check through the CLI bundle: a missing reader fails with the fix (exit 1) and the JSON on stdout holds
// the `readers` verdicts; --grant-readers grants and the compute's own identity then reads through the SDK; a bad
// --readers line is refused before any request.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { runCli, type ProcessRun } from '../helpers/bundles.js';
import { READER_FLAGS, SUB, WS, asIdentity, principalOf } from '../helpers/readers-fixture.js';

const VALUES = { DB_PASSWORD: 'readers-cli-db-7Qa' };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(READER_FLAGS);
});
afterAll(async () => emu?.stop());
beforeEach(async () => emu.clearRequests());

/** Runs the CLI bundle with its stderr on a pipe (not a terminal), as in a script. */
const cli = (args: string[]): Promise<ProcessRun> =>
  runCli(process.execPath, args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...VALUES });

const target = () => [
  ...['--workspace-name', 'train-ws', '--resource-group', 'ml-rg', '--subscription-id', SUB],
  ...['--resource-manager-endpoint', emu.armUrl, '--secrets', 'DB_PASSWORD', '--owner', 'dev/laptop'],
];
const vaultUrl = () => emu.workspaces[WS]!.vaultUrl.replace(/\/$/, '');

it('a missing reader: exit 1 with the fix; --grant-readers grants; the compute reads through the SDK', async () => {
  const c = principalOf(emu, `${WS}/c-grant`);
  const missing = await cli([...target(), '--readers', 'compute:c-grant']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(
    /error: readers compute:c-grant: cannot read the secrets of .* \(the secrets were written\)/,
  );
  expect(missing.stderr).toContain(`az role assignment create --assignee-object-id ${c.principalId}`);
  // For a person: the secret's line, the reader's verdict with the command that fixes it, the total.
  expect(missing.stdout).toMatch(/^created {5}DB-PASSWORD {6}version [0-9a-f]{32}$/m);
  // The command is stated once, in the error; the verdict's line points at it.
  expect(missing.stdout).toMatch(/^missing {5}compute:c-grant {2}cannot read; the message above has the command/m);
  expect(missing.stdout).not.toContain('az role assignment create');
  expect(missing.stdout).toMatch(/^1 secret in \S+: 1 created$/m);

  const granted = await cli([...target(), '--readers', 'compute:c-grant', '--grant-readers', '--json']);
  expect(granted.code).toBe(0);
  const json = JSON.parse(granted.stdout) as {
    unchanged: string[];
    readers: Record<string, Record<string, { status: string }>>;
  };
  expect(json.unchanged).toEqual(['DB-PASSWORD']);
  expect(json.readers[vaultUrl()]!['compute:c-grant']!.status).toBe('granted');
  expect((await asIdentity(emu, vaultUrl(), c.clientId).getSecret('DB-PASSWORD')).value).toBe(VALUES.DB_PASSWORD);
  for (const text of [missing.stdout, missing.stderr, granted.stdout, granted.stderr])
    expect(text).not.toContain(VALUES.DB_PASSWORD);
});

it('a bad --readers line is refused before any request', async () => {
  const run = await cli([
    '--vault-url',
    emu.vaultUrl,
    '--secrets',
    'DB_PASSWORD',
    '--readers',
    'workspace',
    '--readers',
    'identity:nope',
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('--readers line 1: workspace needs a workspace to look in');
  expect(run.stderr).toContain('--readers line 2: nope is not the resource id of a user-assigned managed identity');
  expect(await emu.requests()).toEqual([]);
});

// A vault target (vault-url) has no workspace: the check finds the vault's resource by listing the subscriptions the
// identity can see and their vaults, then decides from the vault's own state.
describe('a target given by --vault-url', () => {
  const byUrl = (readers: string[], ...extra: string[]) =>
    cli([
      ...['--vault-url', vaultUrl(), '--resource-manager-endpoint', emu.armUrl, '--secrets', 'DB_PASSWORD'],
      ...['--owner', 'dev/laptop', '--json', ...readers.flatMap((r) => ['--readers', r]), ...extra],
    ]);
  const statusOf = (run: ProcessRun, line: string) =>
    (JSON.parse(run.stdout) as { readers: Record<string, Record<string, { status: string; reason?: string }>> })
      .readers[vaultUrl()]![line]!;

  it('no assignment is missing; --grant-readers grants and the identity then reads; the assignment then reads', async () => {
    const c = principalOf(emu, `${WS}/c-fail`);
    const line = `principal:${c.principalId}`;
    const missing = await byUrl([line]);
    expect(missing.code).toBe(1);
    expect(statusOf(missing, line)).toMatchObject({ status: 'missing' });
    expect(missing.stderr).toContain(`az role assignment create --assignee-object-id ${c.principalId}`);

    const granted = await byUrl([line], '--grant-readers');
    expect(granted.code).toBe(0);
    expect(statusOf(granted, line).status).toBe('granted');
    expect((await asIdentity(emu, vaultUrl(), c.clientId).getSecret('DB-PASSWORD')).value).toBe(VALUES.DB_PASSWORD);

    const again = await byUrl([line]);
    expect(again.code).toBe(0);
    expect(statusOf(again, line).status).toBe('reads');
    for (const text of [missing.stdout, missing.stderr, granted.stdout, granted.stderr, again.stdout, again.stderr])
      expect(text).not.toContain(VALUES.DB_PASSWORD);
  });

  it('a user-assigned identity without a role is missing, found through Resource Manager', async () => {
    const id = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-standalone`;
    const run = await byUrl([`identity:${id}`]);
    expect(run.code).toBe(1);
    expect(statusOf(run, `identity:${id}`)).toMatchObject({ status: 'missing' });
  });
});

it('a reader that does not exist: exit 1 naming the computes there are; with --readers-missing warn, exit 0', async () => {
  const missing = await cli([...target(), '--readers', 'compute:nosuch', '--json']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(
    /error: readers compute:nosuch: the compute 'nosuch' does not exist in \S*train-ws; its computes: c-fail, c-grant, .*c-wild \(the secrets were written to https:/,
  );
  const json = JSON.parse(missing.stdout) as { readers: Record<string, Record<string, { status: string }>> };
  expect(json.readers[vaultUrl()]!['compute:nosuch']!.status).toBe('missing');

  const warned = await cli([...target(), '--readers', 'compute:nosuch', '--readers-missing', 'warn']);
  expect(warned.code).toBe(0);
  expect(warned.stderr).toMatch(/warning: readers compute:nosuch: the compute 'nosuch' does not exist/);
  for (const text of [missing.stdout, missing.stderr, warned.stdout, warned.stderr])
    expect(text).not.toContain(VALUES.DB_PASSWORD);
});

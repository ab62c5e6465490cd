// endpoint: readers and references through the CLI bundle against the emulator: a missing endpoint identity exits 1
// with the fix and cannot read; --grant-readers grants and it then reads; the terminal lines name each injection
// reference, and after a rotation the deployment's stale pin with the update command; --json holds `references` and
// the pins; bad lines are refused with no request.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { runCli, type ProcessRun } from '../helpers/bundles.js';
import { SUB, WS, asIdentity } from '../helpers/readers-fixture.js';
import { ENDPOINT_FLAGS, endpointOf, putDeployment } from '../helpers/endpoints-fixture.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(ENDPOINT_FLAGS);
});
afterAll(async () => emu?.stop());
beforeEach(async () => emu.clearRequests());

const cli = (args: string[], values: Record<string, string>): Promise<ProcessRun> =>
  runCli(process.execPath, args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...values });
const target = () => [
  ...['--workspace-name', 'train-ws', '--resource-group', 'ml-rg', '--subscription-id', SUB],
  ...['--resource-manager-endpoint', emu.armUrl, '--owner', 'dev/laptop'],
];
const vaultUrl = () => emu.workspaces[WS]!.vaultUrl.replace(/\/$/, '');

it('missing, then granted: the endpoint identity reads only after; a rotation leaves a stale pin, the fix stated once', async () => {
  const e = endpointOf(emu, `${WS}/score-stale`);
  const args = [...target(), '--secrets', 'cli-ep=CLI_EP', '--readers', 'endpoint:score-stale'];
  const missing = await cli(args, { CLI_EP: 'cli-ep-one' });
  expect(missing.code).toBe(1);
  expect(missing.stdout).toMatch(/^missing {5}endpoint:score-stale {2}cannot read; the message above has the command/m);
  expect(missing.stderr).toContain(`az role assignment create --assignee-object-id ${e.principalId} `);
  await expect(asIdentity(emu, vaultUrl(), e.clientId).getSecret('cli-ep')).rejects.toMatchObject({ statusCode: 403 });

  const granted = await cli([...args, '--grant-readers', '--json'], { CLI_EP: 'cli-ep-one' });
  expect(granted.code).toBe(0);
  const json = JSON.parse(granted.stdout) as { references: Record<string, string> };
  const host = new URL(vaultUrl()).host;
  expect(json.references['cli-ep']).toMatch(
    new RegExp(`^\\$\\{\\{keyvault:https://${host}/secrets/cli-ep/[0-9a-f]{32}\\}\\}$`),
  );
  expect((await asIdentity(emu, vaultUrl(), e.clientId).getSecret('cli-ep')).value).toBe('cli-ep-one');

  await putDeployment(emu, `${WS}/score-stale`, 'cli-blue', { CLI_EP: json.references['cli-ep']! });
  const rotated = await cli(args, { CLI_EP: 'cli-ep-two' });
  expect(rotated.code).toBe(0);
  const now = /^reference {3}cli-ep +(\S+)$/m.exec(rotated.stdout)?.[1];
  expect(now).toMatch(new RegExp(`^\\$\\{\\{keyvault:https://${host}/secrets/cli-ep/[0-9a-f]{32}\\}\\}$`));
  expect(now).not.toBe(json.references['cli-ep']);
  expect(rotated.stdout).toContain(
    `stale pin   endpoint:score-stale  cli-blue CLI_EP pins ${/\/([0-9a-f]{32})\}\}$/.exec(json.references['cli-ep']!)![1]}`,
  );
  // The command once, in the warning; the line points at it.
  const command = `az ml online-deployment update --name cli-blue --endpoint-name score-stale --resource-group ml-rg --workspace-name train-ws --set 'environment_variables.CLI_EP=${now}'`;
  expect(rotated.stderr).toContain(command);
  expect(rotated.stdout).not.toContain(command);
  for (const run of [missing, granted, rotated])
    for (const v of ['cli-ep-one', 'cli-ep-two']) expect(run.stdout + run.stderr).not.toContain(v);
});

it('bad endpoint lines and --stale-references are refused before any request', async () => {
  const run = await cli(
    [
      ...['--vault-url', emu.vaultUrl, '--secrets', 'X'],
      ...['--readers', 'endpoint:ab', '--readers', 'serverless', '--stale-references', 'often'],
    ],
    { X: 'x' },
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('--readers line 1: ab is not an online endpoint name');
  expect(run.stderr).toContain('--readers line 2: serverless needs a workspace to look in');
  expect(run.stderr).toContain('--stale-references: often is not one of warn, fail, ignore');
  expect(await emu.requests()).toEqual([]);
});

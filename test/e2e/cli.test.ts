// The CLI bundle as a developer runs it: workspace → vault with DefaultAzureCredential (here the
// emulator's managed identity), the result JSON on stdout, the plan on stderr, no value anywhere.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../helpers/emulator.js';

const root = join(__dirname, '../..');
const SUB = '5d8f1a2b-3c4d-4e5f-9a0b-1c2d3e4f5a6b';
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', `${SUB}/ml-rg/cli-ws`]);
});
afterAll(async () => emu?.stop());

function cli(args: string[], values: Record<string, string>) {
  return spawnSync(process.execPath, [join(root, 'dist/cli/index.mjs'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...values },
    timeout: 60_000,
  });
}

it('pushes to the workspace vault found over Resource Manager', () => {
  const args = [
    '--workspace-name',
    'cli-ws',
    '--resource-group',
    'ml-rg',
    '--subscription-id',
    SUB,
    '--resource-manager-endpoint',
    emu.armUrl,
    '--secrets',
    'HF_TOKEN',
    '--owner',
    'dev/laptop',
    '--json',
  ];
  const run = cli(args, { HF_TOKEN: 'hf-cli-secret-value' });
  expect(run.stderr).not.toMatch(/error:/);
  expect(run.status).toBe(0);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(result['vault-url']).toBe(emu.workspaces[`${SUB}/ml-rg/cli-ws`]!.vaultUrl.replace(/\/$/, ''));
  expect(result.created).toEqual(['HF-TOKEN']);
  expect(run.stderr).toMatch(/Looking up the Key Vault of workspace 'cli-ws'/);
  expect(run.stdout + run.stderr).not.toContain('hf-cli-secret-value');
});

it('exits 1 with the problem named by flag, before any request', async () => {
  await emu.clearRequests();
  const run = cli(
    [
      '--workspace-name',
      'cli-ws',
      '--resource-group',
      'ml-rg',
      '--subscription-id',
      'not-a-guid',
      '--secrets',
      'HF_TOKEN',
    ],
    { HF_TOKEN: 'x' },
  );
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/--subscription-id: .*is not a subscription id/);
  expect(await emu.requests()).toEqual([]);
});

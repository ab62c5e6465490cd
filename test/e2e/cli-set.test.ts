// The CLI's local steps through the shipped bundle on Node 20 and 24: `set NAME` with the value piped, from a file
// (byte-exact) or an environment variable; values on the command line, empty values, non-UTF-8 and oversized files
// refused before any request; `delete` of what this owner wrote, refused for what it did not write; the workspace
// from .azureml/config.json found from a subdirectory, and from az's defaults (AZURE_CONFIG_DIR). And
// `workspace-config` on the GitHub and Azure DevOps bundles.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { vaultClient } from '../helpers/vault-client.js';
import { NODE_RUNTIMES, runAzdoTask, runGitHubAction, type NodeRuntime } from '../helpers/bundles.js';

const root = join(__dirname, '../..');
const SUB = '7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e';
const WS = `${SUB}/ml-rg/local-ws`;
const SCOPE = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/local-ws`;

let emu: Emulator;
let vault: SecretClient;
let wsVault: SecretClient;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', WS]);
  vault = vaultClient(emu);
  wsVault = vaultClient(emu, emu.workspaces[WS]!.vaultUrl);
});
afterAll(async () => emu?.stop());

function tempTree(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'aml-cli-set-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

interface Options {
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
}

/** The CLI bundle as a developer runs it, with a home of its own (no az defaults unless a test writes them). */
function cli(node: NodeRuntime, args: string[], opts: Options = {}) {
  const home = tempTree();
  return spawnSync(node.path, [join(root, 'dist/cli/index.mjs'), ...args], {
    encoding: 'utf8',
    cwd: opts.cwd ?? tempTree(),
    input: opts.input ?? '',
    env: { PATH: process.env.PATH ?? '', HOME: home, ...emu.env, ...opts.env },
    timeout: 60_000,
  });
}

const vaultFlags = (owner = 'dev/laptop') => ['--vault-url', emu.vaultUrl, '--owner', owner];

async function expectNoRequest(): Promise<void> {
  expect(await emu.requests()).toEqual([]);
}

describe.each(NODE_RUNTIMES)('set and delete on $label', (node) => {
  const n = (name: string) => `${name}-${node.label}`;
  beforeEach(async () => emu.clearRequests());

  it('a piped value lands without its one trailing newline (\\n or \\r\\n), and is never printed', async () => {
    const value = 'piped-line-1\npiped-line-2';
    const run = cli(node, ['set', n('piped'), ...vaultFlags()], { input: `${value}\n` });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(0);
    // For a person: one line for the secret (with its version id), its injection reference and a total; no JSON.
    const version = (await vault.getSecret(n('piped'))).properties.version!;
    const reference = `\${{keyvault:${new URL(vault.vaultUrl).origin}/secrets/${n('piped')}/${version}}}`;
    expect(run.stdout).toBe(
      `created     ${n('piped')}  version ${version}\nreference   ${n('piped')}  ${reference}\n1 secret in ${new URL(emu.vaultUrl).host}: 1 created\n`,
    );
    expect((await vault.getSecret(n('piped'))).value).toBe(value);
    expect(run.stdout + run.stderr).not.toMatch(/piped-line/);

    const crlf = cli(node, ['set', n('crlf'), ...vaultFlags()], { input: 'crlf-value\r\n\r\n' });
    expect(crlf.status).toBe(0);
    expect((await vault.getSecret(n('crlf'))).value).toBe('crlf-value\r\n');
  });

  it('a rerun with the same value writes nothing; the ownership tags are ours', async () => {
    const run = cli(node, ['set', n('piped'), ...vaultFlags(), '--json'], { input: 'piped-line-1\npiped-line-2\n' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ unchanged: [n('piped')] });
    expect((await vault.getSecret(n('piped'))).properties.tags).toMatchObject({
      'managed-by': 'aml-vault-push',
      'aml-vault-push-owner': 'dev/laptop',
    });
  });

  it('--file: the bytes exactly (a PEM with its final newline, a byte order mark kept)', async () => {
    const pem =
      '\uFEFF-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\nbW9yZQ==\n-----END PRIVATE KEY-----\n';
    const dir = tempTree({ 'key.pem': pem });
    const run = cli(node, [
      'set',
      n('pem'),
      ...vaultFlags(),
      '--file',
      join(dir, 'key.pem'),
      '--content-type',
      'application/x-pem-file',
    ]);
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(0);
    const stored = await vault.getSecret(n('pem'));
    expect(Buffer.from(stored.value!, 'utf8').equals(Buffer.from(pem, 'utf8'))).toBe(true);
    expect(stored.properties.contentType).toBe('application/x-pem-file');
    expect(run.stdout + run.stderr).not.toMatch(/MIIEvQ|bW9yZQ/);
  });

  it('--env: that variable', async () => {
    const run = cli(node, ['set', n('from-env'), ...vaultFlags(), '--env', 'MY_TOKEN'], {
      env: { MY_TOKEN: 'env-token-value-42' },
    });
    expect(run.status).toBe(0);
    expect((await vault.getSecret(n('from-env'))).value).toBe('env-token-value-42');
    expect(run.stdout + run.stderr).not.toContain('env-token-value-42');
  });

  it('refuses, before any request: a value on the command line (never echoed), empty, non-UTF-8, over 25 KB, unset --env, a bad NAME', async () => {
    const argv = cli(node, ['set', n('argv'), 'hunter2-on-argv', ...vaultFlags()]);
    expect(argv.status).toBe(2);
    expect(argv.stderr).toContain('a value is never taken from the command line');
    expect(argv.stderr).toMatch(/--file PATH, --env VARIABLE/);
    expect(argv.stdout + argv.stderr).not.toContain('hunter2');

    const empty = cli(node, ['set', n('empty'), ...vaultFlags()], { input: '\n' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/from standard input\): the value is empty; .*--allow-empty/);

    const dir = tempTree({ 'latin1.txt': Buffer.from([0x70, 0xe4, 0x73, 0x73]), 'big.txt': 'x'.repeat(25_601) });
    const latin1 = cli(node, ['set', n('latin1'), ...vaultFlags(), '--file', join(dir, 'latin1.txt')]);
    expect(latin1.status).toBe(1);
    expect(latin1.stderr).toMatch(/--file: .*latin1\.txt is not UTF-8 text/);
    const big = cli(node, ['set', n('big'), ...vaultFlags(), '--file', join(dir, 'big.txt')]);
    expect(big.status).toBe(1);
    expect(big.stderr).toMatch(/--file: .*big\.txt is over 25 KB \(25601 bytes; Key Vault takes at most 25600\)/);
    const missing = cli(node, ['set', n('missing'), ...vaultFlags(), '--file', join(dir, 'nope.pem')]);
    expect(missing.stderr).toMatch(/--file: no file at that path/);
    // A value pasted where the path belongs is not repeated, in any piece.
    const pasted = cli(node, ['set', n('missing'), ...vaultFlags(), '--file', 'hf_PastedTokenNotAPath42']);
    expect(pasted.status).toBe(1);
    expect(`${pasted.stdout}${pasted.stderr}`).not.toMatch(/PastedToken|hf_P|NotAPath/);
    const bigPipe = cli(node, ['set', n('big'), ...vaultFlags()], { input: 'y'.repeat(30_000) });
    expect(bigPipe.status).toBe(1);
    expect(bigPipe.stderr).toMatch(/standard input is over 25 KB/);
    const unset = cli(node, ['set', n('unset'), ...vaultFlags(), '--env', 'NOT_SET_ANYWHERE']);
    expect(unset.stderr).toMatch(/--env: names no environment variable that is set \(not shown/);
    expect(unset.stderr).not.toContain('NOT_SET_ANYWHERE');
    const badName = cli(node, ['set', 'bad_name!', ...vaultFlags()], { input: 'v' });
    expect(badName.status).toBe(1);
    expect(badName.stderr).toMatch(/NAME: not a valid Key Vault secret name/);
    const withSecrets = cli(node, ['set', n('x'), ...vaultFlags(), '--secrets', 'A'], { input: 'v' });
    expect(withSecrets.stderr).toMatch(/--secrets goes with push, not set/);
    const unknown = cli(node, ['sett', n('x'), ...vaultFlags()]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      "error: unknown command sett (did you mean set?)\nRun 'aml-vault-push --help' for the commands.\n",
    );
    await expectNoRequest();
    for (const name of ['argv', 'empty', 'latin1', 'big', 'missing', 'unset']) {
      await expect(vault.getSecret(n(name))).rejects.toMatchObject({ statusCode: 404 });
    }
  });

  it('--allow-empty lets an empty value through', async () => {
    const run = cli(node, ['set', n('empty-ok'), ...vaultFlags(), '--allow-empty']);
    expect(run.status).toBe(0);
    expect((await vault.getSecret(n('empty-ok'))).value).toBe('');
  });

  it('--dry-run writes nothing', async () => {
    const run = cli(node, ['set', n('dry'), ...vaultFlags(), '--dry-run'], { input: 'dry-value' });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/create/);
    await expect(vault.getSecret(n('dry'))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('delete soft-deletes what this owner wrote, and says how to recover it', async () => {
    expect(cli(node, ['set', n('gone'), ...vaultFlags()], { input: 'to-delete' }).status).toBe(0);
    const dry = cli(node, ['delete', n('gone'), ...vaultFlags(), '--dry-run']);
    expect(dry.status).toBe(0);
    expect((await vault.getSecret(n('gone'))).value).toBe('to-delete');
    const run = cli(node, ['delete', n('gone'), ...vaultFlags()]);
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^deleted {5}${n('gone')} in localhost:\\d+: soft-deleted \\(never purged\\); `, 'm'),
    );
    // The emulator's vault, given by URL, has no name in its host: the command names the deleted secret's id.
    expect(run.stdout).toContain(
      `soft-deleted (never purged); recover it within the vault's retention with az keyvault secret recover --id ${emu.vaultUrl.replace(/\/$/, '')}/deletedsecrets/${n('gone')}`,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain('--vault-name localhost');
    expect(run.stdout).toMatch(/^1 of 1 vault\(s\) deleted /m);
    // The same with --json: the object scripts read (the secret is gone now: nothing to do).
    const again = cli(node, ['delete', n('gone'), ...vaultFlags(), '--json']);
    const json = JSON.parse(again.stdout) as { deleted: string[]; results: Record<string, { status: string }> };
    expect(json.deleted).toEqual([]);
    expect(Object.values(json.results)).toEqual([expect.objectContaining({ status: 'gone' })]);
    await expect(vault.getSecret(n('gone'))).rejects.toMatchObject({ statusCode: 404 });
    expect((await vault.getDeletedSecret(n('gone'))).name).toBe(n('gone'));
  });

  it("delete refuses an unowned secret and another owner's, naming --adopt-unowned", async () => {
    await vault.setSecret(n('workspace-own'), 'not-ours');
    const unowned = cli(node, ['delete', n('workspace-own'), ...vaultFlags()]);
    expect(unowned.status).toBe(1);
    expect(unowned.stderr).toMatch(/^error: .* was not deleted from .*without the ownership tag .*--adopt-unowned/m);
    // Stated once: no warning line repeating it before the error.
    expect(unowned.stderr.split('without the ownership tag').length - 1).toBe(1);
    expect((await vault.getSecret(n('workspace-own'))).value).toBe('not-ours');

    expect(cli(node, ['set', n('theirs'), ...vaultFlags('other/owner')], { input: 'theirs' }).status).toBe(0);
    const foreign = cli(node, ['delete', n('theirs'), ...vaultFlags()]);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toMatch(/owned by other\/owner.*--adopt-unowned/);
    expect((await vault.getSecret(n('theirs'))).value).toBe('theirs');

    const adopted = cli(node, ['delete', n('workspace-own'), ...vaultFlags(), '--adopt-unowned']);
    expect(adopted.status).toBe(0);
    await expect(vault.getSecret(n('workspace-own'))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('finds .azureml/config.json from a subdirectory, and says which file it used', async () => {
    const project = tempTree({
      '.azureml/config.json': JSON.stringify({
        subscription_id: SUB,
        resource_group: 'ml-rg',
        workspace_name: 'local-ws',
      }),
      'src/train/keep': '',
    });
    const args = ['set', n('from-config'), '--resource-manager-endpoint', emu.armUrl, '--owner', 'dev/laptop'];
    const run = cli(node, args, { input: 'config-value', cwd: join(project, 'src/train') });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`from ${join(project, '.azureml/config.json')}`);
    expect((await wsVault.getSecret(n('from-config'))).value).toBe('config-value');

    // list and delete find the workspace the same way.
    const cwd = join(project, 'src/train');
    const flags = ['--resource-manager-endpoint', emu.armUrl, '--owner', 'dev/laptop'];
    const list = cli(node, ['list', '--json', ...flags], { cwd });
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(n('from-config'));
    expect(list.stdout).not.toContain('config-value');
    const del = cli(node, ['delete', n('from-config'), ...flags], { cwd });
    expect(del.status).toBe(0);
    await expect(wsVault.getSecret(n('from-config'))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('--workspace-config takes the Scope form; a broken one is named with the file and key, before any request', async () => {
    const dir = tempTree({ 'scope.json': JSON.stringify({ Scope: SCOPE }), 'broken.json': '{"subscription_id": "x"' });
    const args = ['set', n('from-scope'), '--resource-manager-endpoint', emu.armUrl, '--owner', 'dev/laptop'];
    const run = cli(node, [...args, '--workspace-config', join(dir, 'scope.json')], { input: 'scope-value' });
    expect(run.status).toBe(0);
    expect((await wsVault.getSecret(n('from-scope'))).value).toBe('scope-value');
    await emu.clearRequests();
    const broken = cli(node, [...args, '--workspace-config', join(dir, 'broken.json')], { input: 'v' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/--workspace-config: .*broken\.json is not valid JSON: .* at line 1, column 24/);
    const both = cli(node, [...args, '--workspace-config', join(dir, 'scope.json'), '--vault-name', 'kv1'], {
      input: 'v',
    });
    expect(both.stderr).toMatch(/set either --workspace-config or --vault-name, not both/);
    await expectNoRequest();
  });

  it("uses az's defaults (AZURE_CONFIG_DIR) when nothing else names the workspace", async () => {
    const azDir = tempTree({
      config: '[defaults]\ngroup = ml-rg\nworkspace = local-ws\n',
      'azureProfile.json': `\uFEFF${JSON.stringify({ subscriptions: [{ id: SUB, isDefault: true, name: 'ml' }] })}`,
    });
    const args = ['set', n('from-az'), '--resource-manager-endpoint', emu.armUrl, '--owner', 'dev/laptop'];
    const run = cli(node, args, { input: 'az-value', env: { AZURE_CONFIG_DIR: azDir } });
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`az's defaults in ${join(azDir, 'config')}`);
    expect((await wsVault.getSecret(n('from-az'))).value).toBe('az-value');

    const none = cli(node, ['set', n('nowhere'), '--owner', 'dev/laptop'], { input: 'v' });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(
      /no target: .*--workspace-config PATH.*\.azureml\/config\.json.*az configure --defaults/,
    );
  });
});

describe.each(NODE_RUNTIMES)('workspace-config on the pipelines, $label', (node) => {
  const config = JSON.stringify({ subscription_id: SUB, resource_group: 'ml-rg', workspace_name: 'local-ws' });

  it('GitHub: relative to GITHUB_WORKSPACE', async () => {
    const checkout = tempTree({ '.azureml/config.json': config });
    const run = await runGitHubAction({
      node,
      inputs: {
        'workspace-config': '.azureml/config.json',
        'resource-manager-endpoint': emu.armUrl,
        secrets: `gh-config-${node.label}=V`,
      },
      env: { ...emu.env, GITHUB_WORKSPACE: checkout, V: 'github-config-value' },
    });
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect((await wsVault.getSecret(`gh-config-${node.label}`)).value).toBe('github-config-value');
    expect(run.stdout).toContain(join(checkout, '.azureml/config.json'));
  });

  it('Azure DevOps: relative to System.DefaultWorkingDirectory; with another target input, refused', async () => {
    const checkout = tempTree({ 'ml/.azureml/config.json': config });
    const inputs = {
      workspaceConfig: 'ml',
      resourceManagerEndpoint: emu.armUrl,
      secrets: `azdo-config-${node.label}=V`,
    };
    const run = await runAzdoTask({
      node,
      inputs,
      variables: { 'System.DefaultWorkingDirectory': checkout },
      secretVariables: { V: 'azdo-config-value' },
      env: emu.env,
    });
    expect(run.result).toBe('Succeeded');
    expect((await wsVault.getSecret(`azdo-config-${node.label}`)).value).toBe('azdo-config-value');
    await emu.clearRequests();
    const both = await runAzdoTask({
      node,
      inputs: { ...inputs, vaultName: 'kv1' },
      variables: { 'System.DefaultWorkingDirectory': checkout },
      secretVariables: { V: 'azdo-config-value' },
      env: emu.env,
    });
    expect(both.result).toBe('Failed');
    expect(both.stdout).toMatch(/workspaceConfig: set either workspaceConfig or vaultName, not both/);
    await expectNoRequest();
  });
});

// The examples a user copies, run as written: examples/github-workflow.yml's push step (its `with:`
// and `env:` read from the YAML, `${{ vars.* }}` / `${{ secrets.* }}` filled in) through the action
// bundle as the runner starts it, and examples/azure-pipelines.yml's task step (its `inputs:`) through
// the task bundle as the agent starts it, both against the emulator on Node 20 and 24. The only
// additions are the emulator's endpoints (Resource Manager and authority), which a real run gets
// from the public cloud, and on Azure DevOps the service connection the YAML names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, runAzdoTask, runGitHubAction, serviceConnectionEnv } from '../helpers/bundles.js';
import { vaultClient } from '../helpers/vault-client.js';

const root = join(__dirname, '../..');
const SUB = '7d0c8a41-2f6b-4e55-9c1d-3a8b5e6f7a90';
const VALUES = { DB_PASSWORD: 'examples-db-Kx81', OPENAI_API_KEY: 'examples-openai-Jq27' };
// The managed identity must not be what signs in: the examples use OIDC / the service connection.
const NO_MI = { IDENTITY_ENDPOINT: undefined, IDENTITY_HEADER: undefined };

interface GitHubStep {
  id?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  permissions: Record<string, string>;
  jobs: Record<string, { steps: GitHubStep[] }>;
}
interface Pipeline {
  steps: { task?: string; name?: string; inputs?: Record<string, string> }[];
}

const workflow = yaml.load(readFileSync(join(root, 'examples/github-workflow.yml'), 'utf8')) as Workflow;
const pipeline = yaml.load(readFileSync(join(root, 'examples/azure-pipelines.yml'), 'utf8')) as Pipeline;

/** `${{ vars.X }}` and `${{ secrets.X }}` only; any other expression is an error here. */
function evaluate(text: string, contexts: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([a-z]+)\.([A-Za-z_][\w]*)\s*\}\}/g, (whole, ctx: string, name: string) => {
    const value = contexts[ctx]?.[name];
    if (value === undefined) throw new Error(`the example uses ${whole}, which this test does not provide`);
    return value;
  });
}
const evaluateAll = (map: Record<string, string> | undefined, contexts: Record<string, Record<string, string>>) =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, evaluate(String(v), contexts)]));

let emu: Emulator;
let vault: SecretClient;
/** One emulator per example: a secret the workflow wrote is not the pipeline's to overwrite. */
function withEmulator(): void {
  beforeAll(async () => {
    emu = await startEmulator(['--workspace', `${SUB}/ml-prod/vision-train`]);
    vault = vaultClient(emu, emu.workspaces[`${SUB}/ml-prod/vision-train`]!.vaultUrl);
  });
  afterAll(async () => emu?.stop());
}

describe('examples/github-workflow.yml', () => {
  withEmulator();
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const push = steps.find((s) => s.uses?.startsWith('aml-vault-push/aml-vault-push@'))!;

  it('uses the action at the major tag, with the OIDC permission', () => {
    expect(push.uses).toBe('aml-vault-push/aml-vault-push@v0');
    expect(workflow.permissions['id-token']).toBe('write');
  });

  it.each(NODE_RUNTIMES)('its push step runs as written on $label', async (node) => {
    const contexts = {
      vars: {
        AZURE_CLIENT_ID: emu.identities.github.clientId,
        AZURE_TENANT_ID: emu.tenantId,
        AZURE_SUBSCRIPTION_ID: SUB,
      },
      secrets: VALUES,
    };
    const r = await runGitHubAction({
      node,
      inputs: {
        ...evaluateAll(push.with, contexts),
        'resource-manager-endpoint': emu.armUrl,
        'authority-host': emu.authorityHost,
      },
      env: { ...emu.env, ...NO_MI, ...evaluateAll(push.env, contexts) },
    });
    expect({ code: r.code, errors: r.stdout.split('\n').filter((l) => l.startsWith('::error::')) }).toEqual({
      code: 0,
      errors: [],
    });
    const names = ['DB-PASSWORD', 'openai-key'];
    const done = [...JSON.parse(r.outputs.created!), ...JSON.parse(r.outputs.unchanged!)] as string[];
    expect(done.sort()).toEqual(names.sort());
    expect((await vault.getSecret('DB-PASSWORD')).value).toBe(VALUES.DB_PASSWORD);
    expect((await vault.getSecret('openai-key')).properties.tags).toMatchObject({ team: 'vision' });
    // Only in the mask commands that hide it.
    const visible = [...r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')), r.stderr, r.summary];
    for (const v of Object.values(VALUES)) expect(visible.filter((l) => l.includes(v))).toEqual([]);
    expect(r.masks).toEqual(expect.arrayContaining(Object.values(VALUES)));
  });
});

describe('examples/azure-pipelines.yml', () => {
  withEmulator();
  const task = pipeline.steps.find((s) => s.task?.startsWith('AmlVaultPush@'))!;

  it('uses the task by its name and major version', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'task.json'), 'utf8')) as {
      name: string;
      version: { Major: number };
      inputs: { name: string }[];
    };
    expect(task.task).toBe(`${manifest.name}@${manifest.version.Major}`);
    expect(Object.keys(task.inputs!).filter((k) => !manifest.inputs.some((i) => i.name === k))).toEqual([]);
  });

  it.each(NODE_RUNTIMES)('its task step runs as written on $label', async (node) => {
    const conn = emu.identities.azdo.serviceConnectionId;
    // The agent hands the task the connection's id for the name the YAML gives.
    const inputs = { ...task.inputs!, azureSubscription: conn };
    const r = await runAzdoTask({
      node,
      inputs,
      secretVariables: VALUES,
      env: {
        ...emu.env,
        ...NO_MI,
        ...serviceConnectionEnv({
          id: conn,
          scheme: 'WorkloadIdentityFederation',
          parameters: { tenantid: emu.tenantId, serviceprincipalid: emu.identities.azdo.clientId },
          data: { environment: 'AzureCloud', subscriptionId: SUB, activeDirectoryAuthority: `${emu.authorityHost}/` },
          url: `${emu.armUrl}/`,
          systemAccessToken: emu.identities.azdo.systemAccessToken,
        }),
      },
    });
    expect({ result: r.result, code: r.code, stderr: r.stderr }).toEqual({ result: 'Succeeded', code: 0, stderr: '' });
    const done = [...JSON.parse(r.outputs.created!), ...JSON.parse(r.outputs.unchanged!)] as string[];
    expect(done.sort()).toEqual(['DB-PASSWORD', 'openai-key'].sort());
    expect((await vault.getSecret('openai-key')).value).toBe(VALUES.OPENAI_API_KEY);
    const visible = r.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]'));
    for (const v of Object.values(VALUES)) expect(visible.filter((l) => l.includes(v))).toEqual([]);
  });
});

// Each way of signing in, run for real: the bundles as the runner and the agent start them, the
// emulator playing Entra ID, the GitHub and Azure DevOps OIDC issuers, Resource Manager and the
// vault. The managed-identity variables are removed wherever another flow is under test, so a
// success cannot come from the wrong credential.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, serviceConnectionEnv } from '../helpers/bundles.js';
import { azdoHarness, gitHubHarness, type PushRun } from '../helpers/harness.js';
import { itWhere } from '../helpers/skip.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const RG = 'ml-rg';
const NO_MI = { IDENTITY_ENDPOINT: undefined, IDENTITY_HEADER: undefined };
const VALUES = { DB_PASSWORD: 'sign-in-test-value' };

/** Requests of one service in the emulator's log (entra, oidc, arm, vault). */
async function served(emu: Emulator, service: string): Promise<number> {
  return (await emu.requests()).filter((r) => (r as { service?: string }).service === service).length;
}

function created(run: PushRun): string[] {
  return JSON.parse(run.outputs.created ?? '[]') as string[];
}

describe.each(NODE_RUNTIMES)('sign-in on $label', (node) => {
  let emu: Emulator;
  let workspaceVault: string;
  const workspaceInputs = () => ({
    'workspace-name': 'train-ws',
    'resource-group': RG,
    'subscription-id': SUB,
    'resource-manager-endpoint': emu.armUrl,
    'authority-host': emu.authorityHost,
    secrets: 'DB_PASSWORD',
  });

  beforeAll(async () => {
    emu = await startEmulator(['--workspace', `${SUB}/${RG}/train-ws`, '--workspace', `${SUB}/${RG}/gone-ws=-`]);
    workspaceVault = emu.workspaces[`${SUB}/${RG}/train-ws`]!.vaultUrl;
  });
  afterAll(async () => emu?.stop());
  beforeEach(async () => {
    await emu.clearRequests();
    await emu.configure({ identityRoles: {}, armRoles: {} });
  });

  describe('GitHub', () => {
    const gh = () => gitHubHarness(node, emu.env);
    const oidc = () => ({ auth: 'oidc', 'client-id': emu.identities.github.clientId, 'tenant-id': emu.tenantId });

    it('OIDC: the runner ID token → federated credential → workspace → its vault', async () => {
      const run = await gh().push({ inputs: { ...workspaceInputs(), ...oidc() }, values: VALUES, env: NO_MI });
      expect(run.failure).toBe('');
      expect(run.outputs['vault-url']).toBe(workspaceVault.replace(/\/$/, ''));
      expect(created(run)).toEqual(['DB-PASSWORD']);
      expect(await served(emu, 'oidc')).toBeGreaterThan(0);
      expect(await served(emu, 'arm')).toBe(2);
      // The ID token is masked by getIDToken itself before anything could print it.
      expect(run.masks.some((m) => m.split('.').length === 3)).toBe(true);
    });

    it('auto picks OIDC when client-id, tenant-id and an ID token are there', async () => {
      const run = await gh().push({
        inputs: { ...workspaceInputs(), 'client-id': emu.identities.github.clientId, 'tenant-id': emu.tenantId },
        values: VALUES,
        env: NO_MI,
      });
      expect(run.failure).toBe('');
      expect(await served(emu, 'oidc')).toBeGreaterThan(0);
    });

    it('a federated-credential mismatch names the subject the token carried', async () => {
      await emu.configure({ githubSubject: 'repo:contoso/train:pull_request' });
      try {
        const run = await gh().push({ inputs: { ...workspaceInputs(), ...oidc() }, values: VALUES, env: NO_MI });
        expect(run.ok).toBe(false);
        expect(run.failure).toContain("subject 'repo:contoso/train:pull_request'");
        expect(run.failure).toMatch(/AADSTS70021/);
      } finally {
        await emu.configure({ githubSubject: emu.identities.github.subject });
      }
    });

    it('auth oidc without id-token: write says so, before any request', async () => {
      const run = await gh().push({
        inputs: { ...workspaceInputs(), ...oidc() },
        values: VALUES,
        env: { ...NO_MI, ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
      });
      expect(run.ok).toBe(false);
      expect(run.failure).toContain('id-token: write');
      expect(await emu.requests()).toEqual([]);
    });

    it('the vault names the identity and the role it lacks', async () => {
      await emu.configure({ identityRoles: { [emu.identities.github.clientId]: 'reader' } });
      const run = await gh().push({ inputs: { ...workspaceInputs(), ...oidc() }, values: VALUES, env: NO_MI });
      expect(run.ok).toBe(false);
      expect(run.failure).toContain(emu.identities.github.clientId);
      expect(run.failure).toContain('Key Vault Secrets Officer');
    });

    itWhere(azureCliMissing(), 'azure-cli: the session of an earlier azure/login step', async () => {
      // An az session is never one the emulator issued (az is not logged in to it here), so the
      // step must fail, and say that the sign-in is what failed.
      const run = await gh().push({ inputs: { ...workspaceInputs(), auth: 'azure-cli' }, values: VALUES, env: NO_MI });
      expect(run.ok).toBe(false);
      expect(run.failure).toMatch(/Azure CLI|az login|sign-in|sign in/i);
    });
  });

  describe('Azure DevOps', () => {
    const conn = () => emu.identities.azdo.serviceConnectionId;
    const connectionData = () => ({
      environment: 'AzureCloud',
      subscriptionId: SUB,
      activeDirectoryAuthority: `${emu.authorityHost}/`,
    });
    const push = (
      scheme: string,
      parameters: Record<string, string>,
      extra: Record<string, string | undefined> = NO_MI,
      inputs: Record<string, string> = {},
    ) =>
      azdoHarness(node, emu.env).push({
        // Its own secret name: the GitHub tests' secret belongs to the repository, not to this pipeline.
        inputs: {
          'azure-subscription': conn(),
          'workspace-name': 'train-ws',
          'resource-group': RG,
          secrets: 'azdo-db-password=DB_PASSWORD',
          ...inputs,
        },
        values: VALUES,
        env: {
          ...serviceConnectionEnv({
            id: conn(),
            scheme,
            parameters,
            data: connectionData(),
            url: `${emu.armUrl}/`,
            systemAccessToken: emu.identities.azdo.systemAccessToken,
          }),
          ...extra,
        },
      });

    it('workload identity federation: the subscription, cloud and endpoints come from the connection', async () => {
      const run = await push('WorkloadIdentityFederation', {
        tenantid: emu.tenantId,
        serviceprincipalid: emu.identities.azdo.clientId,
      });
      expect(run.failure).toBe('');
      expect(created(run)).toEqual(['azdo-db-password']);
      expect(run.outputs['vault-url']).toBe(workspaceVault.replace(/\/$/, ''));
      expect(await served(emu, 'oidc')).toBeGreaterThan(0);
      // The system access token was masked.
      expect(run.masks).toContain(emu.identities.azdo.systemAccessToken);
    });

    it('service principal with a secret (masked like a value)', async () => {
      const sp = emu.identities.servicePrincipal;
      const run = await push('ServicePrincipal', {
        tenantid: emu.tenantId,
        serviceprincipalid: sp.clientId,
        authenticationType: 'spnKey',
        serviceprincipalkey: sp.clientSecret,
      });
      expect(run.failure).toBe('');
      expect(run.masks).toContain(sp.clientSecret);
      expect(
        run.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]') && l.includes(sp.clientSecret)),
      ).toEqual([]);
    });

    it('service principal with a certificate', async () => {
      const sp = emu.identities.servicePrincipal;
      const pem = readFileSync(sp.certificateFile, 'utf8');
      const run = await push('ServicePrincipal', {
        tenantid: emu.tenantId,
        serviceprincipalid: sp.clientId,
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate: pem,
      });
      expect(run.failure).toBe('');
      expect(created(run).length + JSON.parse(run.outputs.unchanged ?? '[]').length).toBe(1);
    });

    it('managed identity (self-hosted agent)', async () => {
      const run = await push('ManagedServiceIdentity', {}, {});
      expect(run.failure).toBe('');
    });

    it("a wrong service principal secret gets Entra's answer", async () => {
      const sp = emu.identities.servicePrincipal;
      const run = await push('ServicePrincipal', {
        tenantid: emu.tenantId,
        serviceprincipalid: sp.clientId,
        authenticationType: 'spnKey',
        serviceprincipalkey: 'not-the-secret',
      });
      expect(run.ok).toBe(false);
      expect(run.failure).toMatch(/AADSTS7000215/);
      expect(run.failure).not.toContain('not-the-secret');
    });

    it('no Reader on the workspace names the role', async () => {
      await emu.configure({ armRoles: { [emu.identities.azdo.clientId]: 'none' } });
      const run = await push('WorkloadIdentityFederation', {
        tenantid: emu.tenantId,
        serviceprincipalid: emu.identities.azdo.clientId,
      });
      expect(run.ok).toBe(false);
      expect(run.failure).toMatch(/Reader role on the workspace/);
    });

    it('a workspace whose vault was deleted, and a workspace name with a typo', async () => {
      const params = { tenantid: emu.tenantId, serviceprincipalid: emu.identities.azdo.clientId };
      const gone = await push('WorkloadIdentityFederation', params, NO_MI, { 'workspace-name': 'gone-ws' });
      expect(gone.ok).toBe(false);
      expect(gone.failure).toMatch(/no longer exists/);
      const typo = await push('WorkloadIdentityFederation', params, NO_MI, { 'workspace-name': 'trian-ws' });
      expect(typo.ok).toBe(false);
      expect(typo.failure).toMatch(/workspace 'trian-ws'.*was not found/);
    });

    it('an unsupported connection scheme is an input error, before any request', async () => {
      const run = await push('PublishProfile', {});
      expect(run.ok).toBe(false);
      expect(run.failure).toMatch(/azureSubscription.*PublishProfile.*not supported/);
      expect(await emu.requests()).toEqual([]);
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a subscription id that is not a GUID',
      { 'subscription-id': 'prod-sub' },
      /subscription-id: .*prod-sub.* is not a subscription id/,
    ],
    [
      'a tenant id that is neither GUID nor domain',
      { auth: 'oidc', 'client-id': '3f2504e0-4f89-41d3-9a0c-0305e82c3302', 'tenant-id': 'contoso' },
      /tenant-id: is not a tenant id/,
    ],
    [
      'both vault-url and a workspace',
      { 'vault-url': 'https://kv.vault.azure.net' },
      /not vault-url and workspace-name/,
    ],
    ['an unknown cloud', { cloud: 'AzureGermanCloud' }, /cloud: .*AzureGermanCloud.* is not one of/],
    [
      'an authority host that is not https',
      { 'authority-host': 'http://login.example' },
      /authority-host: must start with https:\/\//,
    ],
  ])('GitHub: %s is reported before any token is requested', async (_t, bad, message) => {
    const run = await gitHubHarness(node, emu.env).push({
      inputs: { ...workspaceInputs(), ...bad },
      values: VALUES,
      env: NO_MI,
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(message);
    expect(await emu.requests()).toEqual([]);
  });
});

describe.each(['AzureUSGovernment', 'AzureChinaCloud', 'AzureCloud'])('cloud %s (Node 24)', (cloud) => {
  const node = NODE_RUNTIMES[1]!;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator(['--cloud', cloud, '--workspace', `${SUB}/${RG}/gov-ws`]);
  });
  afterAll(async () => emu?.stop());

  const inputs = (toolCloud: string) => ({
    auth: 'oidc',
    'client-id': emu.identities.github.clientId,
    'tenant-id': emu.tenantId,
    cloud: toolCloud,
    'workspace-name': 'gov-ws',
    'resource-group': RG,
    'subscription-id': SUB,
    'resource-manager-endpoint': emu.armUrl,
    'authority-host': emu.authorityHost,
    secrets: 'DB_PASSWORD',
  });

  it("workspace → vault with that cloud's audiences", async () => {
    const run = await gitHubHarness(node, emu.env).push({ inputs: inputs(cloud), values: VALUES, env: NO_MI });
    expect(run.failure).toBe('');
    expect(run.outputs['vault-url']).toBe(emu.workspaces[`${SUB}/${RG}/gov-ws`]!.vaultUrl.replace(/\/$/, ''));
  });

  it('the wrong cloud setting fails with an audience error that says to check it', async () => {
    const wrong = cloud === 'AzureCloud' ? 'AzureUSGovernment' : 'AzureCloud';
    const run = await gitHubHarness(node, emu.env).push({ inputs: inputs(wrong), values: VALUES, env: NO_MI });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/401/);
    expect(run.failure).toMatch(/cloud setting/);
  });
});

/** Why the azure-cli flow cannot be tried here, or undefined when `az` runs. */
function azureCliMissing(): string | undefined {
  const az = spawnSync('az', ['version'], { encoding: 'utf8' });
  return az.status === 0
    ? undefined
    : 'the Azure CLI is not installed (az version failed), so there is no azure/login session to reuse';
}

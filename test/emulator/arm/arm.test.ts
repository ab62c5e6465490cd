// The emulated Resource Manager: workspace → properties.keyVault → vault → properties.vaultUri, through
// a @azure/core-rest-pipeline pipeline with bearerTokenAuthenticationPolicy (how the product calls ARM),
// and ARM's errors: 401s, 403 AuthorizationFailed (armRoles), the 404s, api-versions.
import { ClientSecretCredential } from '@azure/identity';
import { MLS_API_VERSIONS, KEYVAULT_API_VERSIONS } from '../../../emulator/arm/errors.js';
import { keyId, signJwt } from '../../../emulator/entra/tokens.js';
import { startEmulator, useDiscoveryProxy, useEmulatorEnv } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { armClient, certDirKey, raw, resolveVault, SCOPES, workspaceUrl } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';

let emu: Emulator;
let credential: ClientSecretCredential;
let arm: ReturnType<typeof armClient>;

beforeAll(async () => {
  emu = await startEmulator([
    '--vault',
    'extra',
    '--workspace',
    `${SUB}/ml-rg/train-ws`,
    '--workspace',
    `${SUB}/ml-rg/second-ws=shared-kv`,
    '--workspace',
    `${OTHER_SUB}/Other-RG/third-ws=shared-kv`,
    '--workspace',
    `${SUB}/ml-rg/reuse-ws=extra`,
    '--workspace',
    'gone-ws=-',
    '--quiet',
  ]);
  useEmulatorEnv(emu);
  useDiscoveryProxy(emu);
  const sp = emu.identities.servicePrincipal;
  credential = new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, {
    authorityHost: emu.authorityHost,
  });
  arm = armClient(credential);
});
afterEach(() => emu.configure({ armRoles: {} }));
afterAll(() => emu.stop());

const DEFAULT_RG = 'aml-vault-push-emulator';
const kvUrl = (id: string, v = '2024-11-01') => `${emu.armUrl}${id}?api-version=${v}`;

describe('workspace → vault', () => {
  test("the workspace GET is shaped like ARM's example and names its vault by resource id", async () => {
    const res = await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/train-ws`,
      name: 'train-ws',
      type: 'Microsoft.MachineLearningServices/workspaces',
      location: expect.any(String),
      properties: {
        keyVault: `/subscriptions/${SUB}/resourcegroups/ml-rg/providers/microsoft.keyvault/vaults/kv-train-ws`,
        provisioningState: 'Succeeded',
      },
    });
    expect(res.json.properties.keyVault).toBe(emu.workspaces[`${SUB}/ml-rg/train-ws`]!.keyVaultId);
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('the vault GET gives vaultUri (trailing slash), tenant and RBAC mode; each vault its own URI', async () => {
    const vault = await arm.get(kvUrl(emu.workspaces[`${SUB}/ml-rg/train-ws`]!.keyVaultId));
    expect(vault.status).toBe(200);
    expect(vault.json).toMatchObject({
      id: `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.KeyVault/vaults/kv-train-ws`,
      name: 'kv-train-ws',
      type: 'Microsoft.KeyVault/vaults',
      properties: { vaultUri: `${emu.vaults['kv-train-ws']}/`, tenantId: emu.tenantId, enableRbacAuthorization: true },
    });
    expect(await resolveVault(emu, credential, SUB, 'ml-rg', 'second-ws')).toBe(`${emu.vaults['shared-kv']}/`);
    expect(await resolveVault(emu, credential, SUB, 'ml-rg', 'reuse-ws')).toBe(`${emu.vaults.extra}/`);
    expect(emu.vaults['shared-kv']).not.toBe(emu.vaults['kv-train-ws']);
  });

  test('two workspaces can share a vault; it stays where it was created (another subscription and group)', async () => {
    expect(emu.workspaces[`${OTHER_SUB}/Other-RG/third-ws`]!.keyVaultId).toBe(
      `/subscriptions/${SUB}/resourcegroups/ml-rg/providers/microsoft.keyvault/vaults/shared-kv`,
    );
    expect(await resolveVault(emu, credential, OTHER_SUB, 'Other-RG', 'third-ws')).toBe(`${emu.vaults['shared-kv']}/`);
    // The shared vault really is one vault.
    expect(Object.keys(emu.vaults).sort()).toEqual(['default', 'extra', 'kv-train-ws', 'shared-kv']);
  });

  test('paths and names are case-insensitive, as in ARM', async () => {
    const url = `${emu.armUrl}/SUBSCRIPTIONS/${SUB.toUpperCase()}/resourcegroups/ML-RG/providers/microsoft.machinelearningservices/WORKSPACES/Train-WS?api-version=2024-10-01`;
    expect((await arm.get(url)).json.name).toBe('train-ws');
  });

  test('a workspace given without SUB/RG lives in the default subscription and resource group', async () => {
    expect(emu.workspaces[`${emu.subscriptionId}/${DEFAULT_RG}/gone-ws`]!.keyVaultId).toBe(
      `/subscriptions/${emu.subscriptionId}/resourcegroups/${DEFAULT_RG}/providers/microsoft.keyvault/vaults/kv-gone-ws`,
    );
  });

  test('the request log records ARM calls', async () => {
    await emu.clearRequests();
    await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'));
    expect(await emu.requests('arm')).toEqual([
      {
        service: 'arm',
        method: 'GET',
        path: `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/train-ws`,
        status: 200,
        userAgent: expect.stringMatching(/^core-rest-pipeline\/[\d.]+ Node\//),
      },
    ]);
  });
});

describe('404s', () => {
  test('a workspace that does not exist: ResourceNotFound', async () => {
    const res = await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'trian-ws'));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: {
        code: 'ResourceNotFound',
        message:
          "The Resource 'Microsoft.MachineLearningServices/workspaces/trian-ws' under resource group 'ml-rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      },
    });
  });

  test('a resource group that does not exist: ResourceGroupNotFound', async () => {
    const res = await arm.get(workspaceUrl(emu, SUB, 'ml-rgx', 'train-ws'));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { code: 'ResourceGroupNotFound', message: "Resource group 'ml-rgx' could not be found." },
    });
  });

  test('a subscription that does not exist: SubscriptionNotFound', async () => {
    const other = '3f2504e0-4f89-41d3-9a0c-0305e82c33ff';
    const res = await arm.get(workspaceUrl(emu, other, 'ml-rg', 'train-ws'));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { code: 'SubscriptionNotFound', message: `The subscription '${other}' could not be found.` },
    });
  });

  test('a workspace whose vault was deleted (=-): the workspace names it, the vault GET is a 404', async () => {
    const ws = await arm.get(workspaceUrl(emu, emu.subscriptionId, DEFAULT_RG, 'gone-ws'));
    expect(ws.status).toBe(200);
    expect(emu.workspaces[`${emu.subscriptionId}/${DEFAULT_RG}/gone-ws`]!.vaultUrl).toBe('');
    const vault = await arm.get(kvUrl(ws.json.properties.keyVault));
    expect(vault.status).toBe(404);
    expect(vault.json.error).toEqual({
      code: 'ResourceNotFound',
      message: `The Resource 'Microsoft.KeyVault/vaults/kv-gone-ws' under resource group '${DEFAULT_RG}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    });
  });
});

describe('403 AuthorizationFailed (armRoles)', () => {
  const sp = () => emu.identities.servicePrincipal;

  test('no ARM role: the workspace GET names the client, the action and the scope', async () => {
    await emu.configure({ armRoles: { [sp().clientId]: 'none' } });
    const res = await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'));
    expect(res.status).toBe(403);
    expect(res.json.error).toEqual({
      code: 'AuthorizationFailed',
      message: `The client '${sp().objectId}' with object id '${sp().objectId}' does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/read' over scope '/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/train-ws' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
    // Without a role, a name that does not exist is denied too (ARM does not say what exists).
    expect((await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'trian-ws'))).status).toBe(403);
  });

  test("Reader on the workspace only: the workspace reads, its vault's GET is denied", async () => {
    await emu.configure({ armRoles: { [sp().clientId]: 'workspace' } });
    const ws = await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'));
    expect(ws.status).toBe(200);
    const vault = await arm.get(kvUrl(ws.json.properties.keyVault));
    expect(vault.status).toBe(403);
    expect(vault.json.error.message).toContain(
      "to perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/",
    );
  });

  test('other identities keep Reader; {} restores it for everyone', async () => {
    await emu.configure({ armRoles: { [emu.identities.github.clientId]: 'none' } });
    expect((await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'))).status).toBe(200);
    await emu.configure({ armRoles: { [sp().clientId]: 'none' } });
    await emu.configure({ armRoles: {} });
    expect((await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'))).status).toBe(200);
  });
});

describe('401s', () => {
  const url = () => workspaceUrl(emu, SUB, 'ml-rg', 'train-ws');

  test('no Authorization header: AuthenticationFailed with a Bearer challenge', async () => {
    const res = await raw(emu, url());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." },
    });
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.windows\.net\/", error="invalid_token"/,
    );
  });

  test('a token that is not ours: InvalidAuthenticationToken', async () => {
    expect((await raw(emu, url(), { token: 'not.a.jwt' })).json.error.code).toBe('InvalidAuthenticationToken');
  });

  test('a vault token on ARM: InvalidAuthenticationTokenAudience listing the allowed audiences', async () => {
    const vaultToken = (await credential.getToken(SCOPES.vault))!.token;
    const res = await raw(emu, url(), { token: vaultToken });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({
      code: 'InvalidAuthenticationTokenAudience',
      message:
        "The access token has been obtained for wrong audience or resource 'https://vault.azure.net'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
    });
  });

  test('every ARM audience form is accepted (with and without the slash, management.core too)', async () => {
    for (const scope of [
      'https://management.azure.com/.default',
      'https://management.azure.com//.default',
      'https://management.core.windows.net/.default',
      'https://management.core.windows.net//.default',
    ]) {
      expect((await armClient(credential, scope).get(url())).status).toBe(200);
    }
  });

  test('an expired token: ExpiredAuthenticationToken', async () => {
    const key = certDirKey('token-key.pem');
    const sp = emu.identities.servicePrincipal;
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(key.privateKey, keyId(key.publicKey), {
      aud: 'https://management.azure.com/',
      iss: `https://sts.windows.net/${emu.tenantId}/`,
      iat: now - 7200,
      nbf: now - 7200,
      exp: now - 3600,
      oid: sp.objectId,
      appid: sp.clientId,
      tid: emu.tenantId,
    });
    const res = await raw(emu, url(), { token });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('ExpiredAuthenticationToken');
    expect(res.json.error.message).toMatch(
      /^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M'\.$/,
    );
  });
});

describe('api-versions', () => {
  test.each([
    ...MLS_API_VERSIONS.slice(-6).map((v) => ['workspaces', v]),
    ...KEYVAULT_API_VERSIONS.slice(-5).map((v) => ['vaults', v]),
  ])('%s %s is accepted', async (type, v) => {
    const res = await arm.get(
      type === 'workspaces'
        ? workspaceUrl(emu, SUB, 'ml-rg', 'train-ws', v)
        : kvUrl(emu.workspaces[`${SUB}/ml-rg/train-ws`]!.keyVaultId, v),
    );
    expect(res.status).toBe(200);
  });

  test('the versions the product may pick are all there', () => {
    for (const v of ['2024-10-01', '2025-04-01', '2025-06-01', '2025-09-01']) expect(MLS_API_VERSIONS).toContain(v);
    for (const v of ['2023-07-01', '2024-11-01', '2025-05-01', '2026-02-01'])
      expect(KEYVAULT_API_VERSIONS).toContain(v);
  });

  test('an unknown version: NoRegisteredProviderFound, listing the supported ones', async () => {
    const res = await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws', '2019-01-01'));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('NoRegisteredProviderFound');
    expect(res.json.error.message).toMatch(
      /^No registered resource provider found for location '\S+' and API version '2019-01-01' for type 'workspaces'\. The supported api-versions are '2026-03-01, 2025-12-01, .*'\. The supported locations are '\S+'\.$/,
    );
  });

  test('a malformed version: InvalidApiVersionParameter; none at all: MissingApiVersionParameter', async () => {
    const bad = await arm.get(kvUrl(emu.workspaces[`${SUB}/ml-rg/train-ws`]!.keyVaultId, 'latest'));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('InvalidApiVersionParameter');
    expect(bad.json.error.message).toMatch(
      /^The api-version 'latest' is invalid\. The supported versions are '2026-02-01,2025-05-01,/,
    );
    const none = await arm.get(workspaceUrl(emu, SUB, 'ml-rg', 'train-ws').replace(/\?.*$/, ''));
    expect(none.json.error.code).toBe('MissingApiVersionParameter');
  });

  test('writes are not served (405), unknown paths are a 404', async () => {
    const token = (await credential.getToken(SCOPES.arm))!.token;
    expect(
      (await raw(emu, workspaceUrl(emu, SUB, 'ml-rg', 'train-ws'), { method: 'PUT', token, body: '{}' })).status,
    ).toBe(405);
    expect(
      (await raw(emu, `${emu.armUrl}/subscriptions/${SUB}/resourceGroups/ml-rg?api-version=2021-04-01`, { token }))
        .status,
    ).toBe(404);
  });
});

// An access-policy vault (--vault-permissions policies) and the pipeline identities' Resource
// Manager role (--arm-role, admin config armRole). Raw HTTPS for the data plane (tokens from the
// managed-identity endpoint by client_id), a @azure/core-rest-pipeline pipeline for ARM.
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, useDiscoveryProxy, useEmulatorEnv } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, armClient, raw } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const RG = `/subscriptions/${SUB}/resourceGroups/ap-rg`;
const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv-ap-ws`;
const AUTHZ = 'providers/Microsoft.Authorization';
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

let emu: Emulator;
let arm: ReturnType<typeof armClient>;
let vaultUrl: string;

/** A vault token for one managed identity, as the App Service protocol hands it out (client_id). */
async function tokenFor(clientId?: string): Promise<string> {
  const res = await raw(
    emu,
    `${emu.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent('https://vault.azure.net')}${clientId ? `&client_id=${clientId}` : ''}`,
    { headers: { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER } },
  );
  expect(res.status).toBe(200);
  return res.json.access_token as string;
}
const getSecret = async (name: string, clientId?: string) =>
  raw(emu, `${vaultUrl}/secrets/${name}?api-version=${API}`, { token: await tokenFor(clientId) });
const addPolicy = (objectId: string, secrets: string[]) =>
  arm.send('PUT', `${emu.armUrl}${VAULT_ID}/accessPolicies/add?api-version=2023-07-01`, {
    properties: { accessPolicies: [{ tenantId: emu.tenantId, objectId, permissions: { secrets } }] },
  });
const compute = () => emu.computes[`${SUB}/ap-rg/ap-ws/cpu`]!.identity;

beforeAll(async () => {
  emu = await startEmulator([
    '--vault-permissions',
    'policies',
    '--rbac',
    'user',
    '--arm-role',
    'contributor',
    '--workspace',
    `${SUB}/ap-rg/ap-ws`,
    '--compute',
    `${SUB}/ap-rg/ap-ws/cpu`,
    '--quiet',
  ]);
  useEmulatorEnv(emu);
  useDiscoveryProxy(emu);
  const sp = emu.identities.servicePrincipal;
  arm = armClient(
    new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, { authorityHost: emu.authorityHost }),
  );
  vaultUrl = emu.workspaces[`${SUB}/ap-rg/ap-ws`]!.vaultUrl;
  // The pipeline identities are Secrets Users here (get, list): make them Officers for a moment to seed a secret.
  await emu.configure({ rbac: 'officer' });
  const put = await raw(emu, `${vaultUrl}/secrets/model-key?api-version=${API}`, {
    method: 'PUT',
    token: await tokenFor(),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ value: 'policy-value' }),
  });
  expect(put.status).toBe(200);
  await emu.configure({ rbac: 'user' });
});
afterAll(() => emu.stop());

test('the vault GET: access-policy model, the pipeline identities hold policies that match --rbac', async () => {
  const vault = (await arm.get(`${emu.armUrl}${VAULT_ID}?api-version=2024-11-01`)).json;
  expect(vault.properties.enableRbacAuthorization).toBe(false);
  const mine = vault.properties.accessPolicies.find(
    (p: { objectId: string }) => p.objectId === emu.identities.servicePrincipal.objectId,
  );
  expect(mine).toEqual({
    tenantId: emu.tenantId,
    objectId: emu.identities.servicePrincipal.objectId,
    permissions: { keys: [], secrets: ['get', 'list'], certificates: [], storage: [] },
  });
  // No data-plane role assignments on an access-policy vault; the ARM role still shows.
  const list = await arm.get(
    `${emu.armUrl}${VAULT_ID}/${AUTHZ}/roleAssignments?api-version=2022-04-01&$filter=atScope()`,
  );
  expect(new Set(list.json.value.map((a: { properties: { scope: string } }) => a.properties.scope))).toEqual(
    new Set([`/subscriptions/${SUB}`]),
  );
});

test('a compute without a policy gets 403 naming the missing permission; accessPolicies/add get lets it read', async () => {
  const denied = await getSecret('model-key', compute().clientId);
  expect(denied.status).toBe(403);
  expect(denied.json.error.code).toBe('Forbidden');
  expect(denied.json.error.message).toContain(`oid=${compute().principalId}`);
  expect(denied.json.error.message).toContain('does not have secrets get permission on key vault');

  const added = await addPolicy(compute().principalId!, ['get', 'list']);
  expect(added.status).toBe(200);
  expect(added.json).toMatchObject({
    id: `${VAULT_ID}/accessPolicies/`,
    type: 'Microsoft.KeyVault/vaults/accessPolicies',
    properties: { accessPolicies: [{ objectId: compute().principalId, permissions: { secrets: ['get', 'list'] } }] },
  });
  const read = await getSecret('model-key', compute().clientId);
  expect(read.status).toBe(200);
  expect(read.json.value).toBe('policy-value');
  // Adding again merges: still one entry for the compute.
  await addPolicy(compute().principalId!, ['get']);
  const vault = (await arm.get(`${emu.armUrl}${VAULT_ID}?api-version=2024-11-01`)).json;
  expect(
    vault.properties.accessPolicies.filter((p: { objectId: string }) => p.objectId === compute().principalId),
  ).toHaveLength(1);
});

test('an entry with applicationId (a compound identity) does not let the object read alone', async () => {
  const ws = emu.workspaces[`${SUB}/ap-rg/ap-ws`]!.identity;
  const res = await arm.send('PUT', `${emu.armUrl}${VAULT_ID}/accessPolicies/add?api-version=2023-07-01`, {
    properties: {
      accessPolicies: [
        {
          tenantId: emu.tenantId,
          objectId: ws.principalId,
          applicationId: ws.clientId,
          permissions: { secrets: ['all'] },
        },
      ],
    },
  });
  expect(res.status).toBe(200);
  expect((await getSecret('model-key', ws.clientId)).status).toBe(403);
});

test('Contributor adds access policies but cannot write role assignments; Reader can do neither (AuthorizationFailed)', async () => {
  const sp = emu.identities.servicePrincipal.objectId;
  const assignment = () =>
    arm.send(
      'PUT',
      `${emu.armUrl}${VAULT_ID}/${AUTHZ}/roleAssignments/1f0e6a55-0000-4000-8000-00000000abcd?api-version=2022-04-01`,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${SECRETS_USER}`,
          principalId: compute().principalId,
          principalType: 'ServicePrincipal',
        },
      },
    );
  const byContributor = await assignment();
  expect(byContributor.status).toBe(403);
  expect(byContributor.json).toEqual({
    error: {
      code: 'AuthorizationFailed',
      message: `The client '${sp}' with object id '${sp}' does not have authorization or an ABAC condition not fulfilled to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${VAULT_ID}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    },
  });
  await emu.configure({ armRole: 'reader' });
  try {
    const policy = await addPolicy(compute().principalId!, ['get']);
    expect(policy.status).toBe(403);
    expect(policy.json.error.message).toBe(
      `The client '${sp}' with object id '${sp}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/accessPolicies/write' over scope '${VAULT_ID}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
    // Reads still work for a Reader: the vault, its role assignments, the compute.
    expect((await arm.get(`${emu.armUrl}${VAULT_ID}?api-version=2024-11-01`)).status).toBe(200);
    expect((await arm.get(`${emu.armUrl}${VAULT_ID}/${AUTHZ}/roleAssignments?api-version=2022-04-01`)).status).toBe(
      200,
    );
    await emu.configure({ armRole: 'owner' });
    expect((await assignment()).status).toBe(201);
  } finally {
    await emu.configure({ armRole: 'contributor' });
  }
});

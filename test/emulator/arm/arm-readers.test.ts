// Who can read what on the emulated Resource Manager, through a @azure/core-rest-pipeline pipeline (as the product
// calls ARM): computes and their identities, workspace identities, hubs and projects, user-assigned
// identities, the vault's permission fields, role assignments and definitions; and the data plane
// deciding from that same state, read through the real SecretClient as a compute's own identity.
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, useDiscoveryProxy, useEmulatorEnv } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { armClient, rejection, sdkClient } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const RG = `/subscriptions/${SUB}/resourceGroups/ml-rg`;
const WS = `${RG}/providers/Microsoft.MachineLearningServices/workspaces`;
const AUTHZ = 'providers/Microsoft.Authorization';
const V = { mls: '2024-10-01', kv: '2024-11-01', authz: '2022-04-01', msi: '2023-01-31' };
const ROLE = {
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
};

let emu: Emulator;
let arm: ReturnType<typeof armClient>;
let vaultId: string;
const key = (c: string) => `${SUB}/ml-rg/train-ws/${c}`;
const computePrincipal = (c: string) => emu.computes[key(c)]!.identity.identities[0]!;
const url = (path: string, v: string) => `${emu.armUrl}${path}?api-version=${v}`;
const roleId = (guid: string) => `/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${guid}`;
const assign = (scope: string, name: string, principalId: string, role: string, extra: object = {}) =>
  arm.send('PUT', url(`${scope}/${AUTHZ}/roleAssignments/${name}`, V.authz), {
    properties: { roleDefinitionId: roleId(role), principalId, principalType: 'ServicePrincipal', ...extra },
  });
const listFor = async (scope: string, filter: string) =>
  (await arm.get(`${url(`${scope}/${AUTHZ}/roleAssignments`, V.authz)}&$filter=${encodeURIComponent(filter)}`)).json;
/** A SecretClient signed in as one managed identity of the emulator, by client id. */
const asIdentity = (clientId: string) =>
  new SecretClient(emu.workspaces[`${SUB}/ml-rg/train-ws`]!.vaultUrl, new ManagedIdentityCredential({ clientId }), {
    disableChallengeResourceVerification: true,
  });
const guid = (n: number) => `0000000${n}-1111-4222-8333-444444444444`.slice(-36);

beforeAll(async () => {
  emu = await startEmulator([
    '--workspace',
    `${SUB}/ml-rg/train-ws`,
    '--compute',
    `${SUB}/ml-rg/train-ws/cpu`,
    '--compute',
    `${SUB}/ml-rg/train-ws/gpu=user:uai-train`,
    '--compute',
    `${SUB}/ml-rg/train-ws/bare=none`,
    '--compute',
    `${SUB}/ml-rg/train-ws/grouped`,
    '--group',
    `ml-readers=compute:${SUB}/ml-rg/train-ws/grouped`,
    '--group',
    'all-readers=ml-readers',
    '--identity',
    `${OTHER_SUB}/id-rg/lonely-uai`,
    '--workspace-identity',
    `${SUB}/ml-rg/train-ws=uai-serverless`,
    '--hub',
    `${SUB}/ml-rg/hub-ws`,
    '--hub',
    `${SUB}/ml-rg/managed-hub=managed`,
    '--project',
    `${SUB}/ml-rg/proj-ws=${SUB}/ml-rg/hub-ws`,
    '--quiet',
  ]);
  useEmulatorEnv(emu);
  useDiscoveryProxy(emu);
  const sp = emu.identities.servicePrincipal;
  arm = armClient(
    new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, { authorityHost: emu.authorityHost }),
  );
  vaultId = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train-ws`;
  const pipelineClient = sdkClient(emu, emu.workspaces[`${SUB}/ml-rg/train-ws`]!.vaultUrl);
  await pipelineClient.setSecret('one', 'first-value');
  await pipelineClient.setSecret('two', 'second-value');
});
afterAll(() => emu.stop());

describe('computes, identities, hubs and projects', () => {
  test('a compute with a system-assigned identity: identity at the top level, ids as the start line lists them', async () => {
    const res = await arm.get(url(`${WS}/train-ws/computes/cpu`, V.mls));
    expect(res.status).toBe(200);
    const p = computePrincipal('cpu');
    expect(res.json).toMatchObject({
      id: `${WS}/train-ws/computes/cpu`,
      name: 'cpu',
      type: 'Microsoft.MachineLearningServices/workspaces/computes',
      identity: { type: 'SystemAssigned', principalId: p.principalId, tenantId: emu.tenantId },
      properties: { computeType: 'AmlCompute', provisioningState: 'Succeeded' },
    });
    expect(res.json.properties.identity).toBeUndefined();
    expect(emu.computes[key('cpu')]!.identity).toMatchObject({ type: 'SystemAssigned', clientId: p.clientId });
  });

  test('user-assigned: keyed by resource id with principalId and clientId; =none: no identity property; list', async () => {
    const gpu = (await arm.get(url(`${WS}/train-ws/computes/gpu`, V.mls))).json;
    const uai = emu.computes[key('gpu')]!.identity.identities[0]!;
    expect(uai.resourceId).toBe(`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-train`);
    expect(gpu.identity).toEqual({
      type: 'UserAssigned',
      userAssignedIdentities: { [uai.resourceId!]: { principalId: uai.principalId, clientId: uai.clientId } },
    });
    expect((await arm.get(url(`${WS}/train-ws/computes/bare`, V.mls))).json.identity).toBeUndefined();
    const list = await arm.get(url(`${WS}/train-ws/computes`, V.mls));
    expect(list.json.value.map((c: { name: string }) => c.name)).toEqual(['cpu', 'gpu', 'bare', 'grouped']);
    const missing = await arm.get(url(`${WS}/train-ws/computes/nope`, V.mls));
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('ResourceNotFound');
    const msi = await arm.get(url(uai.resourceId!, V.msi));
    expect(msi.json).toMatchObject({
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      properties: { principalId: uai.principalId, clientId: uai.clientId, tenantId: emu.tenantId },
    });
  });

  test('a user-assigned identity attached to nothing (--identity), in its own subscription, and the list of them all', async () => {
    const id = `/subscriptions/${OTHER_SUB}/resourceGroups/id-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/lonely-uai`;
    const listed = emu.userAssignedIdentities[id]!;
    expect(Object.keys(emu.userAssignedIdentities)).toHaveLength(3);
    const res = await arm.get(url(id, V.msi));
    expect(res.status).toBe(200);
    expect(res.json.properties).toEqual({ tenantId: emu.tenantId, ...listed });
    expect((await arm.get(url(id.replace('lonely', 'no'), V.msi))).status).toBe(404);
  });

  test('a workspace: kind, system- and user-assigned identity, primaryUserAssignedIdentity', async () => {
    const ws = (await arm.get(url(`${WS}/train-ws`, V.mls))).json;
    const info = emu.workspaces[`${SUB}/ml-rg/train-ws`]!;
    const uai = info.identity.identities[1]!;
    expect(ws.kind).toBe('Default');
    expect(ws.identity).toEqual({
      type: 'SystemAssigned,UserAssigned',
      principalId: info.identity.principalId,
      tenantId: emu.tenantId,
      userAssignedIdentities: { [uai.resourceId!]: { principalId: uai.principalId, clientId: uai.clientId } },
    });
    expect(ws.properties.primaryUserAssignedIdentity).toBe(uai.resourceId);
    // Some SDKs and docs print the type with a space; the emulator can too.
    await emu.configure({ identityTypeWithSpace: true });
    try {
      expect((await arm.get(url(`${WS}/train-ws`, V.mls))).json.identity.type).toBe('SystemAssigned, UserAssigned');
    } finally {
      await emu.configure({ identityTypeWithSpace: false });
    }
  });

  test("a project has no keyVault, its hubResourceId names the hub with the vault; a managed hub's keyVault is null", async () => {
    const proj = (await arm.get(url(`${WS}/proj-ws`, V.mls))).json;
    expect(proj.kind).toBe('Project');
    expect('keyVault' in proj.properties).toBe(false);
    expect(proj.properties.hubResourceId).toBe(`${WS}/hub-ws`);
    const hub = (await arm.get(`${emu.armUrl}${proj.properties.hubResourceId}?api-version=${V.mls}`)).json;
    expect(hub.kind).toBe('Hub');
    const vault = await arm.get(`${emu.armUrl}${hub.properties.keyVault}?api-version=${V.kv}`);
    expect(vault.json.properties.vaultUri).toBe(`${emu.workspaces[`${SUB}/ml-rg/proj-ws`]!.vaultUrl}/`);
    const managed = (await arm.get(url(`${WS}/managed-hub`, V.mls))).json;
    expect(managed.properties.keyVault).toBeNull();
    expect(emu.workspaces[`${SUB}/ml-rg/managed-hub`]).toMatchObject({ vaultUrl: '', managedVault: true });
  });

  test('the vault GET: RBAC model, no access policies, open network', async () => {
    const vault = (await arm.get(url(vaultId, V.kv))).json;
    expect(vault.properties).toMatchObject({
      enableRbacAuthorization: true,
      accessPolicies: [],
      networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' },
      publicNetworkAccess: 'Enabled',
    });
    await emu.configure({ firewall: 'deny', publicNetworkAccess: 'Disabled', vault: 'kv-train-ws' });
    expect((await arm.get(url(vaultId, V.kv))).json.properties).toMatchObject({
      networkAcls: { defaultAction: 'Deny' },
      publicNetworkAccess: 'Disabled',
    });
    await emu.configure({ firewall: 'allow', publicNetworkAccess: 'Enabled', vault: 'kv-train-ws' });
  });
});

describe('role assignments and definitions', () => {
  test("the pipeline identity's own roles show: its --rbac data role at the vault, its --arm-role at the subscription", async () => {
    const sp = emu.identities.servicePrincipal.objectId;
    const mine = await listFor(vaultId, `atScope() and assignedTo('${sp}')`);
    const rows = mine.value.map((a: { properties: { roleDefinitionId: string; scope: string } }) => [
      a.properties.roleDefinitionId,
      a.properties.scope,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [roleId(ROLE.owner), `/subscriptions/${SUB}`],
        [roleId(ROLE.secretsOfficer), vaultId],
      ]),
    );
    expect(mine.value[0]).toMatchObject({
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { principalType: 'ServicePrincipal', condition: null },
    });
    // The workspace's lower-case form of the vault id is the same scope.
    const lower = await listFor(
      emu.workspaces[`${SUB}/ml-rg/train-ws`]!.keyVaultId,
      `atScope() and assignedTo('${sp}')`,
    );
    expect(lower.value).toHaveLength(mine.value.length);
    // A new compute's identity has no role anywhere.
    expect((await listFor(vaultId, `principalId eq '${computePrincipal('cpu').principalId}'`)).value).toEqual([]);
    const bad = await arm.get(`${url(`${vaultId}/${AUTHZ}/roleAssignments`, V.authz)}&$filter=roleName eq 'x'`);
    expect(bad.status).toBe(400);
  });

  test('built-in definitions by GUID, at the tenant root and under the subscription', async () => {
    const root = await arm.get(url(`/${AUTHZ}/roleDefinitions/${ROLE.secretsUser}`, V.authz));
    expect(root.json).toMatchObject({
      id: `/${AUTHZ}/roleDefinitions/${ROLE.secretsUser}`,
      name: ROLE.secretsUser,
      properties: {
        roleName: 'Key Vault Secrets User',
        type: 'BuiltInRole',
        permissions: [
          {
            dataActions: [
              'Microsoft.KeyVault/vaults/secrets/getSecret/action',
              'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
            ],
          },
        ],
      },
    });
    const sub = await arm.get(url(`/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${ROLE.secretsUser}`, V.authz));
    expect(sub.json.id).toBe(roleId(ROLE.secretsUser));
    expect((await arm.get(url(`/${AUTHZ}/roleDefinitions/${guid(9)}`, V.authz))).status).toBe(404);
  });

  test("a compute's identity cannot read until Key Vault Secrets User is assigned; then it reads; no second assignment", async () => {
    const cpu = computePrincipal('cpu');
    const denied = await rejection(asIdentity(cpu.clientId).getSecret('one'));
    expect(denied.statusCode).toBe(403);
    expect(denied.code).toBe('Forbidden');
    expect(denied.message).toContain(`oid=${cpu.principalId}`);

    const created = await assign(vaultId, guid(1), cpu.principalId, ROLE.secretsUser);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: `${vaultId}/${AUTHZ}/roleAssignments/${guid(1)}`,
      name: guid(1),
      properties: { roleDefinitionId: roleId(ROLE.secretsUser), principalId: cpu.principalId, scope: vaultId },
    });
    expect((await asIdentity(cpu.clientId).getSecret('one')).value).toBe('first-value');
    // The same PUT again is fine; the same grant under another name is a 409.
    expect((await assign(vaultId, guid(1), cpu.principalId, ROLE.secretsUser)).status).toBe(200);
    const again = await assign(vaultId, guid(2), cpu.principalId, ROLE.secretsUser);
    expect(again.status).toBe(409);
    expect(again.json).toEqual({
      error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' },
    });
    expect((await listFor(vaultId, `assignedTo('${cpu.principalId}')`)).value).toHaveLength(1);
    // Reused name for something else: RoleAssignmentUpdateNotPermitted.
    expect((await assign(RG, guid(1), cpu.principalId, ROLE.secretsUser)).json.error.code).toBe(
      'RoleAssignmentUpdateNotPermitted',
    );
    expect((await assign(vaultId, guid(1), cpu.principalId, ROLE.secretsOfficer)).json.error.code).toBe(
      'RoleAssignmentUpdateNotPermitted',
    );
  });

  test('a custom role with a wildcard data action at the resource group reads; one whose notDataActions remove getSecret does not', async () => {
    const [uai, wsUai] = [computePrincipal('gpu'), emu.workspaces[`${SUB}/ml-rg/train-ws`]!.identity.identities[1]!];
    const defineRole = (id: string, roleName: string, permissions: object) =>
      arm.send('PUT', url(`/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${id}`, V.authz), {
        properties: {
          roleName,
          description: 'test',
          type: 'CustomRole',
          permissions: [permissions],
          assignableScopes: [`/subscriptions/${SUB}`],
        },
      });
    expect(
      (
        await defineRole(guid(3), 'Secret readers (wildcard)', {
          actions: [],
          dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await defineRole(guid(4), 'Everything but values', {
          dataActions: ['Microsoft.KeyVault/vaults/*'],
          notDataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action'],
        })
      ).status,
    ).toBe(201);
    expect((await defineRole(guid(5), 'Secret readers (wildcard)', {})).json.error.code).toBe(
      'RoleDefinitionWithSameNameExists',
    );
    const listed = await arm.get(
      `${url(`/subscriptions/${SUB}/${AUTHZ}/roleDefinitions`, V.authz)}&$filter=${encodeURIComponent("type eq 'CustomRole'")}`,
    );
    expect(listed.json.value.map((r: { name: string }) => r.name)).toEqual([guid(3), guid(4)]);

    expect((await assign(RG, guid(6), uai.principalId, guid(3))).status).toBe(201);
    expect((await assign(RG, guid(7), wsUai.principalId, guid(4))).status).toBe(201);
    expect((await asIdentity(uai.clientId).getSecret('two')).value).toBe('second-value');
    expect((await rejection(asIdentity(wsUai.clientId).getSecret('two'))).statusCode).toBe(403);
    // Its metadata it may read (readMetadata is not removed).
    const names: string[] = [];
    for await (const p of asIdentity(wsUai.clientId).listPropertiesOfSecrets()) names.push(p.name);
    expect(names.sort()).toEqual(['one', 'two']);
    // The RG-scoped assignment shows at the vault (inherited), not with atScope() at a sibling.
    expect((await listFor(vaultId, `atScope() and assignedTo('${uai.principalId}')`)).value[0].properties.scope).toBe(
      RG,
    );
  });

  test('a secret-scoped assignment counts for that secret only; one with a condition grants nothing', async () => {
    const ws = emu.workspaces[`${SUB}/ml-rg/train-ws`]!.identity;
    expect((await assign(`${vaultId}/secrets/one`, guid(8), ws.principalId!, ROLE.secretsUser)).status).toBe(201);
    expect((await asIdentity(ws.clientId!).getSecret('one')).value).toBe('first-value');
    expect((await rejection(asIdentity(ws.clientId!).getSecret('two'))).statusCode).toBe(403);
    const hubId = emu.workspaces[`${SUB}/ml-rg/hub-ws`]!.identity;
    const cond = await assign(vaultId, guid(10), hubId.principalId!, ROLE.secretsUser, {
      condition: "@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEquals 'one'",
      conditionVersion: '2.0',
    });
    expect(cond.json.properties.condition).toContain('StringEquals');
    expect((await rejection(asIdentity(hubId.clientId!).getSecret('one'))).statusCode).toBe(403);
  });

  test('an assignment at the subscription reaches the vault; Owner there grants no data', async () => {
    const proj = emu.workspaces[`${SUB}/ml-rg/proj-ws`]!.identity;
    expect((await assign(`/subscriptions/${SUB}`, guid(13), proj.principalId!, ROLE.owner)).status).toBe(201);
    expect((await rejection(asIdentity(proj.clientId!).getSecret('two'))).statusCode).toBe(403);
    expect((await assign(`/subscriptions/${SUB}`, guid(14), proj.principalId!, ROLE.secretsUser)).status).toBe(201);
    expect((await asIdentity(proj.clientId!).getSecret('two')).value).toBe('second-value');
  });

  test('an unknown principal needs principalType (replication delay); DELETE removes an assignment', async () => {
    const stranger = '9f0e6a55-0000-4000-8000-00000000abcd';
    const noType = await arm.send('PUT', url(`${vaultId}/${AUTHZ}/roleAssignments/${guid(11)}`, V.authz), {
      properties: { roleDefinitionId: roleId(ROLE.secretsUser), principalId: stranger },
    });
    expect(noType.status).toBe(400);
    expect(noType.json.error.code).toBe('PrincipalNotFound');
    expect((await assign(vaultId, guid(11), stranger, ROLE.secretsUser)).status).toBe(201);
    const del = await arm.send('DELETE', url(`${vaultId}/${AUTHZ}/roleAssignments/${guid(11)}`, V.authz));
    expect(del.status).toBe(200);
    expect((await arm.send('DELETE', url(`${vaultId}/${AUTHZ}/roleAssignments/${guid(11)}`, V.authz))).status).toBe(
      204,
    );
    expect((await arm.get(url(`${vaultId}/${AUTHZ}/roleAssignments/${guid(11)}`, V.authz))).json.error.code).toBe(
      'RoleAssignmentNotFound',
    );
  });

  test('a grant to a group reaches its members, through nested groups; assignedTo() lists it, principalId eq does not', async () => {
    const member = computePrincipal('grouped');
    const outer = emu.groups['all-readers']!;
    expect(emu.groups['ml-readers']!.members).toEqual([member.principalId]);
    expect(outer.members).toEqual([emu.groups['ml-readers']!.objectId]);
    expect((await rejection(asIdentity(member.clientId).getSecret('one'))).statusCode).toBe(403);
    const res = await assign(vaultId, guid(12), outer.objectId, ROLE.secretsUser, { principalType: 'Group' });
    expect(res.status).toBe(201);
    expect((await asIdentity(member.clientId).getSecret('one')).value).toBe('first-value');
    const via = await listFor(vaultId, `atScope() and assignedTo('${member.principalId}')`);
    expect(via.value.map((a: { properties: { principalId: string } }) => a.properties.principalId)).toEqual([
      outer.objectId,
    ]);
    expect((await listFor(vaultId, `principalId eq '${member.principalId}'`)).value).toEqual([]);
  });
});

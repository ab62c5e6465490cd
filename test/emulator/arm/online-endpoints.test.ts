// Online endpoints and their deployments: the --online-endpoint flag (refused with a reason, planned with fixed
// identities), the start line's `onlineEndpoints`, Resource Manager's GET/list of endpoints and PUT/GET/list/DELETE
// of deployments with their 404s and authorization, and the endpoint identities' tokens from the managed-identity
// endpoint: a Key Vault Secrets User assignment is what lets the endpoint read (403 before, the value after).
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { parseCli } from '../../../emulator/cli-options.js';
import { planAml } from '../../../emulator/arm/aml-plan.js';
import { Vault } from '../../../emulator/keyvault/vault.js';
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { armClient, claimsOf, raw, rejection, servicePrincipalArm } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const RG = `/subscriptions/${SUB}/resourceGroups/ml-rg`;
const WS = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/train-ws`;
const EP = `${WS}/onlineEndpoints`;
const UAI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-endpoint`;
const V = '2025-06-01';
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

test.each([
  [['--online-endpoint', `${SUB}/rg/ws-one/ab`], /"ab" is not a valid online endpoint name \(3-32 letters/],
  [['--online-endpoint', `${SUB}/rg/ws-one/1score`], /"1score" is not a valid online endpoint name/],
  [['--online-endpoint', `${SUB}/rg/ws-one/${'e'.repeat(33)}`], /is not a valid online endpoint name/],
  [['--online-endpoint', `${SUB}/rg/ws-one/score_ep`], /"score_ep" is not a valid online endpoint name/],
  [['--online-endpoint', `${SUB}/rg/ws-one/score=both`], /after = expected system, none, user:IDENTITY/],
  [['--online-endpoint', `${SUB}/rg/ws-one/score=user:/subscriptions/x/y`], /is not a user-assigned identity's/],
  [['--online-endpoint', 'score'], /invalid --online-endpoint "score": expected SUB\/RG\/WS\/NAME or WS\/NAME/],
])('parseCli %j refuses with a reason', (args, reason) => {
  expect(() => parseCli(args)).toThrow(reason);
});

const plan = (args: string[]) => planAml(parseCli(args), new Map([['default', new Vault('default')]]), {});

test('planning: the workspace must exist, names are unique per workspace, identities are fixed per path', () => {
  expect(() => plan(['--online-endpoint', `${SUB}/rg/nope-ws/score`])).toThrow(/no --workspace, --hub or --project/);
  expect(() =>
    plan([
      '--workspace',
      `${SUB}/rg/ml-ws`,
      '--online-endpoint',
      `${SUB}/rg/ml-ws/score`,
      '--online-endpoint',
      `${SUB}/rg/ml-ws/SCORE`,
    ]),
  ).toThrow(/duplicate --online-endpoint/);
  const args = [
    '--workspace',
    `${SUB}/rg/ml-ws`,
    '--online-endpoint',
    `${SUB}/rg/ml-ws/sys`,
    '--online-endpoint',
    `${SUB}/rg/ml-ws/both=system+user:shared,other`,
    '--online-endpoint',
    `${SUB}/rg/ml-ws/none=none`,
    '--compute',
    `${SUB}/rg/ml-ws/cpu=user:shared`,
  ];
  const [one, two] = [plan(args), plan(args)];
  const [sys, both, none] = one.onlineEndpoints;
  expect(sys!.identity.system).toBeDefined();
  expect(both!.identity.user.map((u) => u.name)).toEqual(['shared', 'other']);
  expect(both!.identity.user[0]!.principal).toBe(one.computes[0]!.identity.user[0]!.principal);
  expect(none!.identity).toEqual({ user: [] });
  expect(two.onlineEndpoints[1]!.identity.system!.objectId).toBe(both!.identity.system!.objectId);
  expect(sys!.identity.system!.objectId).not.toBe(both!.identity.system!.objectId);
  // A group may hold an endpoint's identities (endpoint:SUB/RG/WS/NAME), as it holds a compute's.
  const grouped = plan([...args, '--group', `g=endpoint:${SUB}/rg/ml-ws/both`]);
  const b = grouped.onlineEndpoints[1]!.identity;
  expect(grouped.groups[0]!.members).toEqual([b.system!.objectId, ...b.user.map((u) => u.principal.objectId)]);
  expect(() => plan([...args, '--group', `g=endpoint:${SUB}/rg/ml-ws/nope`])).toThrow(/member "endpoint:.*" is not/);
});

let emu: Emulator;
let arm: ReturnType<typeof armClient>;
const url = (path: string, v = V) => `${emu.armUrl}${path}?api-version=${v}`;

beforeAll(async () => {
  emu = await startEmulator([
    '--workspace',
    `${SUB}/ml-rg/train-ws`,
    '--workspace-identity',
    `${SUB}/ml-rg/train-ws=uai-serverless`,
    '--online-endpoint',
    `${SUB}/ml-rg/train-ws/score-sys`,
    '--online-endpoint',
    `${SUB}/ml-rg/train-ws/score-uai=user:${UAI}`,
    '--online-endpoint',
    `${SUB}/ml-rg/train-ws/score-none=none`,
    '--quiet',
  ]);
  arm = servicePrincipalArm(emu);
});
afterAll(() => emu.stop());

const endpoint = (name: string) => emu.onlineEndpoints[`${SUB}/ml-rg/train-ws/${name}`]!;

test('the start line lists each endpoint with its id and identities, as computes are listed', () => {
  expect(Object.keys(emu.onlineEndpoints).sort()).toEqual(
    ['score-none', 'score-sys', 'score-uai'].map((n) => `${SUB}/ml-rg/train-ws/${n}`),
  );
  const sys = endpoint('score-sys');
  expect(sys.id).toBe(`${EP}/score-sys`);
  expect(sys.identity).toEqual({
    type: 'SystemAssigned',
    principalId: expect.any(String),
    clientId: expect.any(String),
    identities: [{ principalId: sys.identity.principalId, clientId: sys.identity.clientId }],
  });
  const uai = emu.userAssignedIdentities[UAI]!;
  expect(endpoint('score-uai').identity).toEqual({
    type: 'UserAssigned',
    identities: [{ ...uai, resourceId: UAI }],
  });
  expect(endpoint('score-none').identity).toEqual({ type: 'None', identities: [] });
});

test('GET and list endpoints: identity as ARM shows it, 404 ResourceNotFound for an unknown one', async () => {
  const sys = await arm.get(url(`${EP}/score-sys`));
  expect(sys.status).toBe(200);
  expect(sys.json).toMatchObject({
    id: `${EP}/score-sys`,
    name: 'score-sys',
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints',
    identity: {
      type: 'SystemAssigned',
      principalId: endpoint('score-sys').identity.principalId,
      tenantId: emu.tenantId,
    },
    properties: { provisioningState: 'Succeeded', authMode: 'Key' },
  });
  const uai = (await arm.get(url(`${EP}/score-uai`))).json;
  expect(uai.identity).toEqual({
    type: 'UserAssigned',
    userAssignedIdentities: { [UAI]: emu.userAssignedIdentities[UAI] },
  });
  expect((await arm.get(url(`${EP}/score-none`))).json.identity).toEqual({ type: 'None' });
  const list = await arm.get(url(EP));
  expect(list.json.value.map((e: { name: string }) => e.name)).toEqual(['score-sys', 'score-uai', 'score-none']);
  const missing = await arm.get(url(`${EP}/nope-ep`));
  expect([missing.status, missing.json.error.code]).toEqual([404, 'ResourceNotFound']);
  expect(missing.json.error.message).toContain(
    "'Microsoft.MachineLearningServices/workspaces/train-ws/onlineEndpoints/nope-ep'",
  );
  const noWs = await arm.get(
    url(`${RG}/providers/Microsoft.MachineLearningServices/workspaces/nope-ws/onlineEndpoints`),
  );
  expect([noWs.status, noWs.json.error.code]).toEqual([404, 'ResourceNotFound']);
});

test('the workspace lists its user-assigned identities (serverless jobs run as them)', async () => {
  const ws = (await arm.get(url(WS))).json;
  const uai = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-serverless`;
  expect(ws.identity).toMatchObject({
    type: 'SystemAssigned,UserAssigned',
    userAssignedIdentities: { [uai]: emu.userAssignedIdentities[uai] },
  });
  expect(ws.properties.primaryUserAssignedIdentity).toBe(uai);
});

describe('deployments', () => {
  const dep = `${EP}/score-sys/deployments/blue`;
  const body = {
    location: 'local',
    tags: {},
    sku: { name: 'Default', capacity: 1 },
    properties: {
      endpointComputeType: 'Managed',
      model: `${WS}/models/m/versions/1`,
      instanceType: 'Standard_DS3_v2',
      environmentVariables: { DB_PASSWORD: '${{keyvault:https://kv.vault.azure.net/secrets/db-password/0123}}' },
      scaleSettings: { scaleType: 'Default' },
      requestSettings: { maxConcurrentRequestsPerInstance: 1, requestTimeout: 'PT5S' },
      appInsightsEnabled: false,
      provisioningState: 'Creating',
      notASpecProperty: true,
    },
  };

  test('PUT makes one (201), again replaces it (200), GET and list echo it; DELETE removes it (200, then 204)', async () => {
    const made = await arm.send('PUT', url(dep), body);
    expect(made.status).toBe(201);
    const { provisioningState: _p, notASpecProperty: _n, ...sent } = body.properties;
    expect(made.json).toEqual({
      id: dep,
      name: 'blue',
      type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
      location: 'local',
      tags: {},
      sku: body.sku,
      systemData: expect.objectContaining({ createdAt: expect.any(String), lastModifiedAt: expect.any(String) }),
      properties: { ...sent, provisioningState: 'Succeeded' },
    });
    const again = await arm.send('PUT', url(dep), {
      ...body,
      properties: { ...body.properties, environmentVariables: { A: 'b' } },
    });
    expect([again.status, again.json.properties.environmentVariables]).toEqual([200, { A: 'b' }]);
    expect(again.json.systemData.createdAt).toBe(made.json.systemData.createdAt);
    expect((await arm.get(url(dep))).json).toEqual(again.json);
    expect((await arm.get(url(`${EP}/score-sys/deployments`))).json).toEqual({ value: [again.json] });
    expect((await arm.get(url(`${EP}/score-uai/deployments`))).json).toEqual({ value: [] });
    expect((await arm.send('DELETE', url(dep))).status).toBe(200);
    expect((await arm.send('DELETE', url(dep))).status).toBe(204);
    const gone = await arm.get(url(dep));
    expect([gone.status, gone.json.error.code]).toEqual([404, 'ResourceNotFound']);
  });

  test('refusals: no location, a bad compute type or variables, an unknown endpoint, a reader that writes', async () => {
    const { location: _l, ...noLocation } = body;
    const cases: [unknown, string, number, string][] = [
      [noLocation, dep, 400, 'LocationRequired'],
      [{ ...body, properties: { ...body.properties, endpointComputeType: 'Vm' } }, dep, 400, 'InvalidRequestContent'],
      [
        { ...body, properties: { ...body.properties, environmentVariables: { A: 1 } } },
        dep,
        400,
        'InvalidRequestContent',
      ],
      [body, `${EP}/nope-ep/deployments/blue`, 404, 'ResourceNotFound'],
    ];
    for (const [b, path, status, code] of cases) {
      const res = await arm.send('PUT', url(path), b);
      expect([res.status, res.json.error.code]).toEqual([status, code]);
    }
    expect((await arm.send('PUT', url(dep, '2025-13-01'), body)).json.error.code).toBe('NoRegisteredProviderFound');
    // A Reader (armRole reader: Reader at each subscription) reads endpoints and deployments but may not deploy.
    await emu.configure({ armRole: 'reader' });
    try {
      expect((await arm.get(url(`${EP}/score-sys/deployments`))).status).toBe(200);
      for (const res of [await arm.send('PUT', url(dep), body), await arm.send('DELETE', url(dep))])
        expect([res.status, res.json.error.code]).toEqual([403, 'AuthorizationFailed']);
    } finally {
      await emu.configure({ armRole: 'owner' });
    }
    // The endpoint's own identity holds no Resource Manager role: it may neither read nor deploy.
    const asEndpoint = armClient(new ManagedIdentityCredential({ clientId: endpoint('score-sys').identity.clientId! }));
    for (const res of [await asEndpoint.get(url(`${EP}/score-sys`)), await asEndpoint.send('PUT', url(dep), body)])
      expect([res.status, res.json.error.code]).toEqual([403, 'AuthorizationFailed']);
  });
});

describe('tokens as an endpoint identity', () => {
  const msi = (query: string) =>
    raw(emu, `${emu.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://vault.azure.net&${query}`, {
      headers: { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER },
    });

  test('by client_id, principal_id, or mi_res_id = the endpoint’s id (its system-assigned identity) or the identity’s', async () => {
    const sys = endpoint('score-sys').identity;
    for (const q of [
      `client_id=${sys.clientId}`,
      `principal_id=${sys.principalId}`,
      `mi_res_id=${encodeURIComponent(`${EP}/score-sys`)}`,
    ]) {
      const res = await msi(q);
      expect(res.status).toBe(200);
      expect(claimsOf(res.json.access_token)).toMatchObject({ oid: sys.principalId, appid: sys.clientId });
    }
    const uai = emu.userAssignedIdentities[UAI]!;
    expect(claimsOf((await msi(`mi_res_id=${encodeURIComponent(UAI)}`)).json.access_token).oid).toBe(uai.principalId);
  });

  test('the endpoint reads a secret after a Key Vault Secrets User assignment, 403 before', async () => {
    const vaultUrl = emu.workspaces[`${SUB}/ml-rg/train-ws`]!.vaultUrl;
    const vaultId = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train-ws`;
    const options = { disableChallengeResourceVerification: true };
    await new SecretClient(vaultUrl, new ManagedIdentityCredential(), options).setSecret('db-password', 's3cret-value');
    const sys = endpoint('score-sys').identity;
    const asEndpoint = new SecretClient(vaultUrl, new ManagedIdentityCredential({ clientId: sys.clientId! }), options);
    expect((await rejection(asEndpoint.getSecret('db-password'))).statusCode).toBe(403);
    const grant = await arm.send(
      'PUT',
      url(
        `${vaultId}/providers/Microsoft.Authorization/roleAssignments/0b5c1a9e-2d3f-4a6b-8c7d-9e0f1a2b3c4d`,
        '2022-04-01',
      ),
      {
        properties: {
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
          principalId: sys.principalId,
          principalType: 'ServicePrincipal',
        },
      },
    );
    expect(grant.status).toBe(201);
    expect((await asEndpoint.getSecret('db-password')).value).toBe('s3cret-value');
    // The user-assigned endpoint was not granted: still 403.
    const uai = new SecretClient(
      vaultUrl,
      new ManagedIdentityCredential({ clientId: emu.userAssignedIdentities[UAI]!.clientId }),
      options,
    );
    expect((await rejection(uai.getSecret('db-password'))).statusCode).toBe(403);
  });
});

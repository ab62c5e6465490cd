// The emulator's Resource Manager against the published REST specs, for exactly the operations and api-versions
// the product calls (src/core/targets/workspace-vault.ts, src/core/readers/): each answer validated against its
// api-version's schema (test/specs/, see spec-schemas.ts for what is derived), plus the read-only fields the spec's
// own examples show, the list shape and the documented error shapes.
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { missingPaths, problems } from './spec-schemas.js';
import { servicePrincipalArm } from '../support.js';
import type { armClient } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const RG = `/subscriptions/${SUB}/resourceGroups/ml-rg`;
const WS = `${RG}/providers/Microsoft.MachineLearningServices/workspaces`;
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train-ws`;
const AUTHZ = 'providers/Microsoft.Authorization';
/** The product's api-versions (workspace-vault.ts, readers/facts.ts, readers/vault-resource.ts). */
const V = { mls: '2025-06-01', kv: '2024-11-01', authz: '2022-04-01', msi: '2023-01-31', subs: '2022-12-01' };
const SPEC = {
  mls: 'machinelearningservices-2025-06-01.json',
  kv: 'keyvault-2024-11-01.json',
  authz: 'authorization-2022-04-01.json',
  msi: 'managedidentity-2023-01-31.json',
  subs: 'resources-subscriptions-2022-12-01.json',
  common: 'common-types-v3.json',
};
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

let emu: Emulator;
let arm: ReturnType<typeof armClient>;
const url = (path: string, v: string, query = '') => `${emu.armUrl}${path}?api-version=${v}${query}`;
const get = (path: string, v: string, query = '') => arm.send('GET', url(path, v, query));

/** The answer conforms to the definition and shows the example's read-only fields. */
function conforms(
  res: { status: number; json: unknown },
  status: number,
  spec: string,
  def: string,
  shown = [] as string[],
) {
  expect({
    status: res.status,
    problems: problems(spec, def, res.json),
    missing: missingPaths(res.json, shown),
  }).toEqual({
    status,
    problems: [],
    missing: [],
  });
}

/** `{ value, nextLink? }`: Resource Manager's list shape (a last page has no nextLink, whatever a spec requires). */
function listOf(
  res: { status: number; json: { value?: unknown[] } },
  spec: string,
  item: string,
  shown: string[] = [],
) {
  expect(res.status).toBe(200);
  expect(Object.keys(res.json).filter((k) => k !== 'value' && k !== 'nextLink')).toEqual([]);
  expect(Array.isArray(res.json.value) && res.json.value.length > 0).toBe(true);
  for (const one of res.json.value!) conforms({ status: 200, json: one }, 200, spec, item, shown);
}

/** `{ error: { code, message } }` with the documented status and code. */
function errorOf(res: { status: number; json: unknown }, status: number, spec: string, def: string, code: string) {
  conforms(res, status, spec, def, ['error.code', 'error.message']);
  expect((res.json as { error: { code: string } }).error.code).toBe(code);
}

beforeAll(async () => {
  emu = await startEmulator([
    '--workspace',
    `${SUB}/ml-rg/train-ws`,
    '--compute',
    `${SUB}/ml-rg/train-ws/cpu`,
    '--compute',
    `${SUB}/ml-rg/train-ws/gpu=user:uai-train`,
    '--workspace-identity',
    `${SUB}/ml-rg/train-ws=uai-serverless`,
    '--hub',
    `${SUB}/ml-rg/hub-ws`,
    '--hub',
    `${SUB}/ml-rg/managed-hub=managed`,
    '--project',
    `${SUB}/ml-rg/proj-ws=${SUB}/ml-rg/hub-ws`,
    '--identity',
    `${OTHER_SUB}/id-rg/lonely-uai`,
    '--online-endpoint',
    `${SUB}/ml-rg/train-ws/score`,
    '--online-endpoint',
    `${SUB}/ml-rg/train-ws/score-both=system+user:uai-train`,
    '--online-endpoint',
    `${SUB}/ml-rg/train-ws/score-none=none`,
    '--quiet',
  ]);
  arm = servicePrincipalArm(emu);
});
afterAll(() => emu.stop());

describe(`Microsoft.MachineLearningServices ${V.mls}`, () => {
  // Workspace/get.json shows privateLinkCount (read-only) on every workspace.
  test.each(['train-ws', 'hub-ws', 'managed-hub', 'proj-ws'])('Workspaces_Get %s', async (name) => {
    conforms(await get(`${WS}/${name}`, V.mls), 200, SPEC.mls, 'Workspace', ['properties.privateLinkCount']);
  });

  test('Workspaces_ListByResourceGroup', async () => {
    listOf(await get(WS, V.mls), SPEC.mls, 'Workspace', ['properties.privateLinkCount']);
  });

  // Compute/get/AmlCompute.json shows the provisioning and allocation state fields.
  const COMPUTE_SHOWN = [
    'properties.provisioningState',
    'properties.createdOn',
    'properties.modifiedOn',
    'properties.properties.allocationState',
    'properties.properties.allocationStateTransitionTime',
    'properties.properties.currentNodeCount',
    'properties.properties.targetNodeCount',
    'properties.properties.nodeStateCounts',
  ];
  test.each(['cpu', 'gpu'])('Compute_Get %s (AmlCompute)', async (name) => {
    conforms(await get(`${WS}/train-ws/computes/${name}`, V.mls), 200, SPEC.mls, 'ComputeResource', COMPUTE_SHOWN);
  });

  test('Compute_List', async () => {
    listOf(await get(`${WS}/train-ws/computes`, V.mls), SPEC.mls, 'ComputeResource', COMPUTE_SHOWN);
  });

  test('errors: an unknown workspace or compute is 404 ResourceNotFound in the common ErrorResponse', async () => {
    errorOf(await get(`${WS}/nope-ws`, V.mls), 404, SPEC.common, 'ErrorResponse', 'ResourceNotFound');
    errorOf(await get(`${WS}/train-ws/computes/nope`, V.mls), 404, SPEC.common, 'ErrorResponse', 'ResourceNotFound');
  });
});

describe(`Microsoft.MachineLearningServices ${V.mls}: online endpoints and deployments`, () => {
  const EP = `${WS}/train-ws/onlineEndpoints`;
  // Workspace/OnlineEndpoint/get.json and OnlineDeployment/ManagedOnlineDeployment/get.json show these.
  const ENDPOINT_SHOWN = [
    'identity.type',
    'systemData',
    'properties.authMode',
    'properties.scoringUri',
    'properties.provisioningState',
    'properties.traffic',
  ];
  const DEPLOYMENT_SHOWN = ['systemData', 'properties.endpointComputeType', 'properties.provisioningState'];
  // What `az ml online-deployment create` sends for a managed deployment (its environment variables among them).
  const deployment = {
    location: 'local',
    tags: {},
    sku: { name: 'Default', capacity: 1 },
    properties: {
      endpointComputeType: 'Managed',
      model: `${WS}/train-ws/models/m/versions/1`,
      codeConfiguration: { codeId: `${WS}/train-ws/codes/c/versions/1`, scoringScript: 'score.py' },
      environmentId: `${WS}/train-ws/environments/e/versions/1`,
      environmentVariables: { DB_PASSWORD: '${{keyvault:https://kv.vault.azure.net/secrets/db-password}}' },
      instanceType: 'Standard_DS3_v2',
      scaleSettings: { scaleType: 'Default' },
      requestSettings: { maxConcurrentRequestsPerInstance: 1, requestTimeout: 'PT5S', maxQueueWait: 'PT0.5S' },
      livenessProbe: {
        failureThreshold: 30,
        successThreshold: 1,
        timeout: 'PT2S',
        period: 'PT10S',
        initialDelay: 'PT10S',
      },
      readinessProbe: {
        failureThreshold: 30,
        successThreshold: 1,
        timeout: 'PT2S',
        period: 'PT10S',
        initialDelay: 'PT10S',
      },
      appInsightsEnabled: false,
      egressPublicNetworkAccess: 'Enabled',
      properties: {},
    },
  };

  test.each(['score', 'score-both', 'score-none'])('OnlineEndpoints_Get %s', async (name) => {
    conforms(await get(`${EP}/${name}`, V.mls), 200, SPEC.mls, 'OnlineEndpointTrackedResource', ENDPOINT_SHOWN);
  });

  test('OnlineEndpoints_List', async () => {
    listOf(await get(EP, V.mls), SPEC.mls, 'OnlineEndpointTrackedResource', ENDPOINT_SHOWN);
  });

  test('OnlineDeployments_CreateOrUpdate (201, then 200), _Get, _List, _Delete', async () => {
    const at = `${EP}/score/deployments/blue`;
    for (const status of [201, 200])
      conforms(
        await arm.send('PUT', url(at, V.mls), deployment),
        status,
        SPEC.mls,
        'OnlineDeploymentTrackedResource',
        DEPLOYMENT_SHOWN,
      );
    conforms(await get(at, V.mls), 200, SPEC.mls, 'OnlineDeploymentTrackedResource', DEPLOYMENT_SHOWN);
    listOf(await get(`${EP}/score/deployments`, V.mls), SPEC.mls, 'OnlineDeploymentTrackedResource', DEPLOYMENT_SHOWN);
    expect((await arm.send('DELETE', url(at, V.mls))).status).toBe(200);
  });

  test('errors: an unknown endpoint or deployment is 404 ResourceNotFound in the common ErrorResponse', async () => {
    errorOf(await get(`${EP}/nope-ep`, V.mls), 404, SPEC.common, 'ErrorResponse', 'ResourceNotFound');
    errorOf(await get(`${EP}/score/deployments/nope`, V.mls), 404, SPEC.common, 'ErrorResponse', 'ResourceNotFound');
    errorOf(
      await arm.send('PUT', url(`${EP}/nope-ep/deployments/blue`, V.mls), deployment),
      404,
      SPEC.common,
      'ErrorResponse',
      'ResourceNotFound',
    );
  });
});

describe(`Microsoft.KeyVault ${V.kv}`, () => {
  // getVault.json shows systemData.
  test('Vaults_Get', async () => {
    conforms(await get(VAULT, V.kv), 200, SPEC.kv, 'Vault', ['systemData', 'properties.vaultUri']);
  });

  test('Vaults_ListBySubscription', async () => {
    listOf(await get(`/subscriptions/${SUB}/providers/Microsoft.KeyVault/vaults`, V.kv), SPEC.kv, 'Vault', [
      'systemData',
    ]);
  });

  test('Vaults_UpdateAccessPolicy (add)', async () => {
    const res = await arm.send('PUT', url(`${VAULT}/accessPolicies/add`, V.kv), {
      properties: {
        accessPolicies: [
          {
            tenantId: emu.tenantId,
            objectId: '11111111-2222-4333-8444-555555555555',
            permissions: { secrets: ['get'] },
          },
        ],
      },
    });
    conforms(res, 200, SPEC.kv, 'VaultAccessPolicyParameters', ['properties.accessPolicies']);
  });

  test('errors: an unknown vault is 404 ResourceNotFound in CloudError', async () => {
    errorOf(
      await get(`${RG}/providers/Microsoft.KeyVault/vaults/nope-kv`, V.kv),
      404,
      SPEC.kv,
      'CloudError',
      'ResourceNotFound',
    );
  });
});

describe(`Microsoft.Authorization ${V.authz}`, () => {
  const name = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
  const principal = '22222222-3333-4444-8555-666666666666';
  const assignment = `${VAULT}/${AUTHZ}/roleAssignments/${name}`;
  const roleId = `/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${SECRETS_USER}`;
  const filter = (f: string) => `&$filter=${encodeURIComponent(f)}`;

  test('RoleAssignments_Create, _Get, _ListForScope with each documented filter, _Delete', async () => {
    const body = {
      properties: { roleDefinitionId: roleId, principalId: principal, principalType: 'ServicePrincipal' },
    };
    conforms(await arm.send('PUT', url(assignment, V.authz), body), 201, SPEC.authz, 'RoleAssignment', [
      'properties.scope',
      'properties.createdOn',
    ]);
    conforms(await get(assignment, V.authz), 200, SPEC.authz, 'RoleAssignment');
    for (const f of [
      '',
      filter('atScope()'),
      filter(`assignedTo('${principal}')`),
      filter(`atScope() and assignedTo('${principal}')`),
      filter(`principalId eq '${principal}'`),
    ])
      listOf(await get(`${VAULT}/${AUTHZ}/roleAssignments`, V.authz, f), SPEC.authz, 'RoleAssignment');
    conforms(await arm.send('DELETE', url(assignment, V.authz)), 200, SPEC.authz, 'RoleAssignment');
    expect(await arm.send('DELETE', url(assignment, V.authz))).toEqual({ status: 204, json: undefined });
  });

  // learn.microsoft.com/azure/role-based-access-control/role-assignments-list-rest lists the filters the service
  // takes; any other is 400 (azure-rest-api-specs#28255 quotes the message).
  test.each([
    `principalId eq '${principal}' and atScope()`,
    `atScope() and principalId eq '${principal}'`,
    `assignedTo('${principal}') and principalId eq '${principal}'`,
    'atScope() and atScope()',
    `principalId eq ${principal}`,
    "roleDefinitionId eq 'x'",
  ])('RoleAssignments_ListForScope refuses $filter=%s', async (f) => {
    errorOf(
      await get(`${VAULT}/${AUTHZ}/roleAssignments`, V.authz, filter(f)),
      400,
      SPEC.common,
      'ErrorResponse',
      'UnsupportedQuery',
    );
  });

  test('errors: an unknown assignment is 404 RoleAssignmentNotFound', async () => {
    errorOf(
      await get(`${VAULT}/${AUTHZ}/roleAssignments/${name.replace('6f', '7f')}`, V.authz),
      404,
      SPEC.common,
      'ErrorResponse',
      'RoleAssignmentNotFound',
    );
  });

  test('RoleDefinitions_GetById and _List', async () => {
    conforms(await get(roleId, V.authz), 200, SPEC.authz, 'RoleDefinition', [
      'properties.roleName',
      'properties.permissions',
    ]);
    listOf(await get(`/subscriptions/${SUB}/${AUTHZ}/roleDefinitions`, V.authz), SPEC.authz, 'RoleDefinition');
  });
});

describe(`Microsoft.ManagedIdentity ${V.msi}`, () => {
  test('UserAssignedIdentities_Get', async () => {
    const id = `/subscriptions/${OTHER_SUB}/resourceGroups/id-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/lonely-uai`;
    conforms(await get(id, V.msi), 200, SPEC.msi, 'Identity', ['properties.principalId', 'properties.clientId']);
  });
});

describe(`Microsoft.Resources subscriptions ${V.subs}`, () => {
  // GetSubscriptions.json shows these on each subscription.
  const SHOWN = [
    'id',
    'subscriptionId',
    'tenantId',
    'displayName',
    'state',
    'subscriptionPolicies',
    'authorizationSource',
  ];

  test('Subscriptions_List: the subscriptions the emulator hosts', async () => {
    const res = await get('/subscriptions', V.subs);
    listOf(res, SPEC.subs, 'Subscription', SHOWN);
    // The hosted ones: those of the flags, and the default vault's.
    expect(res.json.value.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual(
      expect.arrayContaining([SUB, OTHER_SUB]),
    );
  });

  test('Subscriptions_Get, and an unknown one is 404 SubscriptionNotFound in CloudError', async () => {
    conforms(await get(`/subscriptions/${SUB}`, V.subs), 200, SPEC.subs, 'Subscription', SHOWN);
    errorOf(
      await get('/subscriptions/00000000-0000-4000-8000-000000000000', V.subs),
      404,
      SPEC.subs,
      'CloudError',
      'SubscriptionNotFound',
    );
  });
});

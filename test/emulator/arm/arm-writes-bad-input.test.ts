// The emulated Resource Manager's writes with bad requests, over raw HTTPS (a managed-identity token for
// Resource Manager, as the App Service endpoint hands it out): each is a 4xx with ARM's envelope and a
// code that says what is wrong, and none changes the state.
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { raw } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const VAULT = `/subscriptions/${SUB}/resourceGroups/bad-rg/providers/Microsoft.KeyVault/vaults/kv-bad-ws`;
const ASSIGNMENTS = `${VAULT}/providers/Microsoft.Authorization/roleAssignments`;
const NAME = '5d7b0c1e-0000-4000-8000-000000000001';
const SECRETS_USER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`;

let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator([
    '--workspace',
    `${SUB}/bad-rg/bad-ws`,
    '--compute',
    `${SUB}/bad-rg/bad-ws/cpu`,
    '--quiet',
  ]);
  const res = await raw(
    emu,
    `${emu.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent('https://management.azure.com')}`,
    { headers: { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER } },
  );
  token = res.json.access_token;
});
afterAll(() => emu.stop());

const put = (path: string, body: string, v = '2022-04-01') =>
  raw(emu, `${emu.armUrl}${path}?api-version=${v}`, {
    method: 'PUT',
    token,
    headers: { 'Content-Type': 'application/json' },
    body,
  });
const principal = () => emu.computes[`${SUB}/bad-rg/bad-ws/cpu`]!.identity.principalId!;
const assignment = (props: object) => JSON.stringify({ properties: props });

test.each([
  ['not JSON', () => put(`${ASSIGNMENTS}/${NAME}`, '{'), 400, 'InvalidRequestContent'],
  ['no properties', () => put(`${ASSIGNMENTS}/${NAME}`, '{}'), 400, 'InvalidRequestContent'],
  [
    'a principal id that is not a GUID',
    () => put(`${ASSIGNMENTS}/${NAME}`, assignment({ roleDefinitionId: SECRETS_USER, principalId: 'cpu' })),
    400,
    'InvalidPrincipalId',
  ],
  [
    'a name that is not a GUID',
    () => put(`${ASSIGNMENTS}/reader-1`, assignment({ roleDefinitionId: SECRETS_USER, principalId: principal() })),
    400,
    'InvalidRoleAssignmentId',
  ],
  [
    'a role that does not exist',
    () =>
      put(
        `${ASSIGNMENTS}/${NAME}`,
        assignment({ roleDefinitionId: SECRETS_USER.replace(/4633/, '9999'), principalId: principal() }),
      ),
    400,
    'RoleDefinitionDoesNotExist',
  ],
  [
    'an unknown principalType',
    () =>
      put(
        `${ASSIGNMENTS}/${NAME}`,
        assignment({ roleDefinitionId: SECRETS_USER, principalId: principal(), principalType: 'Robot' }),
      ),
    400,
    'InvalidRequestContent',
  ],
  [
    'an api-version Microsoft.Authorization does not have',
    () =>
      put(
        `${ASSIGNMENTS}/${NAME}`,
        assignment({ roleDefinitionId: SECRETS_USER, principalId: principal() }),
        '2024-10-01',
      ),
    400,
    'NoRegisteredProviderFound',
  ],
  [
    'a subscription that does not exist',
    () => put(`${ASSIGNMENTS.replace(SUB, SUB.replace(/1$/, '9'))}/${NAME}`, assignment({})),
    404,
    'SubscriptionNotFound',
  ],
  [
    'an access policy whose objectId is not a GUID',
    () =>
      put(
        `${VAULT}/accessPolicies/add`,
        JSON.stringify({
          properties: { accessPolicies: [{ tenantId: emu.tenantId, objectId: 'x', permissions: {} }] },
        }),
        '2024-11-01',
      ),
    400,
    'InvalidRequestContent',
  ],
  [
    'an access policy with an unknown secret permission',
    () =>
      put(
        `${VAULT}/accessPolicies/add`,
        JSON.stringify({
          properties: {
            accessPolicies: [{ tenantId: emu.tenantId, objectId: principal(), permissions: { secrets: ['read'] } }],
          },
        }),
        '2024-11-01',
      ),
    400,
    'BadRequest',
  ],
  [
    'accessPolicies/add on a vault that does not exist',
    () =>
      put(
        `${VAULT.replace('kv-bad-ws', 'kv-nope')}/accessPolicies/add`,
        JSON.stringify({ properties: { accessPolicies: [] } }),
        '2024-11-01',
      ),
    404,
    'ResourceNotFound',
  ],
  [
    'a custom role without assignableScopes',
    () =>
      put(
        `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${NAME}`,
        JSON.stringify({ properties: { roleName: 'x', permissions: [] } }),
      ),
    400,
    'InvalidRequestContent',
  ],
  [
    'a change to a built-in role',
    () =>
      put(
        SECRETS_USER,
        JSON.stringify({ properties: { roleName: 'x', permissions: [], assignableScopes: [`/subscriptions/${SUB}`] } }),
      ),
    400,
    'RoleDefinitionUpdateNotPermitted',
  ],
])('%s: %d with its code, and nothing changes', async (_what, send, status, code) => {
  const res = await send();
  expect(res.status).toBe(status);
  expect(res.json.error.code).toBe(code);
  expect(typeof res.json.error.message).toBe('string');
  const list = await raw(
    emu,
    `${emu.armUrl}${ASSIGNMENTS}?api-version=2022-04-01&$filter=principalId eq '${principal()}'`,
    {
      token,
    },
  );
  expect(list.json.value).toEqual([]);
  const vault = await raw(emu, `${emu.armUrl}${VAULT}?api-version=2024-11-01`, { token });
  expect(vault.json.properties.accessPolicies).toEqual([]);
});

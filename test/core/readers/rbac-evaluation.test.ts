// The pure RBAC evaluation: wildcards, notDataActions per role, scopes (vault, ancestors, one secret) compared
// case-insensitively, role ids by their trailing GUID, conditions left unknown, control-plane roles reading nothing;
// and access policies (applicationId entries ignored).
import {
  actionMatches,
  evaluateRbac,
  roleReads,
  scopeReach,
  type RoleAssignment,
  type RoleDefinition,
} from '../../../src/core/readers/rbac-evaluation.js';
import { BUILT_IN_ROLES } from '../../../src/core/readers/facts.js';
import { policyReads } from '../../../src/core/readers/access-policies.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const VAULT = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.KeyVault/vaults/kv-train`;
const roleId = (guid: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const builtIns = new Map<string, RoleDefinition>(
  Object.entries(BUILT_IN_ROLES).map(([g, r]) => [
    g,
    { name: r.name, permissions: [{ dataActions: r.dataActions, notDataActions: r.notDataActions }] },
  ]),
);
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const CUSTOM_WILD = '11111111-1111-4111-8111-111111111111';
const CUSTOM_NOT = '22222222-2222-4222-8222-222222222222';
const roles = new Map([
  ...builtIns,
  [
    CUSTOM_WILD,
    { name: 'Wild reader', permissions: [{ dataActions: ['Microsoft.KeyVault/*/getSecret/*'], notDataActions: [] }] },
  ],
  [
    CUSTOM_NOT,
    {
      name: 'All but getSecret',
      permissions: [
        {
          dataActions: ['Microsoft.KeyVault/vaults/*'],
          notDataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action'],
        },
      ],
    },
  ],
]);
const at = (scope: string, guid: string, condition?: string): RoleAssignment => ({
  scope,
  roleDefinitionId: roleId(guid),
  ...(condition && { condition }),
});
const verdict = (assignments: RoleAssignment[], secrets = ['db-password', 'api-key']) =>
  evaluateRbac({ vaultId: VAULT, secrets, assignments, roles }).status;

describe('actionMatches', () => {
  it.each([
    ['Microsoft.KeyVault/vaults/secrets/getSecret/action', true],
    ['microsoft.keyvault/VAULTS/secrets/getsecret/action', true],
    ['Microsoft.KeyVault/vaults/secrets/*', true],
    ['Microsoft.KeyVault/vaults/*', true],
    ['Microsoft.KeyVault/*', true],
    ['*', true],
    ['Microsoft.KeyVault/vaults/*/read', false],
    ['Microsoft.KeyVault/vaults/secrets/readMetadata/action', false],
    ['Microsoft.KeyVault/vaults/secrets/getSecret', false],
  ])('%s covers getSecret: %s', (pattern, expected) => {
    expect(actionMatches(pattern, 'Microsoft.KeyVault/vaults/secrets/getSecret/action')).toBe(expected);
  });
});

describe('built-in roles', () => {
  it.each([
    ['4633458b-17de-408a-b874-0445c86b69e6', true], // Secrets User
    ['b86a8fe4-44ce-4948-aee5-eccb2c155cd7', true], // Secrets Officer
    ['00482a5a-887f-4fb3-b363-3b7fe8e74483', true], // Administrator
    ['db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', true], // Certificate User
    ['21090545-7ca7-4776-b22c-e363652d74d2', false], // Key Vault Reader: metadata only
    ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', false], // Owner
    ['b24988ac-6180-42a0-ab88-20f7382dd24c', false], // Contributor
    ['acdd72a7-3385-48ef-bd42-f606fba81ae7', false], // Reader
    ['f25e0fa2-a7c8-4377-a976-54943a77a395', false], // Key Vault Contributor
  ])('%s reads: %s', (guid, expected) => expect(roleReads(roles.get(guid)!)).toBe(expected));
});

describe('evaluateRbac', () => {
  it.each<[string, RoleAssignment[], string]>([
    ['Secrets User on the vault', [at(VAULT, SECRETS_USER)], 'reads'],
    ['on the resource group', [at(`/subscriptions/${SUB}/resourceGroups/ml-rg`, SECRETS_USER)], 'reads'],
    ['on the subscription', [at(`/subscriptions/${SUB}`, SECRETS_USER)], 'reads'],
    ['on a management group', [at('/providers/Microsoft.Management/managementGroups/corp', SECRETS_USER)], 'reads'],
    ['scope and GUID in other letter cases', [at(VAULT.toUpperCase(), SECRETS_USER.toUpperCase())], 'reads'],
    ['on another vault', [at(`${VAULT}-other`, SECRETS_USER)], 'missing'],
    ['on another resource group', [at(`/subscriptions/${SUB}/resourceGroups/ml`, SECRETS_USER)], 'missing'],
    [
      'a custom wildcard role at the resource group',
      [at(`/subscriptions/${SUB}/resourceGroups/ml-rg`, CUSTOM_WILD)],
      'reads',
    ],
    ['a custom role whose notDataActions remove getSecret', [at(VAULT, CUSTOM_NOT)], 'missing'],
    [
      'Owner, Contributor and Key Vault Reader',
      [
        at(VAULT, '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'),
        at(VAULT, 'b24988ac-6180-42a0-ab88-20f7382dd24c'),
        at(VAULT, '21090545-7ca7-4776-b22c-e363652d74d2'),
      ],
      'missing',
    ],
    [
      'a notDataActions role and a reading role: the other role still grants',
      [at(VAULT, CUSTOM_NOT), at(VAULT, SECRETS_USER)],
      'reads',
    ],
    ['a condition', [at(VAULT, SECRETS_USER, "@Resource[name] StringEquals 'x'")], 'unknown'],
    ['a role that could not be read', [at(VAULT, '33333333-3333-4333-8333-333333333333')], 'unknown'],
    ['no assignment', [], 'missing'],
  ])('%s: %s', (_, assignments, expected) => expect(verdict(assignments)).toBe(expected));

  it('a secret-scoped assignment counts for that secret only', () => {
    const one = [at(`${VAULT}/secrets/DB-PASSWORD`, SECRETS_USER)];
    expect(verdict(one, ['db-password'])).toBe('reads');
    const both = evaluateRbac({ vaultId: VAULT, secrets: ['db-password', 'api-key'], assignments: one, roles });
    expect(both).toEqual({ status: 'missing', reason: 'no role assignment lets it read api-key' });
    expect(verdict([...one, at(`${VAULT}/secrets/api-key`, SECRETS_USER)])).toBe('reads');
  });

  it('says which role and scope let it read', () => {
    expect(evaluateRbac({ vaultId: VAULT, secrets: ['a'], assignments: [at(VAULT, SECRETS_USER)], roles }).via).toBe(
      `Key Vault Secrets User at ${VAULT}`,
    );
  });

  it('scopeReach: a secret below the vault, nothing deeper or beside', () => {
    expect(scopeReach(`${VAULT}/secrets/x`, VAULT)).toEqual({ kind: 'secret', name: 'x' });
    expect(scopeReach(`${VAULT}/secrets/x/versions/1`, VAULT)).toBeUndefined();
    expect(scopeReach(`${VAULT}/keys/x`, VAULT)).toBeUndefined();
    expect(scopeReach('/', VAULT)).toEqual({ kind: 'vault' });
  });
});

describe('policyReads', () => {
  const OID = '7e57c0de-0000-4000-8000-0000000000a1';
  it.each<[string, unknown, boolean]>([
    ['get', [{ objectId: OID, permissions: { secrets: ['get', 'list'] } }], true],
    ['all, object id in upper case', [{ objectId: OID.toUpperCase(), permissions: { secrets: ['All'] } }], true],
    ['list only', [{ objectId: OID, permissions: { secrets: ['list'] } }], false],
    ['keys get only', [{ objectId: OID, permissions: { keys: ['get'], secrets: [] } }], false],
    [
      'another object id',
      [{ objectId: '7e57c0de-0000-4000-8000-0000000000a2', permissions: { secrets: ['get'] } }],
      false,
    ],
    [
      'with applicationId (a compound identity)',
      [{ objectId: OID, applicationId: '7e57c0de-0000-4000-8000-0000000000b1', permissions: { secrets: ['get'] } }],
      false,
    ],
    ['applicationId null', [{ objectId: OID, applicationId: null, permissions: { secrets: ['get'] } }], true],
    ['no policies', undefined, false],
  ])('%s: %s', (_, policies, expected) => expect(policyReads(policies, OID)).toBe(expected));
});

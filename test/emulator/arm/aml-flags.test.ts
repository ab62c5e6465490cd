// The Azure ML start flags (--compute, --hub, --project, --workspace-identity, --identity, --group), in process: each bad one is refused with a message that names the flag and
// the part that is wrong; good ones plan the resources and identities the JSON line then lists.
import { parseCli } from '../../../emulator/cli-options.js';
import { planAml } from '../../../emulator/arm/aml-plan.js';
import { permits, BUILT_IN_ROLES } from '../../../emulator/access/role-definitions.js';
import { parseConfigBody } from '../../../emulator/admin-config.js';
import { Vault } from '../../../emulator/keyvault/vault.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

test.each([
  [['--compute', `${SUB}/rg/ws-one/1bad`], /invalid --compute .*"1bad" is not a valid compute name/],
  [['--compute', `${SUB}/rg/ws-one/cpu=both`], /after '=' expected system, none or user:IDENTITY/],
  [['--compute', `${SUB}/rg/ws-one/cpu=user:/subscriptions/x/bad`], /is not a user-assigned identity's resource id/],
  [['--compute', `cpu`], /expected SUB\/RG\/WS\/NAME or WS\/NAME/],
  [['--project', `${SUB}/rg/proj`], /expected SUB\/RG\/NAME=HUB_SUB\/HUB_RG\/HUB_NAME/],
  [['--project', `${SUB}/rg/p=${SUB}/rg/hub-ws`], /invalid --project .*"p" is not a valid workspace name/],
  [['--hub', `not-a-guid/rg/hub-ws=managed`], /invalid --hub .*is not a GUID/],
  [['--identity', 'lonely'], /invalid --identity "lonely": expected SUB\/RG\/NAME/],
  [['--identity', `${SUB}/rg/x`], /invalid --identity .*"x" is not a valid user-assigned identity name/],
  [['--vault-permissions', 'acl'], /invalid --vault-permissions "acl": expected rbac or policies/],
  [['--arm-role', 'admin'], /invalid --arm-role "admin": expected owner, contributor, reader/],
  [['--group', 'a b=x'], /invalid --group "a b=x"/],
  [['--group', 'g=not-a-member'], /member "not-a-member" is not an object id/],
  [['--workspace-identity', `${SUB}/rg/ws-one`], /expected SUB\/RG\/NAME=IDENTITY/],
])('parseCli %j refuses with a reason', (args, reason) => {
  expect(() => parseCli(args)).toThrow(reason);
});

const plan = (args: string[]) => {
  const o = parseCli(args);
  return planAml(o, new Map([['default', new Vault('default')]]), {});
};

test.each([
  [['--compute', `${SUB}/rg/ws-one/cpu`], /no such --workspace/],
  [['--workspace', `${SUB}/rg/hub`, '--project', `${SUB}/rg/proj=${SUB}/rg/hub`], /its hub .* is not a --hub/],
  [['--workspace', `${SUB}/rg/ml-ws`, '--hub', `${SUB}/rg/ml-ws`], /duplicate --hub/],
  [
    ['--workspace', `${SUB}/rg/ml-ws`, '--compute', `${SUB}/rg/ml-ws/c1`, '--compute', `${SUB}/rg/ml-ws/C1`],
    /duplicate --compute/,
  ],
  [['--group', `g=compute:${SUB}/rg/ml-ws/none`], /member "compute:.*" is not an object id/],
])('planning %j refuses with a reason', (args, reason) => {
  expect(() => plan(args)).toThrow(reason);
});

test('identities are fixed per resource path; one user-assigned identity shared by two computes is one principal', () => {
  const args = [
    '--workspace',
    `${SUB}/rg/ml-ws`,
    '--compute',
    `${SUB}/rg/ml-ws/a=user:shared`,
    '--compute',
    `${SUB}/rg/ml-ws/b=user:/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/shared,other`,
  ];
  const one = plan(args);
  const two = plan(args);
  const [a, b] = one.computes;
  expect(a!.identity.user[0]!.principal).toBe(b!.identity.user[0]!.principal);
  expect(b!.identity.user.map((u) => u.name)).toEqual(['shared', 'other']);
  expect(two.computes[0]!.identity.user[0]!.principal.objectId).toBe(a!.identity.user[0]!.principal.objectId);
  expect(one.workspaces[0]!.identity.system!.objectId).not.toBe(a!.identity.user[0]!.principal.objectId);
  expect(one.identities.all()).toHaveLength(3);
});

test('config keys: vaultPermissions, publicNetworkAccess (per vault) and armRole (global) are validated', () => {
  expect(parseConfigBody({ vaultPermissions: 'policies', publicNetworkAccess: 'Disabled', armRole: 'reader' })).toEqual(
    {
      patch: { vaultPermissions: 'policies', publicNetworkAccess: 'Disabled' },
      global: { armRole: 'reader' },
    },
  );
  expect(() => parseConfigBody({ publicNetworkAccess: 'off' })).toThrow(/"Enabled" or "Disabled"/);
  expect(() => parseConfigBody({ armRole: 'god' })).toThrow(/invalid armRole "god"/);
});

test('role permissions: dataActions with wildcards minus the same role’s notDataActions; control wildcards grant no data', () => {
  const role = (n: string) => BUILT_IN_ROLES.find((r) => r.roleName === n)!;
  const get = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';
  expect(permits(role('Key Vault Secrets User'), get, 'data')).toBe(true);
  expect(permits(role('Key Vault Administrator'), get, 'data')).toBe(true);
  expect(permits(role('Key Vault Certificate User'), get, 'data')).toBe(true);
  expect(permits(role('Key Vault Reader'), get, 'data')).toBe(false);
  expect(permits(role('Owner'), get, 'data')).toBe(false);
  expect(permits(role('Contributor'), 'Microsoft.KeyVault/vaults/accessPolicies/write', 'control')).toBe(true);
  expect(permits(role('Contributor'), 'Microsoft.Authorization/roleAssignments/write', 'control')).toBe(false);
  expect(permits(role('Reader'), 'Microsoft.Authorization/roleAssignments/read', 'control')).toBe(true);
  const custom = {
    ...role('Key Vault Reader'),
    permissions: [{ actions: [], notActions: [], dataActions: ['*'], notDataActions: ['*/getSecret/*'] }],
  };
  expect(permits(custom, get, 'data')).toBe(false);
  expect(permits(custom, 'Microsoft.KeyVault/vaults/secrets/readMetadata/action', 'data')).toBe(true);
});

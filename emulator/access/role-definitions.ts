// Azure RBAC role definitions: the built-in roles the emulator knows by GUID, custom ones added through
// Resource Manager, and how a role permits an action.
// Source of the built-ins (names, GUIDs, actions, dataActions): https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general
// (Owner, Contributor, Reader, User Access Administrator, Role Based Access Control Administrator) and
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security (the Key Vault roles);
// test/emulator/access/built-in-roles.test.ts holds the ids, and the product's table (src/core/readers/facts.ts),
// to them. The control-plane actions are abridged to what the emulator checks.
// Effective permissions are Actions − NotActions and DataActions − NotDataActions, per role
// (learn.microsoft.com/azure/role-based-access-control/role-definitions); control-plane wildcards
// grant no data actions. '*' matches any run of characters, '/' included, case-insensitively.
import { matches } from './rbac.js';
import type { RoleName } from './rbac.js';

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinition {
  /** The GUID (the definition's `name`). */
  guid: string;
  roleName: string;
  type: 'BuiltInRole' | 'CustomRole';
  description: string;
  assignableScopes: string[];
  permissions: Permission[];
}

const KV_READ = [
  'Microsoft.Authorization/*/read',
  'Microsoft.Insights/alertRules/*',
  'Microsoft.Resources/deployments/*',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Support/*',
  'Microsoft.KeyVault/checkNameAvailability/read',
  'Microsoft.KeyVault/deletedVaults/read',
  'Microsoft.KeyVault/locations/*/read',
  'Microsoft.KeyVault/vaults/*/read',
  'Microsoft.KeyVault/operations/read',
];
const KV_NOTE = " Only works for key vaults that use the 'Azure role-based access control' permission model.";
const SECRETS = 'Microsoft.KeyVault/vaults/secrets';

const builtIn = (guid: string, roleName: string, description: string, p: Partial<Permission>): RoleDefinition => ({
  guid,
  roleName,
  type: 'BuiltInRole',
  description,
  assignableScopes: ['/'],
  permissions: [{ actions: [], notActions: [], dataActions: [], notDataActions: [], ...p }],
});

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  builtIn(
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    'Owner',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    { actions: ['*'] },
  ),
  builtIn(
    'b24988ac-6180-42a0-ab88-20f7382dd24c',
    'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    {
      actions: ['*'],
      notActions: [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
      ],
    },
  ),
  builtIn(
    'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    'Reader',
    'View all resources, but does not allow you to make any changes.',
    { actions: ['*/read'] },
  ),
  builtIn(
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'User Access Administrator',
    'Lets you manage user access to Azure resources.',
    {
      actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
    },
  ),
  builtIn(
    'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
    'Role Based Access Control Administrator',
    'Manage access to Azure resources by assigning roles using Azure RBAC.',
    {
      actions: [
        'Microsoft.Authorization/roleAssignments/write',
        'Microsoft.Authorization/roleAssignments/delete',
        '*/read',
        'Microsoft.Support/*',
      ],
    },
  ),
  builtIn(
    '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    'Key Vault Administrator',
    `Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments.${KV_NOTE}`,
    {
      actions: KV_READ,
      dataActions: ['Microsoft.KeyVault/vaults/*'],
    },
  ),
  builtIn(
    'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    'Key Vault Secrets Officer',
    `Perform any action on the secrets of a key vault, except manage permissions.${KV_NOTE}`,
    {
      actions: KV_READ,
      dataActions: [`${SECRETS}/*`],
    },
  ),
  builtIn(
    '4633458b-17de-408a-b874-0445c86b69e6',
    'Key Vault Secrets User',
    `Read secret contents including secret portion of a certificate with private key.${KV_NOTE}`,
    {
      dataActions: [`${SECRETS}/getSecret/action`, `${SECRETS}/readMetadata/action`],
    },
  ),
  builtIn(
    'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    'Key Vault Certificate User',
    `Read entire certificate contents including secret and key portion.${KV_NOTE}`,
    {
      dataActions: [
        'Microsoft.KeyVault/vaults/certificates/read',
        `${SECRETS}/getSecret/action`,
        `${SECRETS}/readMetadata/action`,
        'Microsoft.KeyVault/vaults/keys/read',
      ],
    },
  ),
  builtIn(
    '21090545-7ca7-4776-b22c-e363652d74d2',
    'Key Vault Reader',
    `Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material.${KV_NOTE}`,
    {
      actions: KV_READ,
      dataActions: ['Microsoft.KeyVault/vaults/*/read', `${SECRETS}/readMetadata/action`],
    },
  ),
  builtIn(
    '8b54135c-b56d-4d72-a534-26097cfdc8d8',
    'Key Vault Data Access Administrator',
    'Manage access to Azure Key Vault by adding or removing role assignments for the Key Vault Administrator, Key Vault Certificates Officer, Key Vault Crypto Officer, Key Vault Crypto Service Encryption User, Key Vault Crypto User, Key Vault Reader, Key Vault Secrets Officer, or Key Vault Secrets User roles. Includes an ABAC condition to constrain role assignments.',
    {
      actions: [
        'Microsoft.Authorization/roleAssignments/delete',
        'Microsoft.Authorization/roleAssignments/write',
        'Microsoft.Authorization/*/read',
        'Microsoft.Resources/deployments/*',
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.Resources/subscriptions/read',
        'Microsoft.Support/*',
        'Microsoft.KeyVault/vaults/*/read',
      ],
    },
  ),
  builtIn(
    'f25e0fa2-a7c8-4377-a976-54943a77a395',
    'Key Vault Contributor',
    'Manage key vaults, but does not allow you to assign roles in Azure RBAC, and does not allow you to access secrets, keys, or certificates.',
    {
      actions: [
        'Microsoft.Authorization/*/read',
        'Microsoft.Insights/alertRules/*',
        'Microsoft.KeyVault/*',
        'Microsoft.Resources/deployments/*',
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.Support/*',
      ],
      notActions: [
        'Microsoft.KeyVault/locations/deletedVaults/purge/action',
        'Microsoft.KeyVault/hsmPools/*',
        'Microsoft.KeyVault/managedHsms/*',
      ],
    },
  ),
];

export const ROLE_GUIDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  keyVaultReader: '21090545-7ca7-4776-b22c-e363652d74d2',
} as const;

/** The built-in role behind each `--rbac` value (`none`: no assignment). */
export const DATA_ROLE_GUID: Record<RoleName, string | undefined> = {
  officer: ROLE_GUIDS.secretsOfficer,
  user: ROLE_GUIDS.secretsUser,
  reader: ROLE_GUIDS.keyVaultReader,
  none: undefined,
};

/** Does the role permit the action: some permission block covers it and the same block does not take it away. */
export function permits(role: RoleDefinition, action: string, plane: 'data' | 'control'): boolean {
  return role.permissions.some((p) => {
    const [allow, deny] = plane === 'data' ? [p.dataActions, p.notDataActions] : [p.actions, p.notActions];
    return allow.some((a) => matches(a, action)) && !deny.some((a) => matches(a, action));
  });
}

/** The trailing GUID of a roleDefinitionId (`/subscriptions/S/providers/Microsoft.Authorization/roleDefinitions/G` or just G). */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
}

/** A definition's id, subscription-qualified when asked at or below a subscription (as ARM answers). */
export function roleDefinitionId(guid: string, subscriptionId?: string): string {
  return `${subscriptionId ? `/subscriptions/${subscriptionId}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

export function roleDefinitionBody(role: RoleDefinition, subscriptionId?: string): unknown {
  return {
    id: roleDefinitionId(role.guid, subscriptionId),
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.guid,
    properties: {
      roleName: role.roleName,
      type: role.type,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions,
    },
  };
}

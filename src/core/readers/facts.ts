// Facts the readers check relies on, in one place, each with its public source.
//
// Built-in roles, their ids and data actions:
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security (Key Vault roles) and
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general (Owner, Contributor, Reader:
// control-plane roles, no data actions). test/emulator/access/built-in-roles.test.ts holds this table against the
// emulator's built-in definitions, which cite the same pages. Role definitions, wildcards and NotDataActions:
// https://learn.microsoft.com/azure/role-based-access-control/role-definitions
// Role assignments over REST: https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest
// Access policies: https://learn.microsoft.com/rest/api/keyvault/keyvault/vaults/update-access-policy

/** The data action a job needs to read a secret's value. */
export const GET_SECRET_ACTION = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

export const AUTHORIZATION_API_VERSION = '2022-04-01';
export const IDENTITY_API_VERSION = '2023-01-31';
/** Computes share the workspace's api-version (workspace-vault.ts). */

export interface BuiltInRole {
  name: string;
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

export const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

/** Built-in roles by GUID (lower case): those a vault's readers commonly hold, so they are never fetched. */
export const BUILT_IN_ROLES: Readonly<Record<string, BuiltInRole>> = {
  [KEY_VAULT_SECRETS_USER]: {
    name: 'Key Vault Secrets User',
    dataActions: [GET_SECRET_ACTION, 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
    notDataActions: [],
  },
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': {
    name: 'Key Vault Secrets Officer',
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
    notDataActions: [],
  },
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': {
    name: 'Key Vault Administrator',
    dataActions: ['Microsoft.KeyVault/vaults/*'],
    notDataActions: [],
  },
  'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba': {
    name: 'Key Vault Certificate User',
    dataActions: [
      'Microsoft.KeyVault/vaults/certificates/read',
      GET_SECRET_ACTION,
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
      'Microsoft.KeyVault/vaults/keys/read',
    ],
    notDataActions: [],
  },
  '21090545-7ca7-4776-b22c-e363652d74d2': {
    name: 'Key Vault Reader',
    dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
    notDataActions: [],
  },
  '8b54135c-b56d-4d72-a534-26097cfdc8d8': {
    name: 'Key Vault Data Access Administrator',
    dataActions: [],
    notDataActions: [],
  },
  'f25e0fa2-a7c8-4377-a976-54943a77a395': { name: 'Key Vault Contributor', dataActions: [], notDataActions: [] },
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { name: 'Owner', dataActions: [], notDataActions: [] },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': { name: 'Contributor', dataActions: [], notDataActions: [] },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { name: 'Reader', dataActions: [], notDataActions: [] },
};

/** Who may create a role assignment, and who may add an access policy (for the message of a refused grant). */
export const MAY_ASSIGN_ROLES =
  'Role Based Access Control Administrator, User Access Administrator or Owner (or Key Vault Data Access Administrator, which may assign Key Vault’s data roles)';
export const MAY_ADD_POLICIES = 'Key Vault Contributor (or Contributor)';

/** Role assignments take a while to apply (learn.microsoft.com/azure/role-based-access-control/troubleshooting). */
export const ASSIGNMENT_DELAY_NOTE = 'a new role assignment can take up to 10 minutes to apply';

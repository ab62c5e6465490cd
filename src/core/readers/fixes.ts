// Pure: the commands a person runs to let an identity read the vault's secrets, least privilege first.
import { KEY_VAULT_SECRETS_USER } from './facts.js';

export type PrincipalType = 'ServicePrincipal' | undefined;

/** `az role assignment create` for Key Vault Secrets User at the vault's scope. */
export function roleAssignmentCommand(principalId: string, principalType: PrincipalType, vaultId: string): string {
  return (
    `az role assignment create --assignee-object-id ${principalId}` +
    (principalType ? ` --assignee-principal-type ${principalType}` : '') +
    ` --role "Key Vault Secrets User" --scope ${vaultId}`
  );
}

/** `az keyvault set-policy` with secrets get and list. */
export function accessPolicyCommand(principalId: string, vaultName: string): string {
  return `az keyvault set-policy --name ${vaultName} --object-id ${principalId} --secret-permissions get list`;
}

export function fixCommand(
  model: 'rbac' | 'policies',
  principalId: string,
  principalType: PrincipalType,
  vaultId: string,
): string {
  return model === 'rbac'
    ? roleAssignmentCommand(principalId, principalType, vaultId)
    : accessPolicyCommand(principalId, vaultId.split('/').at(-1) ?? vaultId);
}

/** The role definition id of Key Vault Secrets User, subscription-qualified as Resource Manager expects it. */
export function secretsUserRoleId(vaultId: string): string {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(vaultId)?.[1];
  const prefix = subscription ? `/subscriptions/${subscription}` : '';
  return `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`;
}

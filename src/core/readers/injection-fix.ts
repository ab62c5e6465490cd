// Pure: the verdict and the fix for an online endpoint's identity on an access-policy vault.
import { roleAssignmentCommand } from './fixes.js';
import type { ResolvedIdentity } from './identity-blocks.js';
import type { IdentityVerdict } from './types.js';

/**
 * An endpoint's identity on an access-policy vault: secret injection reads only vaults on the Azure RBAC permission
 * model (learn.microsoft.com/azure/machine-learning/concept-secret-injection), so it is missing whatever the policies
 * say. The fix switches the vault to RBAC, which stops its access policies from counting
 * (learn.microsoft.com/azure/key-vault/general/rbac-migration): whoever they let read needs a role first.
 */
export function injectionNeedsRbac(identity: ResolvedIdentity, vaultId: string, policies: unknown): IdentityVerdict {
  const name = vaultId.split('/').at(-1) ?? vaultId;
  const holders = [
    ...new Set(
      (Array.isArray(policies) ? policies : [])
        .map((p: { objectId?: unknown }) => p?.objectId)
        .filter((o): o is string => typeof o === 'string' && o.toLowerCase() !== identity.principalId),
    ),
  ];
  const first =
    holders.length === 0
      ? 'it has no other access policies'
      : `first give each object id its access policies let read a role such as Key Vault Secrets User (${holders.join(', ')}), as their access stops with the switch`;
  return {
    principalId: identity.principalId,
    ...(identity.clientId && { clientId: identity.clientId }),
    status: 'missing',
    reason:
      'secret injection reads only vaults that use the Azure RBAC permission model, and this vault uses access policies ' +
      '(an access policy does not help an endpoint, so none is granted); to let it read, switch the vault to RBAC: ' +
      `${first}; then run az keyvault update --name ${name} --enable-rbac-authorization true, ` +
      `and grant the endpoint: ${roleAssignmentCommand(identity.principalId, identity.principalType, vaultId)}`,
  };
}

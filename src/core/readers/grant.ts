// Grants one identity read access, least privilege: Key Vault Secrets User at the vault's scope on an RBAC vault (an
// assignment named by a GUID derived from scope, principal and role, so a rerun names the same one), or an access
// policy with secrets get and list. A refusal names the roles that may do it and the command such a person runs.
import { createHash } from 'node:crypto';
import { VAULT_API_VERSION, type ArmClient, type ArmResponse } from '../targets/workspace-vault.js';
import {
  ASSIGNMENT_DELAY_NOTE,
  AUTHORIZATION_API_VERSION,
  KEY_VAULT_SECRETS_USER,
  MAY_ADD_POLICIES,
  MAY_ASSIGN_ROLES,
} from './facts.js';
import { fixCommand, secretsUserRoleId } from './fixes.js';
import type { ResolvedIdentity } from './identity-blocks.js';

export type GrantOutcome = { status: 'granted'; via: string } | { status: 'missing'; reason: string };

/** A GUID from the assignment's scope, principal and role: the same assignment always gets the same name. */
export function assignmentName(scope: string, principalId: string, roleGuid: string): string {
  const h = createHash('sha256')
    .update(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleGuid.toLowerCase()}`)
    .digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function grantRead(
  arm: ArmClient,
  model: 'rbac' | 'policies',
  vaultId: string,
  tenantId: string | undefined,
  identity: ResolvedIdentity,
): Promise<GrantOutcome> {
  const fix = fixCommand(model, identity.principalId, identity.principalType, vaultId);
  if (model === 'rbac') {
    const name = assignmentName(vaultId, identity.principalId, KEY_VAULT_SECRETS_USER);
    const r = await arm.put(
      `${vaultId}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      AUTHORIZATION_API_VERSION,
      {
        properties: {
          roleDefinitionId: secretsUserRoleId(vaultId),
          principalId: identity.principalId,
          ...(identity.principalType && { principalType: identity.principalType }),
        },
      },
    );
    const via = `Key Vault Secrets User at ${vaultId} (granted now; ${ASSIGNMENT_DELAY_NOTE})`;
    if (r.status === 200 || r.status === 201) return { status: 'granted', via };
    if (r.status === 409 && r.code === 'RoleAssignmentExists')
      return { status: 'granted', via: `Key Vault Secrets User at ${vaultId} (the assignment exists already)` };
    return { status: 'missing', reason: refused(r, `creating a role assignment needs ${MAY_ASSIGN_ROLES}`, fix) };
  }
  if (tenantId === undefined)
    return { status: 'missing', reason: `cannot grant: the vault's tenant id is unknown. Run: ${fix}` };
  const r = await arm.put(`${vaultId}/accessPolicies/add`, VAULT_API_VERSION, {
    properties: {
      accessPolicies: [{ tenantId, objectId: identity.principalId, permissions: { secrets: ['get', 'list'] } }],
    },
  });
  if (r.status === 200 || r.status === 201) return { status: 'granted', via: 'access policy (get, list; granted now)' };
  return {
    status: 'missing',
    reason: refused(r, `adding an access policy needs ${MAY_ADD_POLICIES} on the vault`, fix),
  };
}

function refused(r: ArmResponse, needs: string, fix: string): string {
  const said = r.message ? ` (Azure said: ${r.message.replace(/\s+/g, ' ').trim()})` : '';
  if (r.status === 403)
    return `could not grant it (403 ${r.code ?? 'AuthorizationFailed'}): ${needs}; a person with such a role runs: ${fix}${said}`;
  return `could not grant it (Resource Manager answered ${r.status} ${r.code ?? ''}); run: ${fix}${said}`;
}

// What the readers' lookups share: the identities of an ARM `identity` block (a compute, an endpoint, a workspace), a
// user-assigned identity's principal read over Resource Manager, and the shapes a lookup answers with. Shapes:
// azure-rest-api-specs common-types v3 ManagedServiceIdentity, Microsoft.ManagedIdentity stable/2023-01-31.
import type { ArmClient, ArmResponse } from '../targets/workspace-vault.js';
import { IDENTITY_API_VERSION } from './facts.js';
import type { PrincipalType } from './fixes.js';
import { USER_ASSIGNED_IDENTITY_ID } from '../inputs/parse-readers.js';

export interface ResolvedIdentity {
  principalId: string;
  clientId?: string;
  /** ServicePrincipal for managed identities; unknown for a bare object id. */
  principalType: PrincipalType;
  /** e.g. "system-assigned", or the user-assigned identity's name. */
  what: string;
}

/** `absent`: the compute or identity does not exist (Resource Manager 404), with what there is instead. */
export type Resolved = { identities: ResolvedIdentity[] } | { unknown: string } | { absent: string };

export interface WorkspaceContext {
  workspaceId: string;
  workspace: Record<string, unknown>;
  display: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identities of an ARM `identity` block: type SystemAssigned, UserAssigned or both (with or without a space). */
export function identitiesOf(identity: unknown): { identities: ResolvedIdentity[]; ids: Set<string> } {
  const out: ResolvedIdentity[] = [];
  const ids = new Set<string>();
  if (typeof identity !== 'object' || identity === null) return { identities: out, ids };
  const block = identity as Record<string, unknown>;
  const types = String(block.type ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase());
  if (types.includes('systemassigned') && typeof block.principalId === 'string' && GUID.test(block.principalId)) {
    out.push({
      principalId: block.principalId.toLowerCase(),
      principalType: 'ServicePrincipal',
      what: 'system-assigned',
    });
  }
  const users = block.userAssignedIdentities;
  if (types.includes('userassigned') && typeof users === 'object' && users !== null) {
    for (const [resourceId, v] of Object.entries(
      users as Record<string, { principalId?: unknown; clientId?: unknown }>,
    )) {
      if (typeof v?.principalId !== 'string' || !GUID.test(v.principalId)) continue;
      ids.add(resourceId.toLowerCase());
      out.push({
        principalId: v.principalId.toLowerCase(),
        ...(typeof v.clientId === 'string' && { clientId: v.clientId.toLowerCase() }),
        principalType: 'ServicePrincipal',
        what: resourceId.split('/').at(-1) ?? resourceId,
      });
    }
  }
  return { identities: out, ids };
}

export async function userAssigned(resourceId: string, arm: ArmClient): Promise<Resolved> {
  const r = await arm.get(resourceId, IDENTITY_API_VERSION);
  // The line names the id already: the reason does not say it again.
  if (r.status === 404) return { absent: 'no such user-assigned identity' };
  if (r.status === 403)
    return {
      unknown: `no right to read the identity ${resourceId} (403 ${r.code ?? 'AuthorizationFailed'})${said(r)}`,
    };
  if (r.status !== 200)
    return {
      unknown: `Resource Manager answered ${r.status} ${r.code ?? ''} for the identity ${resourceId}${said(r)}`,
    };
  const props = r.body?.properties as Record<string, unknown> | undefined;
  const principalId = props?.principalId;
  if (typeof principalId !== 'string' || !GUID.test(principalId))
    return { unknown: `the identity ${resourceId} has no principal id` };
  return {
    identities: [
      {
        principalId: principalId.toLowerCase(),
        ...(typeof props?.clientId === 'string' && { clientId: props.clientId.toLowerCase() }),
        principalType: 'ServicePrincipal',
        what: resourceId.split('/').at(-1) ?? resourceId,
      },
    ],
  };
}

/** The workspace's own identities: its identity block, and its primary user-assigned identity when not among them. */
export async function workspaceIdentities(workspace: WorkspaceContext, arm: ArmClient): Promise<ResolvedIdentity[]> {
  const found = identitiesOf(workspace.workspace.identity);
  const primary = (workspace.workspace.properties as Record<string, unknown> | undefined)?.primaryUserAssignedIdentity;
  if (typeof primary === 'string' && USER_ASSIGNED_IDENTITY_ID.test(primary) && !found.ids.has(primary.toLowerCase())) {
    const extra = await userAssigned(primary, arm);
    if ('identities' in extra) found.identities.push(...extra.identities);
  }
  return found.identities;
}

export function said(r: ArmResponse): string {
  return r.message ? ` (Azure said: ${r.message.replace(/\s+/g, ' ').trim()})` : '';
}

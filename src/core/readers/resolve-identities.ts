// The identities behind a reader line, read over Resource Manager: a compute's managed identities (identity sits at
// the top level of the compute, not in properties), the workspace's own, a user-assigned identity's principal id, or
// an object id as given. Shapes: azure-rest-api-specs Microsoft.MachineLearningServices stable/2025-06-01 (Compute,
// Workspace), Microsoft.ManagedIdentity stable/2023-01-31 (userAssignedIdentities).
import { WORKSPACE_API_VERSION, type ArmClient, type ArmResponse } from '../targets/workspace-vault.js';
import { IDENTITY_API_VERSION } from './facts.js';
import { USER_ASSIGNED_IDENTITY_ID } from '../inputs/parse-readers.js';
import type { PrincipalType } from './fixes.js';
import type { ReaderLine } from '../inputs/readers-request.js';

export interface ResolvedIdentity {
  principalId: string;
  clientId?: string;
  /** ServicePrincipal for managed identities; unknown for a bare object id. */
  principalType: PrincipalType;
  /** e.g. "system-assigned", or the user-assigned identity's name. */
  what: string;
}

export type Resolved = { identities: ResolvedIdentity[] } | { unknown: string };

export interface WorkspaceContext {
  workspaceId: string;
  workspace: Record<string, unknown>;
  display: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveReader(
  line: ReaderLine,
  arm: ArmClient,
  workspace: WorkspaceContext | undefined,
): Promise<Resolved> {
  switch (line.kind) {
    case 'principal':
      return { identities: [{ principalId: line.objectId, principalType: undefined, what: 'object id' }] };
    case 'identity':
      return userAssigned(line.resourceId, arm);
    case 'workspace': {
      if (!workspace) return { unknown: 'the target is not a workspace' };
      const found = identitiesOf(workspace.workspace.identity);
      const primary = (workspace.workspace.properties as Record<string, unknown> | undefined)
        ?.primaryUserAssignedIdentity;
      if (
        typeof primary === 'string' &&
        USER_ASSIGNED_IDENTITY_ID.test(primary) &&
        !found.ids.has(primary.toLowerCase())
      ) {
        const extra = await userAssigned(primary, arm);
        if ('identities' in extra) found.identities.push(...extra.identities);
      }
      if (found.identities.length === 0)
        return { unknown: `the workspace ${workspace.display} has no managed identity` };
      return { identities: found.identities };
    }
    case 'compute': {
      if (!workspace) return { unknown: 'the target is not a workspace' };
      const id = `${workspace.workspaceId}/computes/${encodeURIComponent(line.name)}`;
      const r = await arm.get(id, WORKSPACE_API_VERSION);
      if (r.status === 404)
        return { unknown: `the compute '${line.name}' was not found in ${workspace.display}${said(r)}` };
      if (r.status === 403)
        return {
          unknown: `no right to read the compute '${line.name}' (403 ${r.code ?? 'AuthorizationFailed'})${said(r)}`,
        };
      if (r.status !== 200)
        return { unknown: `Resource Manager answered ${r.status} ${r.code ?? ''} for the compute${said(r)}` };
      const found = identitiesOf(r.body?.identity);
      if (found.identities.length === 0)
        return {
          unknown: `the compute '${line.name}' has no managed identity: a job on it cannot read the vault as the compute (assign it one)`,
        };
      return { identities: found.identities };
    }
  }
}

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

async function userAssigned(resourceId: string, arm: ArmClient): Promise<Resolved> {
  const r = await arm.get(resourceId, IDENTITY_API_VERSION);
  if (r.status === 404) return { unknown: `the identity ${resourceId} was not found${said(r)}` };
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

function said(r: ArmResponse): string {
  return r.message ? ` (Azure said: ${r.message.replace(/\s+/g, ' ').trim()})` : '';
}

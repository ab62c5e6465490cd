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

/** `absent`: the compute or identity does not exist (Resource Manager 404), with what there is instead. */
export type Resolved = { identities: ResolvedIdentity[] } | { unknown: string } | { absent: string };

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
    case 'identity': {
      const found = await userAssigned(line.resourceId, arm);
      if (!('absent' in found) || !workspace) return found;
      return { absent: `${found.absent}; ${await identitiesThere(workspace, arm)}` };
    }
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
        return {
          absent: `the compute '${line.name}' does not exist in ${workspace.display}; ${await computeNamesThere(arm, workspace)}`,
        };
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

const MAX_PAGES = 10;

/** The workspace's computes (Compute_List, paged by nextLink), or why they could not be listed. */
async function listComputes(
  arm: ArmClient,
  workspace: WorkspaceContext,
): Promise<Record<string, unknown>[] | { cannot: string }> {
  let r = await arm.get(`${workspace.workspaceId}/computes`, WORKSPACE_API_VERSION);
  const out: Record<string, unknown>[] = [];
  for (let page = 0; ; page++) {
    if (r.status !== 200) return { cannot: `${r.status} ${r.code ?? ''}`.trim() };
    if (Array.isArray(r.body?.value)) out.push(...(r.body.value as Record<string, unknown>[]));
    const next = r.body?.nextLink;
    if (typeof next !== 'string' || page + 1 >= MAX_PAGES) return out;
    r = await arm.next(next);
  }
}

async function computeNamesThere(arm: ArmClient, workspace: WorkspaceContext): Promise<string> {
  const computes = await listComputes(arm, workspace);
  if ('cannot' in computes) return `its computes could not be listed (${computes.cannot})`;
  const names = computes.map((c) => c.name).filter((n): n is string => typeof n === 'string');
  return names.length === 0 ? 'it has no computes' : `its computes: ${names.sort().join(', ')}`;
}

/** The user-assigned identities attached to the workspace and to its computes, by resource id. */
async function identitiesThere(workspace: WorkspaceContext, arm: ArmClient): Promise<string> {
  const ids = new Map<string, string>();
  const add = (identity: unknown) => {
    const users = (identity as { userAssignedIdentities?: unknown } | undefined)?.userAssignedIdentities;
    if (typeof users === 'object' && users !== null)
      for (const id of Object.keys(users)) if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id);
  };
  add(workspace.workspace.identity);
  const computes = await listComputes(arm, workspace);
  const unlisted = 'cannot' in computes ? ` (its computes could not be listed: ${computes.cannot})` : '';
  if (!('cannot' in computes)) for (const c of computes) add(c.identity);
  if (ids.size === 0)
    return `the workspace ${workspace.display} and its computes have no user-assigned identity${unlisted}`;
  return `the user-assigned identities of ${workspace.display} and its computes: ${[...ids.values()].sort().join(', ')}${unlisted}`;
}

function said(r: ArmResponse): string {
  return r.message ? ` (Azure said: ${r.message.replace(/\s+/g, ' ').trim()})` : '';
}

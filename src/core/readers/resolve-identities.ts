// The identities behind a reader line, read over Resource Manager: a compute's managed identities (identity sits at
// the top level of the compute, not in properties), an online endpoint's (resolve-endpoint.ts), the workspace's own
// (all, or for serverless its user-assigned ones), a user-assigned identity's principal id, or an object id as given. Shapes: azure-rest-api-specs Microsoft.MachineLearningServices stable/2025-06-01 (Compute,
// Workspace), Microsoft.ManagedIdentity stable/2023-01-31 (userAssignedIdentities).
import { WORKSPACE_API_VERSION, type ArmClient } from '../targets/workspace-vault.js';
import type { ReaderLine } from '../inputs/readers-request.js';
import {
  identitiesOf,
  said,
  userAssigned,
  workspaceIdentities,
  type Resolved,
  type WorkspaceContext,
} from './identity-blocks.js';
import { endpointIdentities, serverlessIdentities } from './resolve-endpoint.js';

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
      const identities = await workspaceIdentities(workspace, arm);
      if (identities.length === 0) return { unknown: `the workspace ${workspace.display} has no managed identity` };
      return { identities };
    }
    case 'serverless':
      return workspace ? serverlessIdentities(workspace, arm) : { unknown: 'the target is not a workspace' };
    case 'endpoint':
      return workspace ? endpointIdentities(line.name, workspace, arm) : { unknown: 'the target is not a workspace' };
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

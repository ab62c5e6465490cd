// The identities of the two readers that run without a compute of their own. An online endpoint: secret injection
// reads the vault as the endpoint's identity, system-assigned (the default) or user-assigned
// (learn.microsoft.com/azure/machine-learning/concept-secret-injection); `identity` is the top-level
// ManagedServiceIdentity of GET …/workspaces/{ws}/onlineEndpoints/{name} (azure-rest-api-specs
// Microsoft.MachineLearningServices stable/2025-06-01 OnlineEndpoint). Serverless jobs with a managed identity run as
// the workspace's user-assigned identity, never its system-assigned one
// (learn.microsoft.com/azure/machine-learning/how-to-use-serverless-compute).
import { WORKSPACE_API_VERSION, type ArmClient } from '../targets/workspace-vault.js';
import { listAll } from './vault-resource.js';
import { identitiesOf, said, workspaceIdentities, type Resolved, type WorkspaceContext } from './identity-blocks.js';

export async function endpointIdentities(name: string, workspace: WorkspaceContext, arm: ArmClient): Promise<Resolved> {
  const r = await arm.get(
    `${workspace.workspaceId}/onlineEndpoints/${encodeURIComponent(name)}`,
    WORKSPACE_API_VERSION,
  );
  if (r.status === 404)
    return {
      absent: `the online endpoint '${name}' does not exist in ${workspace.display}; ${await endpointNamesThere(workspace, arm)}`,
    };
  if (r.status === 403)
    return {
      unknown: `no right to read the online endpoint '${name}' (403 ${r.code ?? 'AuthorizationFailed'})${said(r)}`,
    };
  if (r.status !== 200)
    return { unknown: `Resource Manager answered ${r.status} ${r.code ?? ''} for the online endpoint${said(r)}` };
  const { identities } = identitiesOf(r.body?.identity);
  if (identities.length === 0)
    return {
      unknown: `the online endpoint '${name}' has no managed identity: secret injection has no identity to read the vault as (create the endpoint with a system-assigned or user-assigned identity)`,
    };
  return { identities };
}

async function endpointNamesThere(workspace: WorkspaceContext, arm: ArmClient): Promise<string> {
  const listed = await listAll(arm, `${workspace.workspaceId}/onlineEndpoints`, WORKSPACE_API_VERSION);
  if ('unknown' in listed) return `its online endpoints could not be listed (${listed.unknown})`;
  const names = listed.items.map((e) => e.name).filter((n): n is string => typeof n === 'string');
  return names.length === 0 ? 'it has no online endpoints' : `its online endpoints: ${names.sort().join(', ')}`;
}

export async function serverlessIdentities(workspace: WorkspaceContext, arm: ArmClient): Promise<Resolved> {
  const identities = (await workspaceIdentities(workspace, arm)).filter((i) => i.what !== 'system-assigned');
  if (identities.length > 0) return { identities };
  return {
    unknown:
      `the workspace ${workspace.display} has no user-assigned identity, so serverless jobs cannot run as a managed identity there: ` +
      'they run as the user who submits them. Name that user or group with principal:OBJECT_ID, or attach a user-assigned identity to the workspace',
  };
}

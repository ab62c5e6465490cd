// Azure ML online endpoints and their deployments, the way Resource Manager keeps them:
//   --online-endpoint SUB/RG/WS/NAME[=system|=user:ID[,ID…]|=system+user:ID[,ID…]|=none]   (WS/NAME: default SUB/RG)
// An endpoint's identity is what its deployments read Key Vault as: secret injection
// (`${{keyvault:https://VAULT.vault.azure.net/secrets/NAME/VERSION}}` in a deployment's environment variables)
// is resolved as the endpoint's system-assigned identity, or a user-assigned one
// (https://learn.microsoft.com/azure/machine-learning/concept-secret-injection). Each identity is a principal of the
// emulator's directory with ids derived from the endpoint's path, so the managed-identity endpoint issues tokens for
// it by client_id, principal_id or mi_res_id (the endpoint's resource id picks its system-assigned identity).
// Name rules (https://learn.microsoft.com/azure/machine-learning/how-to-deploy-online-endpoints): 3–32 characters,
// letters, digits and '-', starting with a letter. Deployments are made through Resource Manager (PUT) at run time.
import { checkIdentityRef, splitPath } from './aml-resources.js';
import type { IdentityRegistry, ResourceIdentity } from './aml-resources.js';
import { parseWorkspaceSpec, workspaceKey } from './workspaces.js';
import type { WorkspaceSpec } from './workspaces.js';

const ENDPOINT_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]{2,31}$/;

export interface OnlineEndpointSpec {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  name: string;
  system: boolean;
  /** `user:` identities as given (names in SUB/RG or resource ids). */
  userIdentities: string[];
}

/** A deployment as the last PUT sent it (the properties the spec knows), and when it was made and changed. */
export interface OnlineDeploymentRecord {
  name: string;
  location: string;
  tags: Record<string, string>;
  kind?: string;
  sku?: Record<string, unknown>;
  properties: Record<string, unknown>;
  createdAt: Date;
  modifiedAt: Date;
}

export interface ArmOnlineEndpoint extends OnlineEndpointSpec {
  identity: ResourceIdentity;
  /** By lower-case name, in creation order. */
  deployments: Map<string, OnlineDeploymentRecord>;
}

const USAGE = 'after = expected system, none, user:IDENTITY[,IDENTITY…] or system+user:IDENTITY[,IDENTITY…]';

/** `--online-endpoint SUB/RG/WS/NAME[=system|=user:ID[,ID…]|=system+user:ID[,ID…]|=none]`. Throws Error for the user. */
export function parseOnlineEndpointSpec(spec: string): OnlineEndpointSpec {
  const eq = spec.indexOf('=');
  const path = eq >= 0 ? spec.slice(0, eq) : spec;
  const value = eq >= 0 ? spec.slice(eq + 1) : 'system';
  const [sub, rg, ws, name] = splitPath(path, '--online-endpoint', 4) as [string, string, string, string];
  parseWorkspaceSpec(`${sub}/${rg}/${ws}`, `--online-endpoint "${spec}": workspace`);
  if (!ENDPOINT_PATTERN.test(name))
    throw new Error(
      `invalid --online-endpoint "${spec}": "${name}" is not a valid online endpoint name (3-32 letters, digits or '-', starting with a letter)`,
    );
  const user = /^(system\+)?user:(.*)$/.exec(value);
  if (value !== 'system' && value !== 'none' && !user) throw new Error(`invalid --online-endpoint "${spec}": ${USAGE}`);
  const system = value === 'system' || user?.[1] !== undefined;
  const userIdentities = user ? user[2]!.split(',') : [];
  for (const id of userIdentities) checkIdentityRef(id, `--online-endpoint "${spec}"`);
  return { subscriptionId: sub.toLowerCase(), resourceGroup: rg, workspace: ws, name, system, userIdentities };
}

export const onlineEndpointResourceId = (
  e: Pick<OnlineEndpointSpec, 'subscriptionId' | 'resourceGroup' | 'workspace' | 'name'>,
) =>
  `/subscriptions/${e.subscriptionId}/resourceGroups/${e.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${e.workspace}/onlineEndpoints/${e.name}`;

/** The JSON line's key for an endpoint: SUB/RG/WS/NAME. */
export const onlineEndpointKey = (
  e: Pick<OnlineEndpointSpec, 'subscriptionId' | 'resourceGroup' | 'workspace' | 'name'>,
) => `${e.subscriptionId}/${e.resourceGroup}/${e.workspace}/${e.name}`;

/** The endpoints of the flags, each in a workspace (hub or project) that exists, with their identities. */
export function planOnlineEndpoints(
  specs: readonly string[],
  workspaces: readonly WorkspaceSpec[],
  identities: IdentityRegistry,
): ArmOnlineEndpoint[] {
  const out: ArmOnlineEndpoint[] = [];
  for (const spec of specs.map(parseOnlineEndpointSpec)) {
    const key = `${spec.subscriptionId}/${spec.resourceGroup}/${spec.workspace}`.toLowerCase();
    const ws = workspaces.find((w) => workspaceKey(w).toLowerCase() === key);
    if (!ws)
      throw new Error(
        `--online-endpoint ${onlineEndpointKey(spec)}: no --workspace, --hub or --project ${spec.subscriptionId}/${spec.resourceGroup}/${spec.workspace}`,
      );
    const e: ArmOnlineEndpoint = {
      ...spec,
      resourceGroup: ws.resourceGroup,
      workspace: ws.name,
      identity: { user: [] },
      deployments: new Map(),
    };
    const id = onlineEndpointKey(e).toLowerCase();
    if (out.some((o) => onlineEndpointKey(o).toLowerCase() === id))
      throw new Error(`duplicate --online-endpoint "${onlineEndpointKey(e)}"`);
    if (spec.system)
      e.identity.system = identities.systemAssigned(
        `online-endpoint/${id}`,
        `${ws.name}/onlineEndpoints/${e.name}`,
        onlineEndpointResourceId(e),
      );
    for (const ref of spec.userIdentities)
      e.identity.user.push(identities.userAssigned(ref, ws.subscriptionId, ws.resourceGroup));
    out.push(e);
  }
  return out;
}

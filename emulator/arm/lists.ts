// The list calls the Azure DevOps task's pickers make (task.json dataSourceBindings): resource groups of a
// subscription, workspaces of a resource group, vaults of a subscription. They need the Reader role on the
// subscription (the workspace-only role lists workspaces alone).
import { LOCATION } from '../entra/identities.js';
import { vaultBody, workspaceBody } from './bodies.js';
import { same } from './context.js';
import type { ArmDeps } from './context.js';
import * as armErrors from './errors.js';
import { API_VERSION_SHAPE, decodePath, KV, MLS } from './paths.js';

const RESOURCES = {
  namespace: 'Microsoft.Resources',
  type: 'resourceGroups',
  action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
  versions: ['2019-10-01', '2020-06-01', '2021-04-01', '2022-09-01', '2024-03-01'] as readonly string[],
};
interface ListTarget {
  subscriptionId: string;
  kind: typeof MLS | typeof KV | typeof RESOURCES;
  /** The resource group listed in (workspaces); absent for subscription-wide lists. */
  resourceGroup?: string;
}

/** The list calls: resource groups of a subscription, workspaces of a resource group, vaults of a subscription. */
export function parseListPath(path: string): ListTarget | undefined {
  const s = path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (s[0] !== '' || !same(s[1] ?? '', 'subscriptions') || !s[2]) return undefined;
  if (s.length === 4 && same(s[3]!, 'resourcegroups')) return { subscriptionId: s[2], kind: RESOURCES };
  if (s.length === 6 && same(s[3]!, 'providers') && same(s[4]!, KV.namespace) && same(s[5]!, KV.type))
    return { subscriptionId: s[2], kind: KV };
  if (
    s.length === 8 &&
    same(s[3]!, 'resourceGroups') &&
    s[4] &&
    same(s[5]!, 'providers') &&
    same(s[6]!, MLS.namespace) &&
    same(s[7]!, MLS.type)
  )
    return { subscriptionId: s[2], kind: MLS, resourceGroup: s[4] };
  return undefined;
}

export function handleList(
  deps: ArmDeps,
  objectId: string,
  list: ListTarget,
  path: string,
  query: URLSearchParams,
): unknown {
  const apiVersion = query.get('api-version');
  if (!apiVersion) throw armErrors.missingApiVersion();
  if (!list.kind.versions.includes(apiVersion)) {
    if (!API_VERSION_SHAPE.test(apiVersion)) throw armErrors.invalidApiVersion(apiVersion, list.kind.versions);
    throw armErrors.noRegisteredProvider(LOCATION, apiVersion, list.kind.type, list.kind.versions);
  }
  const sub = list.subscriptionId.toLowerCase();
  const vaults = [...deps.vaults.values()].filter((v) => v.subscriptionId.toLowerCase() === sub);
  const workspaces = deps.workspaces.filter((w) => w.subscriptionId.toLowerCase() === sub);
  if (vaults.length === 0 && workspaces.length === 0) throw armErrors.subscriptionNotFound(list.subscriptionId);

  const role = deps.directory.armRole(objectId);
  const allowed = role === 'reader' || (role === 'workspace' && list.kind === MLS);
  if (!allowed) throw armErrors.authorizationFailed(objectId, list.kind.action, decodePath(path));

  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (list.kind === RESOURCES) {
    const groups = new Map<string, string>();
    for (const r of [...workspaces, ...vaults]) groups.set(r.resourceGroup.toLowerCase(), r.resourceGroup);
    return {
      value: [...groups.values()]
        .map((name) => ({
          id: `/subscriptions/${list.subscriptionId}/resourceGroups/${name}`,
          name,
          type: 'Microsoft.Resources/resourceGroups',
          location: LOCATION,
          properties: { provisioningState: 'Succeeded' },
        }))
        .sort(byName),
    };
  }
  if (list.kind === KV) return { value: vaults.sort(byName).map((v) => vaultBody(v, deps.access, deps.startedAt)) };
  const rg = list.resourceGroup!;
  if (![...workspaces, ...vaults].some((r) => same(r.resourceGroup, rg))) throw armErrors.resourceGroupNotFound(rg);
  return {
    value: workspaces
      .filter((w) => same(w.resourceGroup, rg))
      .sort(byName)
      .map((w) => workspaceBody(w, deps.startedAt, deps.directory.identityTypeWithSpace)),
  };
}

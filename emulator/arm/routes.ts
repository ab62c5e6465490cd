// The Resource Manager routes beyond a workspace's and a vault's GET and the lists (resource-manager.ts):
//   GET  …/workspaces/{ws}/computes[/{name}]                                  (Microsoft.MachineLearningServices)
//   …/workspaces/{ws}/onlineEndpoints[/{e}[/deployments[/{d}]]]               (online-endpoint-routes.ts)
//   GET  /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}
//   PUT  …/providers/Microsoft.KeyVault/vaults/{v}/accessPolicies/add
//   {scope}/providers/Microsoft.Authorization/roleAssignments|roleDefinitions…  (role-assignments.ts)
// Empty path segments are ignored, so `//subscriptions/…` (what SDKs build from a scope with a
// leading '/') works as ARM lets it.
import type { AccessPolicyEntry } from '../access/access-state.js';
import { handleAuthorization } from './role-assignments.js';
import { handleOnlineEndpoints } from './online-endpoint-routes.js';
import { computeBody, userAssignedIdentityBody } from './bodies.js';
import { ArmReply, checkApiVersion, checkScope, parseJsonBody, same } from './context.js';
import type { ArmDeps } from './context.js';
import * as armErrors from './errors.js';
import { KEYVAULT_API_VERSIONS, MANAGED_IDENTITY_API_VERSIONS, MLS_API_VERSIONS } from './errors.js';
import { GUID_PATTERN } from '../common/guids.js';

/** undefined: not one of these routes (resource-manager.ts goes on). */
export function handleExtended(
  deps: ArmDeps,
  objectId: string,
  method: string,
  rawSegments: string[],
  query: URLSearchParams,
  body: Buffer | undefined,
): unknown {
  const s = ['', ...rawSegments.filter((x) => x !== '')];
  const authz = handleAuthorization(deps, objectId, method, s, query, body);
  if (authz !== undefined) return authz;
  const isRg =
    s.length >= 6 && same(s[1]!, 'subscriptions') && same(s[3]!, 'resourceGroups') && same(s[5]!, 'providers');
  if (!isRg) return undefined;
  const [sub, rg] = [s[2]!, s[4]!];
  const ns = s[6] ?? '';
  if (
    same(ns, 'Microsoft.MachineLearningServices') &&
    same(s[7] ?? '', 'workspaces') &&
    same(s[9] ?? '', 'onlineEndpoints')
  )
    return handleOnlineEndpoints(deps, objectId, method, s, query, body);
  if (same(ns, 'Microsoft.MachineLearningServices') && same(s[7] ?? '', 'workspaces') && same(s[9] ?? '', 'computes')) {
    if (s.length !== 10 && s.length !== 11) return undefined;
    if (method !== 'GET') throw armErrors.methodNotAllowed(method);
    return computes(deps, objectId, s, query, sub, rg);
  }
  if (same(ns, 'Microsoft.ManagedIdentity') && same(s[7] ?? '', 'userAssignedIdentities') && s.length === 9) {
    if (method !== 'GET') throw armErrors.methodNotAllowed(method);
    checkApiVersion(query, MANAGED_IDENTITY_API_VERSIONS, 'userAssignedIdentities');
    const scope = s.join('/');
    checkScope(deps, objectId, scope, 'Microsoft.ManagedIdentity/userAssignedIdentities/read');
    const uai = deps.identities.findUserAssigned(scope);
    if (!uai) throw armErrors.resourceNotFound('Microsoft.ManagedIdentity/userAssignedIdentities', s[8]!, rg);
    return userAssignedIdentityBody(uai);
  }
  if (
    same(ns, 'Microsoft.KeyVault') &&
    same(s[7] ?? '', 'vaults') &&
    same(s[9] ?? '', 'accessPolicies') &&
    s.length === 11
  ) {
    if (method !== 'PUT') throw armErrors.methodNotAllowed(method);
    return accessPolicies(deps, objectId, s, query, body, sub, rg);
  }
  return undefined;
}

function computes(
  deps: ArmDeps,
  objectId: string,
  s: string[],
  query: URLSearchParams,
  sub: string,
  rg: string,
): unknown {
  checkApiVersion(query, MLS_API_VERSIONS, 'workspaces/computes');
  const scope = s.join('/');
  checkScope(deps, objectId, scope, 'Microsoft.MachineLearningServices/workspaces/computes/read');
  const ws = deps.workspaces.find(
    (w) => same(w.subscriptionId, sub) && same(w.resourceGroup, rg) && same(w.name, s[8]!),
  );
  if (!ws) throw armErrors.resourceNotFound('Microsoft.MachineLearningServices/workspaces', s[8]!, rg);
  const mine = deps.computes.filter(
    (c) => same(c.subscriptionId, sub) && same(c.resourceGroup, rg) && same(c.workspace, ws.name),
  );
  if (s.length === 10) return { value: mine.map((c) => computeBody(c, deps.startedAt)) };
  const c = mine.find((x) => same(x.name, s[10]!));
  if (!c)
    throw armErrors.resourceNotFound(
      'Microsoft.MachineLearningServices/workspaces',
      `${ws.name}/computes/${s[10]}`,
      rg,
    );
  return computeBody(c, deps.startedAt);
}

const SECRET_PERMISSIONS = ['all', 'get', 'list', 'set', 'delete', 'backup', 'restore', 'recover', 'purge'];

/** `Vaults_UpdateAccessPolicy` (examples/…/updateAccessPoliciesAdd.json): `add` merges into the entry of the same object. The response echoes the request. */
function accessPolicies(
  deps: ArmDeps,
  objectId: string,
  s: string[],
  query: URLSearchParams,
  body: Buffer | undefined,
  sub: string,
  rg: string,
): unknown {
  checkApiVersion(query, KEYVAULT_API_VERSIONS, 'vaults/accessPolicies');
  const kind = s[10]!.toLowerCase();
  if (kind !== 'add')
    throw new armErrors.ArmError(
      400,
      'NotSupported',
      `The emulator supports accessPolicies/add only, not '${kind}' (ours).`,
    );
  const vaultScope = s.slice(0, 9).join('/');
  checkScope(deps, objectId, vaultScope, 'Microsoft.KeyVault/vaults/accessPolicies/write');
  const vault = [...deps.vaults.values()].find(
    (v) => same(v.subscriptionId, sub) && same(v.resourceGroup, rg) && same(v.name, s[8]!),
  );
  if (!vault) throw armErrors.resourceNotFound('Microsoft.KeyVault/vaults', s[8]!, rg);
  const parsed = parseJsonBody(body);
  const props = parsed.properties as { accessPolicies?: unknown } | undefined;
  if (!props || !Array.isArray(props.accessPolicies))
    throw armErrors.invalidRequestContent('properties.accessPolicies must be an array');
  const entries: AccessPolicyEntry[] = props.accessPolicies.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    const perms = (e.permissions ?? {}) as Record<string, unknown>;
    if (typeof e.objectId !== 'string' || !GUID_PATTERN.test(e.objectId))
      throw armErrors.invalidRequestContent(`accessPolicies[${i}].objectId must be a GUID`);
    if (typeof e.tenantId !== 'string' || !GUID_PATTERN.test(e.tenantId))
      throw armErrors.invalidRequestContent(`accessPolicies[${i}].tenantId must be a GUID`);
    const list = (k: string) => {
      const v = perms[k];
      if (v === undefined) return [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
        throw armErrors.invalidRequestContent(`accessPolicies[${i}].permissions.${k} must be an array of strings`);
      return v as string[];
    };
    const secrets = list('secrets');
    const bad = secrets.find((p) => !SECRET_PERMISSIONS.includes(p.toLowerCase()));
    if (bad !== undefined)
      throw new armErrors.ArmError(
        400,
        'BadRequest',
        `Invalid value found at accessPolicies[${i}].permissions.secrets[]: ${bad}`,
      );
    return {
      tenantId: e.tenantId,
      objectId: e.objectId,
      ...(typeof e.applicationId === 'string' ? { applicationId: e.applicationId } : {}),
      permissions: { keys: list('keys'), secrets, certificates: list('certificates'), storage: list('storage') },
    };
  });
  deps.access.addAccessPolicies(vault, entries);
  return new ArmReply(200, {
    id: `${vaultScope}/accessPolicies/`,
    type: 'Microsoft.KeyVault/vaults/accessPolicies',
    properties: { accessPolicies: entries },
  });
}

// Microsoft.Authorization on the emulator's Resource Manager (learn.microsoft.com/rest/api/authorization):
//   GET    {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=atScope()|principalId eq '…'|assignedTo('…')]
//   GET    {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}
//   PUT    {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}   → 201 (200 for the same again)
//   DELETE {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}   → 200, or 204 when absent
//   GET    [{scope}]/providers/Microsoft.Authorization/roleDefinitions[/{guid}][?$filter=roleName eq '…'|type eq '…']
//   PUT    {scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}   → 201 (custom roles)
//   DELETE {scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}   → 200, or 204 when absent
// {scope} is a subscription, a resource group, a resource or a secret. List filters: without one, the
// assignments at, above and below the scope; atScope(): at or above only; principalId eq: that object's
// own; assignedTo: the principal's and its groups' (`--group`, nested too). Only the four filters
// learn.microsoft.com/azure/role-based-access-control/role-assignments-list-rest lists are taken (atScope(),
// assignedTo('…'), the two joined with 'and', principalId eq '…'); any other is the service's 400 (docs/keyvault.md
// §6.3). Callers need the matching Microsoft.Authorization action at the scope (Reader reads, Owner writes;
// Contributor's NotActions take the writes away).
import { normScope, within } from '../access/access-state.js';
import type { RoleAssignment } from '../access/access-state.js';
import { ArmReply, checkApiVersion, checkScope, parseJsonBody, same, subscriptionOf } from './context.js';
import type { ArmDeps } from './context.js';
import { definitions } from './role-definition-routes.js';
import * as armErrors from './errors.js';
import { AUTHORIZATION_API_VERSIONS } from './errors.js';
import { KNOWN_PRINCIPALS, TENANT_ID } from '../entra/identities.js';
import { roleDefinitionId, roleGuidOf } from '../access/role-definitions.js';
import { GUID_PATTERN } from '../common/guids.js';

const ACTIONS = {
  assignmentsRead: 'Microsoft.Authorization/roleAssignments/read',
  assignmentsWrite: 'Microsoft.Authorization/roleAssignments/write',
  assignmentsDelete: 'Microsoft.Authorization/roleAssignments/delete',
};
const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'];

export function handleAuthorization(
  deps: ArmDeps,
  objectId: string,
  method: string,
  s: string[],
  query: URLSearchParams,
  body: Buffer | undefined,
): unknown {
  let i = -1;
  for (let k = s.length - 3; k >= 0; k--)
    if (same(s[k]!, 'providers') && same(s[k + 1]!, 'Microsoft.Authorization')) {
      i = k;
      break;
    }
  if (i < 0 || s.length > i + 4) return undefined;
  const kind = s[i + 2]!;
  if (!same(kind, 'roleAssignments') && !same(kind, 'roleDefinitions')) return undefined;
  checkApiVersion(query, AUTHORIZATION_API_VERSIONS, kind);
  const scope = s.slice(0, i).join('/');
  const name = s[i + 3];
  return same(kind, 'roleAssignments')
    ? assignments(deps, objectId, method, scope, name, query, body)
    : definitions(deps, objectId, method, scope, name, query, body);
}

export function assignmentBody(a: RoleAssignment): unknown {
  return {
    id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: a.name,
    properties: {
      roleDefinitionId: roleDefinitionId(a.roleGuid, subscriptionOf(a.scope)),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: a.condition,
      conditionVersion: a.conditionVersion,
      createdOn: a.createdOn,
      updatedOn: a.updatedOn,
      createdBy: a.createdBy,
      updatedBy: a.createdBy,
      delegatedManagedIdentityResourceId: null,
      description: a.description,
    },
  };
}

interface Filter {
  atScope: boolean;
  /** principalId eq '…': that object's own assignments. */
  principalId?: string;
  /** assignedTo('…'): its own and its groups' (transitively). */
  assignedTo?: string;
}

const FILTERS: readonly [RegExp, (m: RegExpExecArray) => Filter][] = [
  [/^atScope\(\)$/i, () => ({ atScope: true })],
  [/^assignedTo\('([^']+)'\)$/i, (m) => ({ atScope: false, assignedTo: m[1]! })],
  [/^atScope\(\)\s+and\s+assignedTo\('([^']+)'\)$/i, (m) => ({ atScope: true, assignedTo: m[1]! })],
  [/^principalId\s+eq\s+'([^']+)'$/i, (m) => ({ atScope: false, principalId: m[1]! })],
];

function parseFilter(filter: string | null): Filter {
  if (filter === null || filter.trim() === '') return { atScope: false };
  for (const [pattern, make] of FILTERS) {
    const m = pattern.exec(filter.trim());
    if (m) return make(m);
  }
  throw armErrors.unsupportedFilter(filter);
}

function assignments(
  deps: ArmDeps,
  objectId: string,
  method: string,
  scope: string,
  name: string | undefined,
  query: URLSearchParams,
  body: Buffer | undefined,
): unknown {
  if (subscriptionOf(scope) === undefined)
    throw new armErrors.ArmError(
      400,
      'InvalidScope',
      `The emulator serves role assignments below a subscription, not at '${scope || '/'}' (ours).`,
    );
  const atThisScope = (a: RoleAssignment) => normScope(a.scope) === normScope(scope);
  if (name === undefined) {
    if (method !== 'GET') throw armErrors.methodNotAllowed(method);
    checkScope(deps, objectId, scope, ACTIONS.assignmentsRead);
    const f = parseFilter(query.get('$filter'));
    const who = f.assignedTo ? deps.access.identitiesOf(f.assignedTo) : undefined;
    const value = deps.access
      .assignments()
      .filter((a) => within(scope, a.scope) || (!f.atScope && within(a.scope, scope)))
      .filter((a) => f.principalId === undefined || same(a.principalId, f.principalId))
      .filter((a) => who === undefined || who.has(a.principalId.toLowerCase()))
      .map(assignmentBody);
    return { value };
  }
  const existing = deps.access.assignments().find((a) => same(a.name, name) && atThisScope(a));
  if (method === 'GET') {
    checkScope(deps, objectId, scope, ACTIONS.assignmentsRead);
    if (!existing) throw armErrors.roleAssignmentNotFound(name);
    return assignmentBody(existing);
  }
  if (method === 'DELETE') {
    checkScope(deps, objectId, scope, ACTIONS.assignmentsDelete, armErrors.authorizationFailedOrCondition);
    if (!existing) return new ArmReply(204);
    if (existing.fromFlags)
      throw new armErrors.ArmError(
        400,
        'RoleAssignmentFromFlags',
        `The role assignment '${name}' comes from the emulator's --rbac/--arm-role or its admin config; change it there (ours).`,
      );
    deps.access.deleteAssignment(name, scope);
    return assignmentBody(existing);
  }
  if (method !== 'PUT') throw armErrors.methodNotAllowed(method);
  checkScope(deps, objectId, scope, ACTIONS.assignmentsWrite, armErrors.authorizationFailedOrCondition);
  if (!GUID_PATTERN.test(name)) throw armErrors.invalidRoleAssignmentId(name);
  const props = parseJsonBody(body).properties as Record<string, unknown> | undefined;
  if (!props || typeof props !== 'object') throw armErrors.invalidRequestContent('properties is required');
  const { roleDefinitionId: rdId, principalId, principalType, condition, conditionVersion, description } = props;
  if (typeof principalId !== 'string' || !GUID_PATTERN.test(principalId)) throw armErrors.invalidPrincipalId();
  if (typeof rdId !== 'string' || rdId === '')
    throw armErrors.invalidRequestContent('properties.roleDefinitionId is required');
  if (principalType !== undefined && principalType !== null && !PRINCIPAL_TYPES.includes(String(principalType)))
    throw armErrors.invalidRequestContent(
      `properties.principalType '${String(principalType)}' is not one of ${PRINCIPAL_TYPES.join(', ')}`,
    );
  const roleGuid = roleGuidOf(rdId);
  if (!deps.access.role(roleGuid)) throw armErrors.roleDefinitionDoesNotExist(roleGuid);
  const inDirectory =
    KNOWN_PRINCIPALS.some((p) => same(p.objectId, principalId)) ||
    deps.identities.find(principalId) !== undefined ||
    deps.groups.some((g) => same(g.objectId, principalId));
  if (!inDirectory && (principalType === undefined || principalType === null))
    throw armErrors.principalNotFound(principalId, TENANT_ID);
  if (existing) {
    if (same(existing.principalId, principalId) && existing.roleGuid === roleGuid) return assignmentBody(existing);
    throw armErrors.roleAssignmentUpdateNotPermitted();
  }
  // Names are unique across scopes: the same name elsewhere is an update of the scope.
  if (deps.access.assignments().some((a) => same(a.name, name))) throw armErrors.roleAssignmentUpdateNotPermitted();
  const duplicate = deps.access
    .assignments()
    .find((a) => atThisScope(a) && a.roleGuid === roleGuid && same(a.principalId, principalId));
  if (duplicate) throw armErrors.roleAssignmentExists();
  const now = new Date().toISOString();
  const created: RoleAssignment = {
    name: name.toLowerCase(),
    scope,
    roleGuid,
    principalId: principalId.toLowerCase(),
    principalType: typeof principalType === 'string' ? principalType : 'ServicePrincipal',
    condition: typeof condition === 'string' && condition !== '' ? condition : null,
    conditionVersion: typeof conditionVersion === 'string' ? conditionVersion : null,
    description: typeof description === 'string' ? description : null,
    createdOn: now,
    updatedOn: now,
    createdBy: objectId,
    fromFlags: false,
  };
  deps.access.addAssignment(created);
  return new ArmReply(201, assignmentBody(created));
}

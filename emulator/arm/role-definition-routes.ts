// Microsoft.Authorization role definitions on the emulator's Resource Manager: the built-in roles and the
// custom ones PUT at a scope, listed and filtered (roleName eq, type eq) as Azure does, and written or
// deleted by callers with the matching Microsoft.Authorization action (see role-assignments.ts).
import { within } from '../access/access-state.js';
import { roleDefinitionBody } from '../access/role-definitions.js';
import type { Permission, RoleDefinition } from '../access/role-definitions.js';
import { GUID_PATTERN } from '../common/guids.js';
import { ArmReply, checkScope, parseJsonBody, same, subscriptionOf } from './context.js';
import type { ArmDeps } from './context.js';
import * as armErrors from './errors.js';
const ACTIONS = {
  definitionsRead: 'Microsoft.Authorization/roleDefinitions/read',
  definitionsWrite: 'Microsoft.Authorization/roleDefinitions/write',
  definitionsDelete: 'Microsoft.Authorization/roleDefinitions/delete',
};

export function definitions(
  deps: ArmDeps,
  objectId: string,
  method: string,
  scope: string,
  name: string | undefined,
  query: URLSearchParams,
  body: Buffer | undefined,
): unknown {
  const sub = subscriptionOf(scope);
  // Definitions at the tenant root (`/providers/Microsoft.Authorization/roleDefinitions/…`) are readable by every caller.
  if (scope !== '' || method !== 'GET')
    checkScope(
      deps,
      objectId,
      scope,
      method === 'GET'
        ? ACTIONS.definitionsRead
        : method === 'PUT'
          ? ACTIONS.definitionsWrite
          : ACTIONS.definitionsDelete,
    );
  const visible = (r: RoleDefinition) =>
    r.type === 'BuiltInRole' || scope === '' || r.assignableScopes.some((a) => within(scope, a) || within(a, scope));
  if (name === undefined) {
    if (method !== 'GET') throw armErrors.methodNotAllowed(method);
    const filter = query.get('$filter')?.trim() ?? '';
    const m = /^(roleName|type)\s+eq\s+'([^']*)'$/i.exec(filter);
    if (filter !== '' && !m) throw armErrors.unsupportedFilter(filter);
    const value = deps.access
      .roles()
      .filter(visible)
      .filter((r) => !m || (same(m[1]!, 'roleName') ? same(r.roleName, m[2]!) : same(r.type, m[2]!)))
      .map((r) => roleDefinitionBody(r, sub));
    return { value };
  }
  const existing = deps.access.role(name);
  if (method === 'GET') {
    if (!existing || !visible(existing)) throw armErrors.roleDefinitionNotFound(name);
    return roleDefinitionBody(existing, sub);
  }
  if (existing?.type === 'BuiltInRole')
    throw new armErrors.ArmError(
      400,
      'RoleDefinitionUpdateNotPermitted',
      `The built-in role '${existing.roleName}' cannot be changed (ours).`,
    );
  if (method === 'DELETE') {
    if (!existing) return new ArmReply(204);
    if (deps.access.assignments().some((a) => a.roleGuid === existing.guid))
      throw new armErrors.ArmError(
        409,
        'RoleDefinitionHasAssignments',
        'There are existing role assignments referencing role (code: RoleDefinitionHasAssignments).',
      );
    deps.access.deleteCustomRole(name);
    return roleDefinitionBody(existing, sub);
  }
  if (method !== 'PUT') throw armErrors.methodNotAllowed(method);
  if (!GUID_PATTERN.test(name))
    throw armErrors.invalidRequestContent(`the role definition name '${name}' must be a GUID`);
  const props = parseJsonBody(body).properties as Record<string, unknown> | undefined;
  if (!props || typeof props !== 'object') throw armErrors.invalidRequestContent('properties is required');
  const { roleName, description, permissions, assignableScopes } = props;
  if (typeof roleName !== 'string' || roleName.trim() === '')
    throw armErrors.invalidRequestContent('properties.roleName is required');
  if (
    !Array.isArray(assignableScopes) ||
    assignableScopes.length === 0 ||
    !assignableScopes.every((a) => typeof a === 'string')
  )
    throw armErrors.invalidRequestContent('properties.assignableScopes must be a non-empty array of scopes');
  if (!Array.isArray(permissions)) throw armErrors.invalidRequestContent('properties.permissions must be an array');
  const perms: Permission[] = permissions.map((p, i) => {
    const o = (p ?? {}) as Record<string, unknown>;
    const list = (k: string): string[] => {
      const v = o[k];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
        throw armErrors.invalidRequestContent(`properties.permissions[${i}].${k} must be an array of strings`);
      return v as string[];
    };
    return {
      actions: list('actions'),
      notActions: list('notActions'),
      dataActions: list('dataActions'),
      notDataActions: list('notDataActions'),
    };
  });
  if (deps.access.roles().some((r) => same(r.roleName, roleName) && r.guid !== name.toLowerCase()))
    throw armErrors.roleDefinitionWithSameNameExists();
  const role: RoleDefinition = {
    guid: name.toLowerCase(),
    roleName,
    type: 'CustomRole',
    description: typeof description === 'string' ? description : '',
    assignableScopes: assignableScopes as string[],
    permissions: perms,
  };
  deps.access.putCustomRole(role);
  return new ArmReply(201, roleDefinitionBody(role, sub));
}

// Role definitions by GUID: the built-ins from facts.ts, a custom one fetched once per run (GET {roleDefinitionId}).
import type { ArmClient } from '../targets/workspace-vault.js';
import { AUTHORIZATION_API_VERSION, BUILT_IN_ROLES } from './facts.js';
import { roleGuid, type RoleDefinition } from './rbac-evaluation.js';

/** A role definition id, and nothing that could leave Resource Manager's host. */
const ROLE_DEFINITION_ID =
  /^(\/subscriptions\/[0-9a-f-]{36}(\/resourceGroups\/[-\w.()]{1,90})?)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/i;

export class RoleDefinitions {
  private readonly cache = new Map<string, Promise<RoleDefinition | undefined>>();

  constructor(private readonly arm: ArmClient) {}

  /** The definition, or undefined when it cannot be read (no right, not found, not a role id). */
  get(roleDefinitionId: string): Promise<RoleDefinition | undefined> {
    const guid = roleGuid(roleDefinitionId);
    const builtIn = BUILT_IN_ROLES[guid];
    if (builtIn) {
      return Promise.resolve({
        name: builtIn.name,
        permissions: [{ dataActions: builtIn.dataActions, notDataActions: builtIn.notDataActions }],
      });
    }
    let found = this.cache.get(guid);
    if (found === undefined) {
      found = this.fetch(roleDefinitionId);
      this.cache.set(guid, found);
    }
    return found;
  }

  private async fetch(id: string): Promise<RoleDefinition | undefined> {
    if (!ROLE_DEFINITION_ID.test(id)) return undefined;
    const r = await this.arm.get(id, AUTHORIZATION_API_VERSION);
    if (r.status !== 200) return undefined;
    const props = (r.body?.properties ?? {}) as Record<string, unknown>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    const permissions = (Array.isArray(props.permissions) ? props.permissions : []).map(
      (p: Record<string, unknown>) => ({
        dataActions: strings(p?.dataActions),
        notDataActions: strings(p?.notDataActions),
      }),
    );
    return { name: typeof props.roleName === 'string' ? props.roleName : roleGuid(id), permissions };
  }
}

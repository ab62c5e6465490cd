// Who may do what, in one place for Resource Manager and every vault's data plane:
// role definitions (built-in and custom), role assignments and Key Vault access policies.
// Some of the state comes from the start flags and the admin config, and shows through ARM as if it
// had been assigned:
//   - `--rbac` / `identityRoles` / `secretRoles`: on an RBAC vault, each pipeline identity's vault role is a
//     role assignment at the vault's scope (or a secret's); on an access-policy vault it is an access policy
//     with the matching secret permissions (officer: all but `all`; user: get, list; reader: list);
//   - `--arm-role` (owner | contributor | reader): the pipeline identities' Resource Manager role at each
//     emulated subscription (an `armRoles` entry `workspace` makes it Reader at each workspace, `none` nothing).
// The rest is what clients PUT through ARM. Groups (`--group`) count everywhere: an assignment or an
// access policy for a group applies to its members, nested groups included (assignedTo('…') lists them).
// Conditions (ABAC) are not evaluated: an assignment with a condition grants nothing on the data plane.
import type { Directory } from '../entra/directory.js';
import { KNOWN_PRINCIPALS, TENANT_ID } from '../entra/identities.js';
import { stableGuid } from '../common/guids.js';
import { groupsOf } from '../entra/groups.js';
import type { Group } from '../entra/groups.js';
import { SECRET_ACTIONS } from './rbac.js';
import type { RoleAssignments, RoleName } from './rbac.js';
import { BUILT_IN_ROLES, DATA_ROLE_GUID, permits, ROLE_GUIDS } from './role-definitions.js';
import type { RoleDefinition } from './role-definitions.js';

export interface RoleAssignment {
  name: string;
  /** As given in the PUT (flag-made ones: the resource's canonical id). */
  scope: string;
  roleGuid: string;
  principalId: string;
  principalType: string;
  condition: string | null;
  conditionVersion: string | null;
  description: string | null;
  createdOn: string;
  updatedOn: string;
  createdBy: string | null;
  /** Made from a flag or the admin config (read-only through ARM). */
  fromFlags: boolean;
}

export interface AccessPolicyEntry {
  tenantId: string;
  objectId: string;
  applicationId?: string | null;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[]; storage?: string[] };
}

const POLICY_FOR_ROLE: Record<RoleName, string[]> = {
  officer: ['get', 'list', 'set', 'delete', 'backup', 'restore', 'recover', 'purge'],
  user: ['get', 'list'],
  reader: ['list'],
  none: [],
};

/** The access-policy secret permission each data action needs. */
export const POLICY_PERMISSION: Record<string, string> = {
  [SECRET_ACTIONS.getSecret]: 'get',
  [SECRET_ACTIONS.readMetadata]: 'list',
  [SECRET_ACTIONS.setSecret]: 'set',
  [SECRET_ACTIONS.update]: 'set',
  [SECRET_ACTIONS.delete]: 'delete',
  [SECRET_ACTIONS.recover]: 'recover',
  [SECRET_ACTIONS.purge]: 'purge',
  [SECRET_ACTIONS.backup]: 'backup',
  [SECRET_ACTIONS.restore]: 'restore',
};

/** Scopes compare case-insensitively, without a trailing '/'. */
export const normScope = (s: string) => s.toLowerCase().replace(/\/+$/, '');
/** Is `inner` the scope `outer` or below it? */
export const within = (inner: string, outer: string) => {
  const i = normScope(inner);
  const o = normScope(outer);
  return o === '' || i === o || i.startsWith(`${o}/`);
};

/** A vault's canonical resource id (ARM's own casing, as the vault GET reports it). */
export const vaultArmId = (v: VaultScope) =>
  `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;

/** What access needs of a vault (keyvault/vault.ts's Vault is one): where it is, its permission model, its flag-made roles. */
export interface VaultScope {
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly resourceId: string;
  readonly behaviour: {
    readonly settings: { readonly vaultPermissions: 'rbac' | 'policies' };
    readonly roles: Pick<RoleAssignments, 'vaultRole' | 'secretRoles'>;
  };
}

/** A resource access reads its subscription and scope from (a workspace, a user-assigned identity). */
interface Placed {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface AccessDeps {
  groups: readonly Group[];
  identities: { allUserAssigned(): readonly Pick<Placed, 'subscriptionId'>[] };
  vaults: ReadonlyMap<string, VaultScope>;
  workspaces: readonly Placed[];
  directory: Directory;
  startedAt: Date;
}

export class AccessState {
  private readonly custom = new Map<string, RoleDefinition>();
  private readonly created: RoleAssignment[] = [];
  private readonly policies = new Map<string, AccessPolicyEntry[]>();

  constructor(private readonly deps: AccessDeps) {}

  /** The principal and every group it belongs to (transitively), lower-case. */
  identitiesOf(principalId: string): Set<string> {
    return new Set([principalId.toLowerCase(), ...groupsOf(principalId, this.deps.groups)]);
  }

  subscriptions(): string[] {
    const subs = new Map<string, string>();
    for (const v of this.deps.vaults.values()) subs.set(v.subscriptionId.toLowerCase(), v.subscriptionId);
    for (const w of this.deps.workspaces) subs.set(w.subscriptionId.toLowerCase(), w.subscriptionId);
    for (const u of this.deps.identities.allUserAssigned()) subs.set(u.subscriptionId.toLowerCase(), u.subscriptionId);
    return [...subs.values()];
  }

  // --- role definitions -------------------------------------------------------------------------
  role(guid: string): RoleDefinition | undefined {
    const g = guid.toLowerCase();
    return BUILT_IN_ROLES.find((r) => r.guid === g) ?? this.custom.get(g);
  }

  roles(): RoleDefinition[] {
    return [...BUILT_IN_ROLES, ...this.custom.values()];
  }

  putCustomRole(role: RoleDefinition): void {
    this.custom.set(role.guid.toLowerCase(), role);
  }

  deleteCustomRole(guid: string): RoleDefinition | undefined {
    const role = this.custom.get(guid.toLowerCase());
    this.custom.delete(guid.toLowerCase());
    return role;
  }

  // --- role assignments -------------------------------------------------------------------------
  /** Every assignment: the flag-made ones, then those made through ARM. */
  assignments(): RoleAssignment[] {
    return [...this.flagAssignments(), ...this.created];
  }

  addAssignment(a: RoleAssignment): void {
    this.created.push(a);
  }

  deleteAssignment(name: string, scope: string): RoleAssignment | undefined {
    const i = this.created.findIndex((a) => a.name === name.toLowerCase() && normScope(a.scope) === normScope(scope));
    return i < 0 ? undefined : this.created.splice(i, 1)[0];
  }

  private flagAssignments(): RoleAssignment[] {
    const out: RoleAssignment[] = [];
    const created = this.deps.startedAt.toISOString();
    const make = (scope: string, roleGuid: string, principalId: string): RoleAssignment => ({
      name: stableGuid(`flag/${normScope(scope)}/${principalId}/${roleGuid}`),
      scope,
      roleGuid,
      principalId,
      principalType: 'ServicePrincipal',
      condition: null,
      conditionVersion: null,
      description: null,
      createdOn: created,
      updatedOn: created,
      createdBy: null,
      fromFlags: true,
    });
    const level = { owner: ROLE_GUIDS.owner, contributor: ROLE_GUIDS.contributor, reader: ROLE_GUIDS.reader }[
      this.deps.directory.armLevel
    ];
    for (const p of KNOWN_PRINCIPALS) {
      const arm = this.deps.directory.armRole(p.objectId);
      if (arm === 'reader')
        for (const sub of this.subscriptions()) out.push(make(`/subscriptions/${sub}`, level, p.objectId));
      if (arm === 'workspace')
        for (const w of this.deps.workspaces)
          out.push(
            make(
              `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${w.name}`,
              ROLE_GUIDS.reader,
              p.objectId,
            ),
          );
    }
    for (const v of this.deps.vaults.values()) {
      if (v.behaviour.settings.vaultPermissions !== 'rbac') continue;
      for (const p of KNOWN_PRINCIPALS) {
        const role = DATA_ROLE_GUID[v.behaviour.roles.vaultRole(p.objectId)];
        if (role) out.push(make(vaultArmId(v), role, p.objectId));
        for (const [secret, r] of Object.entries(v.behaviour.roles.secretRoles(p.objectId))) {
          const g = DATA_ROLE_GUID[r];
          if (g) out.push(make(`${vaultArmId(v)}/secrets/${secret}`, g, p.objectId));
        }
      }
    }
    return out;
  }

  /** The control plane: may the principal perform the action at the scope? */
  allowsArm(principalId: string, action: string, scope: string): boolean {
    const who = this.identitiesOf(principalId);
    return this.assignments().some((a) => {
      if (!who.has(a.principalId.toLowerCase()) || !within(scope, a.scope)) return false;
      const role = this.role(a.roleGuid);
      return role !== undefined && permits(role, action, 'control');
    });
  }

  /**
   * The data plane of an RBAC vault, from the assignments made through ARM (the flag-made ones are
   * decided by the vault's own role table, which also narrows a secret with `secretRoles`).
   */
  allowsDataByAssignment(vault: VaultScope, principalId: string, action: string, secretName?: string): boolean {
    const target = secretName ? `${vault.resourceId}/secrets/${secretName}` : vault.resourceId;
    const who = this.identitiesOf(principalId);
    return this.created.some((a) => {
      if (!who.has(a.principalId.toLowerCase()) || a.condition) return false;
      if (!within(target, a.scope)) return false;
      const role = this.role(a.roleGuid);
      return role !== undefined && permits(role, action, 'data');
    });
  }

  // --- access policies --------------------------------------------------------------------------
  /** The vault's access policies: the flag-made ones (on an access-policy vault), merged with the added ones. */
  accessPolicies(vault: VaultScope): AccessPolicyEntry[] {
    const entries: AccessPolicyEntry[] = [];
    if (vault.behaviour.settings.vaultPermissions === 'policies')
      for (const p of KNOWN_PRINCIPALS) {
        const secrets = POLICY_FOR_ROLE[vault.behaviour.roles.vaultRole(p.objectId)];
        if (secrets.length > 0)
          entries.push({
            tenantId: TENANT_ID,
            objectId: p.objectId,
            permissions: { keys: [], secrets: [...secrets], certificates: [], storage: [] },
          });
      }
    for (const added of this.policies.get(vault.name.toLowerCase()) ?? []) mergeInto(entries, added);
    return entries;
  }

  /** `accessPolicies/add`: merges the permissions into the entry for the same object (and application). */
  addAccessPolicies(vault: VaultScope, added: AccessPolicyEntry[]): void {
    const list = this.policies.get(vault.name.toLowerCase()) ?? [];
    for (const e of added) mergeInto(list, e);
    this.policies.set(vault.name.toLowerCase(), list);
  }

  allowsDataByPolicy(vault: VaultScope, principalId: string, action: string): boolean {
    const needed = POLICY_PERMISSION[action];
    const who = this.identitiesOf(principalId);
    return this.accessPolicies(vault).some(
      (e) =>
        who.has(e.objectId.toLowerCase()) &&
        !e.applicationId &&
        (e.permissions.secrets ?? []).some((s) => s.toLowerCase() === 'all' || s.toLowerCase() === needed),
    );
  }
}

function mergeInto(list: AccessPolicyEntry[], e: AccessPolicyEntry): void {
  const same = list.find(
    (x) =>
      x.objectId.toLowerCase() === e.objectId.toLowerCase() && (x.applicationId ?? null) === (e.applicationId ?? null),
  );
  if (!same) {
    list.push(structuredClone(e));
    return;
  }
  for (const kind of ['keys', 'secrets', 'certificates', 'storage'] as const) {
    const merged = new Set([...(same.permissions[kind] ?? []), ...(e.permissions[kind] ?? [])]);
    same.permissions[kind] = [...merged];
  }
}

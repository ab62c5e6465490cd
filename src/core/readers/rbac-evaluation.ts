// Pure: can a principal get each secret, given the role assignments that apply to it and their role definitions?
// A role reads when one of its permission blocks has a data action that covers getSecret (with `*` wildcards) and
// that block's notDataActions do not. Scopes and role GUIDs compare case-insensitively; a secret-scoped assignment
// counts for that secret only; an assignment with a condition is not evaluated (unknown).
import { GET_SECRET_ACTION } from './facts.js';

export interface RoleAssignment {
  roleDefinitionId: string;
  principalId?: string;
  scope: string;
  condition?: string | null;
}

export interface RolePermissions {
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

export interface RoleDefinition {
  name: string;
  permissions: readonly RolePermissions[];
}

export interface RbacVerdict {
  status: 'reads' | 'missing' | 'unknown';
  /** reads: the role(s) and scope(s) that let it read. */
  via?: string;
  /** missing or unknown: why. */
  reason?: string;
}

/** The trailing GUID of a roleDefinitionId (subscription-qualified or not), lower case. */
export function roleGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').filter(Boolean).at(-1) ?? '').toLowerCase();
}

/** `*` matches any run of characters, `/` included; case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(action);
}

export function roleReads(role: RoleDefinition, action = GET_SECRET_ACTION): boolean {
  return role.permissions.some(
    (p) =>
      p.dataActions.some((a) => actionMatches(a, action)) && !p.notDataActions.some((n) => actionMatches(n, action)),
  );
}

const trim = (s: string) => s.replace(/\/+$/, '').toLowerCase();

/**
 * Where an assignment applies, seen from the vault: to the whole vault (its scope is the vault or an ancestor), to one
 * secret, or not at all.
 */
export function scopeReach(
  scope: string,
  vaultId: string,
): { kind: 'vault' } | { kind: 'secret'; name: string } | undefined {
  const s = trim(scope);
  const v = trim(vaultId);
  if (s === '' || s === v || v.startsWith(`${s}/`)) return { kind: 'vault' };
  // A management group is above every subscription it holds: Resource Manager returned it for this vault.
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) return { kind: 'vault' };
  const secretPrefix = `${v}/secrets/`;
  if (s.startsWith(secretPrefix) && !s.slice(secretPrefix.length).includes('/'))
    return { kind: 'secret', name: s.slice(secretPrefix.length) };
  return undefined;
}

/**
 * The verdict for one principal over the pushed secrets. `roles` holds the definitions by lower-case GUID; a GUID
 * missing there could not be read (unknown, unless another assignment reads anyway).
 */
export function evaluateRbac(input: {
  vaultId: string;
  secrets: readonly string[];
  assignments: readonly RoleAssignment[];
  roles: ReadonlyMap<string, RoleDefinition>;
}): RbacVerdict {
  const { vaultId, secrets, assignments, roles } = input;
  const via = new Set<string>();
  const doubts: string[] = [];
  const unread: string[] = [];
  for (const secret of secrets) {
    let reads = false;
    for (const a of assignments) {
      const reach = scopeReach(a.scope, vaultId);
      if (reach === undefined) continue;
      if (reach.kind === 'secret' && reach.name !== secret.toLowerCase()) continue;
      const role = roles.get(roleGuid(a.roleDefinitionId));
      const label = `${role?.name ?? roleGuid(a.roleDefinitionId)} at ${a.scope}`;
      if (role === undefined) {
        doubts.push(`the role ${roleGuid(a.roleDefinitionId)} (at ${a.scope}) could not be read`);
        continue;
      }
      if (!roleReads(role)) continue;
      if (a.condition) {
        doubts.push(`${label} has a condition, which is not evaluated`);
        continue;
      }
      reads = true;
      via.add(label);
      break;
    }
    if (!reads) unread.push(secret);
  }
  if (unread.length === 0) return { status: 'reads', via: [...via].join('; ') };
  const which = unread.length === secrets.length ? 'the secrets' : unread.join(', ');
  if (doubts.length > 0)
    return { status: 'unknown', reason: `cannot tell whether it reads ${which}: ${[...new Set(doubts)].join('; ')}` };
  return { status: 'missing', reason: `no role assignment lets it read ${which}` };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

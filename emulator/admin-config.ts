// The admin API's config body (POST {adminUrl}/config) and the value parsers the start flags share with
// it, so that a flag and its config key mean the same thing: per-vault settings (keyvault/vault-config.ts)
// and the settings that are not per vault (the tenant's ARM roles, the CI issuers' subjects).
import { isRoleName } from './access/rbac.js';
import type { RoleName } from './access/rbac.js';
import { ARM_LEVELS, ARM_ROLES } from './entra/directory.js';
import type { ArmLevel, ArmRole } from './entra/directory.js';
import { findByClientId, KNOWN_PRINCIPALS } from './entra/identities.js';
import { parseFaultStatus } from './keyvault/faults.js';
import { parseThrottle } from './keyvault/throttle.js';
import type { ThrottleLimits } from './keyvault/throttle.js';
import type { SettingsPatch } from './keyvault/vault-config.js';

/** Settings that are not per vault (the tenant and the CI issuers; applied by admin.ts). */
export interface GlobalPatch {
  /** ARM role per identity, by client id: replaces all earlier ones (the others are Readers). */
  armRoles?: Record<string, ArmRole>;
  /** The pipeline identities' Resource Manager role (`--arm-role`). */
  armRole?: ArmLevel;
  /** Workspaces spell `identity.type` "SystemAssigned, UserAssigned" (with a space). */
  identityTypeWithSpace?: boolean;
  /** `sub` of the next GitHub / Azure DevOps ID tokens; null restores the default. */
  githubSubject?: string | null;
  azdoSubject?: string | null;
}

const PATCH_KEYS = [
  'vault',
  'rbac',
  'firewall',
  'purgeProtection',
  'reportedVaultUri',
  'latencyMs',
  'faultRate',
  'faultStatus',
  'retryAfter',
  'throttle',
  'consistencyDelayMs',
  'vaultPermissions',
  'publicNetworkAccess',
  'armRole',
  'identityTypeWithSpace',
  'seed',
  'secretRoles',
  'identityRoles',
  'armRoles',
  'githubSubject',
  'azdoSubject',
];

/** Validates a JSON config body (POST /admin/config). Throws Error with a readable message. `global` is present only when the body sets a global key. */
export function parseConfigBody(body: unknown): { vault?: string; patch: SettingsPatch; global?: GlobalPatch } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error('the config body must be a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !PATCH_KEYS.includes(k));
  if (unknown.length > 0)
    throw new Error(`unknown config keys: ${unknown.join(', ')} (known: ${PATCH_KEYS.join(', ')})`);
  if (b.vault !== undefined && typeof b.vault !== 'string') throw new Error('"vault" must be a vault name');
  const patch: SettingsPatch = {};
  if (b.rbac !== undefined) patch.rbac = parseRole(b.rbac, 'rbac');
  if (b.firewall !== undefined) patch.firewall = parseFirewall(b.firewall);
  if (b.purgeProtection !== undefined) {
    if (typeof b.purgeProtection !== 'boolean') throw new Error('"purgeProtection" must be true or false');
    patch.purgeProtection = b.purgeProtection;
  }
  if (b.reportedVaultUri !== undefined) {
    if (b.reportedVaultUri !== null && typeof b.reportedVaultUri !== 'string')
      throw new Error('"reportedVaultUri" must be a URL string or null');
    patch.reportedVaultUri = b.reportedVaultUri;
  }
  if (b.latencyMs !== undefined) patch.latencyMs = parseNonNegative(b.latencyMs, 'latencyMs');
  if (b.faultRate !== undefined) patch.faultRate = parseRate(b.faultRate);
  if (b.faultStatus !== undefined) patch.faultStatus = parseFaultStatus(b.faultStatus);
  if (b.retryAfter !== undefined) patch.retryAfter = parseRetryAfter(b.retryAfter);
  if (b.throttle !== undefined) patch.throttle = parseThrottleValue(b.throttle);
  if (b.consistencyDelayMs !== undefined)
    patch.consistencyDelayMs = parseNonNegative(b.consistencyDelayMs, 'consistencyDelayMs');
  if (b.vaultPermissions !== undefined) patch.vaultPermissions = parseVaultPermissions(b.vaultPermissions);
  if (b.publicNetworkAccess !== undefined) {
    if (b.publicNetworkAccess !== 'Enabled' && b.publicNetworkAccess !== 'Disabled')
      throw new Error('"publicNetworkAccess" must be "Enabled" or "Disabled"');
    patch.publicNetworkAccess = b.publicNetworkAccess;
  }
  if (b.seed !== undefined) patch.seed = parseSeed(b.seed);
  if (b.secretRoles !== undefined) patch.secretRoles = parseSecretRoles(b.secretRoles);
  if (b.identityRoles !== undefined)
    patch.identityRoles = parseByClientId(b.identityRoles, 'identityRoles', (role, id) =>
      parseRole(role, `vault role for ${id}`),
    );
  const global: GlobalPatch = {};
  if (b.armRoles !== undefined) global.armRoles = parseByClientId(b.armRoles, 'armRoles', parseArmRole);
  if (b.armRole !== undefined) global.armRole = parseArmLevel(b.armRole, 'armRole');
  if (b.identityTypeWithSpace !== undefined) {
    if (typeof b.identityTypeWithSpace !== 'boolean') throw new Error('"identityTypeWithSpace" must be true or false');
    global.identityTypeWithSpace = b.identityTypeWithSpace;
  }
  if (b.githubSubject !== undefined) global.githubSubject = parseSubject(b.githubSubject, 'githubSubject');
  if (b.azdoSubject !== undefined) global.azdoSubject = parseSubject(b.azdoSubject, 'azdoSubject');
  return { vault: b.vault as string | undefined, patch, ...(Object.keys(global).length > 0 ? { global } : {}) };
}

function parseByClientId<T>(
  v: unknown,
  what: string,
  parse: (value: unknown, clientId: string) => T,
): Record<string, T> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`"${what}" must be an object {"<clientId>": role}`);
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([clientId, value]) => {
      const principal = findByClientId(clientId);
      if (!principal)
        throw new Error(
          `"${what}": unknown clientId "${clientId}" (known: ${KNOWN_PRINCIPALS.map((p) => p.appId).join(', ')})`,
        );
      return [principal.appId, parse(value, clientId)];
    }),
  );
}

export function parseVaultPermissions(v: unknown, what = 'vaultPermissions'): 'rbac' | 'policies' {
  if (v === 'rbac' || v === 'policies') return v;
  throw new Error(`invalid ${what} "${String(v)}": expected rbac or policies`);
}

export function parseArmLevel(v: unknown, what = 'armRole'): ArmLevel {
  if (typeof v === 'string' && (ARM_LEVELS as readonly string[]).includes(v)) return v as ArmLevel;
  throw new Error(`invalid ${what} "${String(v)}": expected ${ARM_LEVELS.join(', ')}`);
}

export function parseArmRole(v: unknown): ArmRole {
  if (typeof v === 'string' && (ARM_ROLES as readonly string[]).includes(v)) return v as ArmRole;
  throw new Error(`invalid ARM role "${String(v)}": expected ${ARM_ROLES.join(', ')}`);
}

function parseSubject(v: unknown, what: string): string | null {
  if (v === null) return null;
  if (typeof v === 'string' && v.length > 0 && v.length <= 600) return v;
  throw new Error(`"${what}" must be a non-empty string (or null for the default)`);
}

export function parseRole(v: unknown, what = 'role'): RoleName {
  if (!isRoleName(v)) throw new Error(`invalid ${what} "${String(v)}": expected officer, user, reader or none`);
  return v;
}

export function parseFirewall(v: unknown): 'allow' | 'deny' {
  if (v === 'allow' || v === 'deny') return v;
  throw new Error(`invalid firewall "${String(v)}": expected allow or deny`);
}

export function parseNonNegative(v: unknown, what: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
    throw new Error(`invalid ${what} "${String(v)}": expected a number >= 0`);
  return n;
}

export function parseRate(v: unknown): number {
  const n = parseNonNegative(v, 'fault rate');
  if (n > 1) throw new Error(`invalid fault rate "${String(v)}": expected a fraction between 0 and 1`);
  return n;
}

export function parseRetryAfter(v: unknown): number | null {
  if (v === null || v === 'none') return null;
  const n = parseNonNegative(v, 'retry-after');
  return Math.ceil(n);
}

export function parseSeed(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new Error(`invalid seed "${String(v)}": expected an integer`);
  return n;
}

function parseThrottleValue(v: unknown): ThrottleLimits | null {
  if (v === null) return null;
  if (typeof v === 'string') return parseThrottle(v);
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const parts = [
      o.sets !== undefined ? `sets=${String(o.sets)}` : '',
      o.other !== undefined ? `other=${String(o.other)}` : '',
      o.windowSeconds !== undefined ? `window=${String(o.windowSeconds)}` : '',
    ].filter(Boolean);
    if (parts.length === 0) throw new Error('invalid throttle object: expected {"sets"?, "other"?, "windowSeconds"?}');
    return parseThrottle(parts.join(','));
  }
  throw new Error('invalid throttle: expected "real", "none", "sets=N,other=M" or an object');
}

function parseSecretRoles(v: unknown): Record<string, RoleName> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error('"secretRoles" must be an object {"<secretName>": role}');
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([name, role]) => [
      name,
      parseRole(role, `role for secret ${name}`),
    ]),
  );
}

// Per-vault behaviour switches: set from CLI flags at start and changed at runtime through
// POST {adminUrl}/config. One parser for both, so a flag and its config key mean the same thing.
import { ARM_LEVELS, ARM_ROLES } from './directory.js';
import type { ArmLevel, ArmRole } from './directory.js';
import { DEFAULT_MANAGED_IDENTITY, findByClientId, KNOWN_PRINCIPALS } from './identities.js';
import { FaultInjector, parseFaultStatus } from './faults.js';
import type { FaultStatus } from './faults.js';
import { isRoleName, RoleAssignments } from './rbac.js';
import type { RoleName } from './rbac.js';
import { parseThrottle, SlidingWindowThrottle } from './throttle.js';
import type { ThrottleLimits } from './throttle.js';

export interface VaultSettings {
  firewall: 'allow' | 'deny';
  /** A purge of a soft-deleted secret is refused (403) until its retention ends, as on a vault with purge protection. */
  purgeProtection: boolean;
  /** What Resource Manager reports as this vault's vaultUri, instead of its real URL: a planted or foreign vault. */
  reportedVaultUri: string | null;
  latencyMs: number;
  faultRate: number;
  faultStatus: FaultStatus;
  /** Seconds for Retry-After on 429s; null sends none (like many real 429s). */
  retryAfter: number | null;
  throttle: ThrottleLimits | null;
  /**
   * Eventual consistency, as the service shows it: for this many ms after a delete the deleted secret
   * is not yet listed (GET /deletedsecrets/{name} → 404), after a recover the secret is not yet
   * readable (GET → 404), after a purge the deleted secret is still there; a set meanwhile gets 409.
   * 0 (the default) finishes every one at once.
   */
  consistencyDelayMs: number;
  /** The vault's permission model (`--vault-permissions`): Azure RBAC, or access policies. */
  vaultPermissions: 'rbac' | 'policies';
  /** What the vault GET reports as `publicNetworkAccess`; `Disabled` also refuses every data-plane call (403). */
  publicNetworkAccess: 'Enabled' | 'Disabled';
}

/** A validated change. Absent keys leave the setting alone. */
export interface SettingsPatch {
  rbac?: RoleName;
  firewall?: 'allow' | 'deny';
  purgeProtection?: boolean;
  reportedVaultUri?: string | null;
  latencyMs?: number;
  faultRate?: number;
  faultStatus?: FaultStatus;
  retryAfter?: number | null;
  throttle?: ThrottleLimits | null;
  consistencyDelayMs?: number;
  vaultPermissions?: 'rbac' | 'policies';
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  seed?: number;
  secretRoles?: Record<string, RoleName>;
  /** Vault role per identity, by client id: replaces all earlier per-identity roles (the others get `rbac`'s). */
  identityRoles?: Record<string, RoleName>;
}

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

export const DEFAULT_SETTINGS: VaultSettings = {
  firewall: 'allow',
  purgeProtection: false,
  reportedVaultUri: null,
  latencyMs: 0,
  faultRate: 0,
  faultStatus: 503,
  retryAfter: null,
  throttle: null,
  consistencyDelayMs: 0,
  vaultPermissions: 'rbac',
  publicNetworkAccess: 'Enabled',
};

/** The mutable state of one vault's behaviour (its secrets live in VaultStore). */
export class VaultBehaviour {
  settings: VaultSettings = { ...DEFAULT_SETTINGS };
  readonly roles = new RoleAssignments();
  readonly throttle = new SlidingWindowThrottle();
  readonly faults = new FaultInjector();
  /** The vault role of every identity without a role of its own (`rbac`). */
  private baseRole: RoleName = 'officer';
  /** Per-identity vault roles (`identityRoles`), by object id. */
  private identityOverrides = new Map<string, RoleName>();

  constructor(initial: SettingsPatch = {}) {
    this.apply(initial);
  }

  /** Applies a patch; `rbac` and `secretRoles` are assignments of every identity, `identityRoles` of one each. */
  apply(patch: SettingsPatch): void {
    const { rbac, secretRoles, identityRoles, seed, throttle, ...rest } = patch;
    const defined = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined),
    ) as Partial<VaultSettings>;
    this.settings = { ...this.settings, ...defined };
    if (throttle !== undefined) {
      this.settings.throttle = throttle;
      this.throttle.reset();
    }
    if (rbac !== undefined) this.baseRole = rbac;
    if (identityRoles !== undefined)
      this.identityOverrides = new Map(
        Object.entries(identityRoles).map(([clientId, role]) => [findByClientId(clientId)!.objectId, role]),
      );
    for (const p of KNOWN_PRINCIPALS)
      this.roles.setVaultRole(p.objectId, this.identityOverrides.get(p.objectId) ?? this.baseRole);
    if (secretRoles !== undefined) for (const p of KNOWN_PRINCIPALS) this.roles.setSecretRoles(p.objectId, secretRoles);
    if (seed !== undefined) this.faults.reseed(seed);
  }

  describe(): Record<string, unknown> {
    const t = this.settings.throttle;
    return {
      ...this.settings,
      throttle: t ? { sets: nullIfInfinite(t.sets), other: nullIfInfinite(t.other), windowMs: t.windowMs } : null,
      rbac: this.roles.vaultRole(DEFAULT_MANAGED_IDENTITY.objectId),
      secretRoles: this.roles.secretRoles(DEFAULT_MANAGED_IDENTITY.objectId),
      identityRoles: Object.fromEntries(
        KNOWN_PRINCIPALS.filter((p) => this.identityOverrides.has(p.objectId)).map((p) => [
          p.appId,
          this.identityOverrides.get(p.objectId),
        ]),
      ),
      roleByIdentity: Object.fromEntries(KNOWN_PRINCIPALS.map((p) => [p.appId, this.roles.vaultRole(p.objectId)])),
    };
  }
}

const nullIfInfinite = (n: number) => (Number.isFinite(n) ? n : null);

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

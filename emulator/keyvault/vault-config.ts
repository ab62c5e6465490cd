// Per-vault behaviour switches: set from CLI flags at start and changed at runtime through
// POST {adminUrl}/config (parsed by admin-config.ts, whose parsers the flags share).
import { DEFAULT_MANAGED_IDENTITY, findByClientId, KNOWN_PRINCIPALS } from '../entra/identities.js';
import { FaultInjector } from './faults.js';
import type { FaultStatus } from './faults.js';
import { RoleAssignments } from '../access/rbac.js';
import type { RoleName } from '../access/rbac.js';
import { SlidingWindowThrottle } from './throttle.js';
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

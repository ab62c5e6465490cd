// Azure RBAC for the secrets data plane: the built-in roles the emulator offers and the data action
// each operation needs.
// Sources: MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/security.md
// (Key Vault Secrets Officer b86a8fe4…: dataActions Microsoft.KeyVault/vaults/secrets/*;
//  Key Vault Secrets User 4633458b…: secrets/getSecret/action + secrets/readMetadata/action;
//  Key Vault Reader 21090545…: vaults/*/read + secrets/readMetadata/action) and
// articles/role-based-access-control/permissions/security.md (the Microsoft.KeyVault/vaults/secrets/* data actions).

export type RoleName = 'officer' | 'user' | 'reader' | 'none';
export const ROLE_NAMES: readonly RoleName[] = ['officer', 'user', 'reader', 'none'];

const SECRETS = 'Microsoft.KeyVault/vaults/secrets';

/** The data action each secrets operation is authorized against. */
export const SECRET_ACTIONS = {
  getSecret: `${SECRETS}/getSecret/action`,
  readMetadata: `${SECRETS}/readMetadata/action`,
  setSecret: `${SECRETS}/setSecret/action`,
  update: `${SECRETS}/update/action`,
  delete: `${SECRETS}/delete`,
  recover: `${SECRETS}/recover/action`,
  purge: `${SECRETS}/purge/action`,
  backup: `${SECRETS}/backup/action`,
  restore: `${SECRETS}/restore/action`,
} as const;
export type SecretAction = (typeof SECRET_ACTIONS)[keyof typeof SECRET_ACTIONS];

export const ROLE_DEFINITIONS: Record<RoleName, { displayName: string; dataActions: readonly string[] }> = {
  officer: { displayName: 'Key Vault Secrets Officer', dataActions: [`${SECRETS}/*`] },
  user: { displayName: 'Key Vault Secrets User', dataActions: [SECRET_ACTIONS.getSecret, SECRET_ACTIONS.readMetadata] },
  reader: {
    displayName: 'Key Vault Reader',
    dataActions: ['Microsoft.KeyVault/vaults/*/read', SECRET_ACTIONS.readMetadata],
  },
  none: { displayName: '(no role assignment)', dataActions: [] },
};

export function isRoleName(v: unknown): v is RoleName {
  return typeof v === 'string' && (ROLE_NAMES as readonly string[]).includes(v);
}

/** Azure action patterns: '*' matches any run of characters (case-insensitive). */
export function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

export function roleAllows(role: RoleName, action: string): boolean {
  return ROLE_DEFINITIONS[role].dataActions.some((p) => matches(p, action));
}

/**
 * Role assignments of one vault: one at vault scope per principal, and optional ones scoped to a single
 * secret. Emulator simplification: a secret-scoped assignment *replaces* the vault-scope role for that
 * secret (real RBAC is additive; the effect of a narrower role on one secret needs a deny assignment there).
 */
export class RoleAssignments {
  private readonly vaultScope = new Map<string, RoleName>();
  private readonly secretScope = new Map<string, Map<string, RoleName>>();

  setVaultRole(principalId: string, role: RoleName): void {
    this.vaultScope.set(principalId, role);
  }

  vaultRole(principalId: string): RoleName {
    return this.vaultScope.get(principalId) ?? 'none';
  }

  /** Replaces every secret-scoped assignment of the principal. */
  setSecretRoles(principalId: string, roles: Record<string, RoleName>): void {
    this.secretScope.set(principalId, new Map(Object.entries(roles).map(([name, role]) => [name.toLowerCase(), role])));
  }

  secretRoles(principalId: string): Record<string, RoleName> {
    return Object.fromEntries(this.secretScope.get(principalId) ?? []);
  }

  effectiveRole(principalId: string, secretName?: string): RoleName {
    const scoped = secretName ? this.secretScope.get(principalId)?.get(secretName.toLowerCase()) : undefined;
    return scoped ?? this.vaultRole(principalId);
  }

  allows(principalId: string, action: string, secretName?: string): boolean {
    return roleAllows(this.effectiveRole(principalId, secretName), action);
  }
}

// Service limits and validation rules the emulator enforces, each with its public source
// (summarised in docs/keyvault.md §2–§3).

/** Object names: 1–127 characters of 0-9 a-z A-Z and '-' (learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates; swagger 7.4 pattern ^[0-9a-zA-Z-]+$). */
export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
/** Vault names: 3–24 characters, letters/digits/'-', start with a letter, end with a letter or digit, no '--' (about-keys-secrets-certificates; rest-error-codes VaultNameNotValid; docs/keyvault.md §3). */
export const VAULT_NAME_PATTERN = /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
/** Secret value: at most 25 KB ("25k bytes"; learn.microsoft.com/azure/key-vault/secrets/about-secrets). An empty value is allowed (JS SDK live test "can set a secret with Empty Value"). */
export const MAX_VALUE_BYTES = 25 * 1024;
/** contentType: at most 255 characters (about-secrets). */
export const MAX_CONTENT_TYPE_LENGTH = 255;
/** Tags: at most 15, names and values at most 512 characters (about-secrets). */
export const MAX_TAGS = 15;
export const MAX_TAG_NAME_LENGTH = 512;
export const MAX_TAG_VALUE_LENGTH = 512;
/** maxresults: integer 1..25, default 25 (swagger 7.4 GetSecrets). */
export const MAX_RESULTS_LIMIT = 25;
/** Soft delete: 90 days, recovery level of a default soft-delete vault (SDK recordings and REST spec 7.4 examples: scheduledPurgeDate − deletedDate = 7,776,000 s; docs/keyvault.md §1.2). */
export const RECOVERABLE_DAYS = 90;
export const RECOVERY_LEVEL = 'Recoverable+Purgeable';
/** Throttling per vault per 10 s: 300 secret CREATE, 4,000 all other transactions (learn.microsoft.com/azure/key-vault/general/service-limits, dated 07/23/2025). */
export const REAL_THROTTLE = { sets: 300, other: 4000, windowMs: 10_000 } as const;
/** Request bodies above this are refused with 400 (ours: the real limit is not documented; 25 KB values fit many times over). */
export const MAX_BODY_BYTES = 256 * 1024;
/** Bodies are drained (and refused) up to this size; beyond it the connection is closed. */
export const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
/** Managed-identity tokens live 24 h, like App Service/IMDS tokens (ours, matching what Azure issues in practice). */
export const TOKEN_LIFETIME_SECONDS = 24 * 3600;
// The audience a vault accepts and the resource its challenge names depend on the cloud: clouds.ts.

// Key Vault's limits for a secret, checked before the first request so that one bad input never leaves a
// half-written vault. Sources: learn.microsoft.com/azure/key-vault/secrets/about-secrets (value size, tags,
// content type) and Azure/azure-cli#5639 (the CLI's client-side value check).

import { OWNER_TAG, OWNERSHIP_TAG } from '../common/ownership.js';

/**
 * Largest value, in UTF-8 bytes. The docs say "25k bytes"; the az CLI refuses values over 25,600 characters,
 * so the service takes 25,600 one-byte characters. We count bytes, not characters: a character count would pass
 * 25,600 multi-byte characters (up to ~100 KB), which the service would refuse mid-run, after others were written.
 */
export const MAX_VALUE_BYTES = 25_600;

/** Tags per secret version, ownership tags included. */
export const MAX_TAGS_PER_SECRET = 15;
export const MAX_TAG_NAME_CHARS = 512;
export const MAX_TAG_VALUE_CHARS = 512;
export const MAX_CONTENT_TYPE_CHARS = 255;

/**
 * The engine marks every secret it writes with these two tags (see ownership.ts), so that it never overwrites a secret
 * it did not write (the Azure ML workspace keeps its own secrets in the same vault). Users may not set them.
 */
export const RESERVED_TAG_NAMES: readonly string[] = [OWNERSHIP_TAG, OWNER_TAG];
/** What is left for the user's own tags: 15 − 2 = 13. */
export const MAX_USER_TAGS = MAX_TAGS_PER_SECRET - RESERVED_TAG_NAMES.length;

/**
 * Parallel requests, at most. Ours, not the service's: a vault takes 300 secret creates per 10 s (service-limits
 * page), which the scheduler's rate budgets keep to whatever the concurrency; the scheduler starts at 8 and grows
 * to this while the vault keeps up, and halves on 429s. 32 requests of 30 ms fill the 300-write budget in about
 * a third of a second; 64 bounds the sockets a CI step opens.
 */
export const CONCURRENCY = { min: 1, max: 64, default: 32 } as const;

// The fleet inputs that are not targets: owner-scope, prune's guard, warn-expiry-days and mode.
import { displayName } from '../azure/names.js';
import type { Reader } from './input-reader.js';

export const OWNER_SCOPE = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const OWNER_SCOPE_RULE = '1–32 characters of a-z, 0-9 and -, starting with a letter or digit';
export const WARN_EXPIRY = { min: 0, max: 3650, default: 30 } as const;

export function readOwnerScope(r: Reader): string | undefined {
  const text = r.text('owner-scope');
  if (text === undefined) return undefined;
  if (OWNER_SCOPE.test(text)) return text;
  r.problem('owner-scope', `${displayName(text)} is not a short name (${OWNER_SCOPE_RULE})`);
  return undefined;
}

export function readWarnExpiryDays(r: Reader): number {
  const text = r.text('warn-expiry-days');
  if (text === undefined) return WARN_EXPIRY.default;
  const n = /^[0-9]{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= WARN_EXPIRY.min && n <= WARN_EXPIRY.max)) {
    r.problem(
      'warn-expiry-days',
      `${displayName(text)} is not a whole number from ${WARN_EXPIRY.min} to ${WARN_EXPIRY.max}`,
    );
    return WARN_EXPIRY.default;
  }
  return n;
}

/** Appended to the "no secrets" problem when prune is set: an empty input must never empty the vault. */
export function pruneRefusal(r: Reader): string {
  return (
    `; with ${r.label('prune')} set, an input that resolves to no secrets would delete every secret this owner wrote, ` +
    'so nothing is pruned (check the filters)'
  );
}

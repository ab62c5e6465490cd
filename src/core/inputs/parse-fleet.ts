// The fleet inputs that are not targets: owner-scope, prune's guard, warn-expiry-days and mode.
import { displayName } from '../azure/names.js';
import type { Reader } from './input-reader.js';

export const OWNER_SCOPE = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const OWNER_SCOPE_RULE = '1–32 characters of a-z, 0-9 and -, starting with a letter or digit';
/**
 * An owner given by hand (the CLI's --owner): an id like the platforms write (`github.com/ORG/REPO`,
 * `dev.azure.com/ORG/PROJECT/PIPELINE`), short enough that owner, `#` and a scope fit a Key Vault tag value (256).
 */
export const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9 ._@:()/-]{0,198}[A-Za-z0-9._@:()/-])?$/;
export const OWNER_RULE =
  "1–200 characters of letters, digits, space and . _ - / @ : ( ), starting with a letter or digit; no '#', which joins the owner scope";

/** The problem with an owner given by hand, named by its input's label; the text itself is never repeated. */
export function ownerProblem(text: string, label: string): string | undefined {
  return OWNER.test(text) ? undefined : `${label}: is not an owner id (${OWNER_RULE}); it is not shown`;
}

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

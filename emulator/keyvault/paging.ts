// Paging of the list operations (REST spec 7.4, docs/keyvault.md §1): `maxresults` 1..25 (default 25); `nextLink` is an absolute URL
// on the request's own origin (keyvault-common 2.1.1 refuses a different origin) carrying the
// api-version, an opaque `$skiptoken` and the page size; it is null on the last page (SDK recordings).
import * as errors from './errors.js';
import { MAX_RESULTS_LIMIT } from '../common/limits.js';

export function parseMaxResults(raw: string | null): { size: number; explicit: boolean } {
  if (raw === null) return { size: MAX_RESULTS_LIMIT, explicit: false };
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS_LIMIT)
    throw errors.badParameter(
      `Invalid value '${raw}' for maxresults: it must be an integer between 1 and ${MAX_RESULTS_LIMIT}.`,
    );
  return { size: n, explicit: true };
}

/** The token names the last item served, like the service's {"NextMarker":…} (robust to concurrent inserts). */
export function encodeSkipToken(marker: string): string {
  return Buffer.from(JSON.stringify({ NextMarker: marker, TargetLocation: 0 })).toString('base64url');
}

export function decodeSkipToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { NextMarker?: unknown };
    if (typeof parsed.NextMarker === 'string') return parsed.NextMarker;
  } catch {
    // fall through
  }
  throw errors.badParameter('The $skiptoken parameter is invalid.');
}

/** One page of `items` (already in paging order) after the item whose key is `after`. */
export function takePage<T>(items: readonly T[], keyOf: (item: T) => string, after: string | undefined, size: number) {
  let start = 0;
  if (after !== undefined) {
    const i = items.findIndex((item) => keyOf(item) === after);
    // A marker that no longer exists (item deleted meanwhile): continue after the first larger key.
    start = i >= 0 ? i + 1 : items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return { page, nextMarker: more && page.length > 0 ? keyOf(page[page.length - 1]!) : undefined };
}

export function nextLink(
  origin: string,
  path: string,
  apiVersion: string,
  marker: string,
  size: number,
  explicitSize: boolean,
): string {
  const qs = `api-version=${encodeURIComponent(apiVersion)}&$skiptoken=${encodeSkipToken(marker)}${explicitSize ? `&maxresults=${size}` : ''}`;
  return `${origin}${path}?${qs}`;
}

// What every pushed version carries: content type, tags, expiry and activation, and the concurrency option.
import {
  CONCURRENCY,
  MAX_CONTENT_TYPE_CHARS,
  MAX_TAG_NAME_CHARS,
  MAX_TAG_VALUE_CHARS,
  MAX_TAGS_PER_SECRET,
  MAX_USER_TAGS,
  RESERVED_TAG_NAMES,
} from '../azure/limits.js';
import { displayName } from '../azure/names.js';
import { parseDuration, parseIsoInstant } from './time-inputs.js';
import type { PushRequest } from '../common/types.js';
import type { InputKey } from './inputs.js';

import type { Reader } from './input-reader.js';

// ── Secret properties ────────────────────────────────────────────────────────────────────────────────────────

function charCount(text: string): number {
  return [...text].length;
}

export function readContentType(r: Reader): string | undefined {
  const text = r.text('content-type');
  if (text !== undefined && charCount(text) > MAX_CONTENT_TYPE_CHARS) {
    r.problem('content-type', `is ${charCount(text)} characters; Key Vault takes at most ${MAX_CONTENT_TYPE_CHARS}`);
  }
  return text;
}

/** `key=value` items, one a line or comma separated. Built as a Map so that a key like "__proto__" stays a key. */
export function readTags(r: Reader): Record<string, string> {
  const label = r.label('tags');
  const tags = new Map<string, string>();
  const seen = new Set<string>();
  const reserved = new Set(RESERVED_TAG_NAMES.map((n) => n.toLowerCase()));
  for (const { line, text } of r.lines('tags')) {
    const where = `${label} line ${line}`;
    for (const item of text.split(',').map((t) => t.trim())) {
      if (item === '') continue;
      const eq = item.indexOf('=');
      if (eq < 0) {
        r.problems.push(`${where}: expected key=value`);
        continue;
      }
      const key = item.slice(0, eq).trim();
      const value = item.slice(eq + 1).trim();
      if (key === '') {
        r.problems.push(`${where}: a tag needs a name before '='`);
        continue;
      }
      const shown = displayName(key);
      if (reserved.has(key.toLowerCase())) {
        r.problems.push(`${where}: ${shown} is the ownership tag aml-vault-push sets itself; use another tag name`);
        continue;
      }
      if (seen.has(key.toLowerCase())) {
        r.problems.push(`${where}: tag ${shown} is given twice (tag names compare case-insensitively)`);
        continue;
      }
      seen.add(key.toLowerCase());
      if (charCount(key) > MAX_TAG_NAME_CHARS) {
        r.problems.push(
          `${where}: a tag name is ${charCount(key)} characters; Key Vault takes at most ${MAX_TAG_NAME_CHARS}`,
        );
      }
      if (charCount(value) > MAX_TAG_VALUE_CHARS) {
        r.problems.push(
          `${where}: the value of tag ${shown} is ${charCount(value)} characters; Key Vault takes at most ${MAX_TAG_VALUE_CHARS}`,
        );
      }
      tags.set(key, value);
    }
  }
  if (tags.size > MAX_USER_TAGS) {
    r.problem(
      'tags',
      `${tags.size} tags; at most ${MAX_USER_TAGS} (Key Vault takes ${MAX_TAGS_PER_SECRET} a secret and aml-vault-push adds ${MAX_TAGS_PER_SECRET - MAX_USER_TAGS} ownership tags)`,
    );
  }
  return Object.fromEntries(tags);
}

type Expiry = Pick<PushRequest, 'expiresOn' | 'expiresInMs' | 'notBefore'>;

/** JavaScript's Date range ends here (±8.64e15 ms); later instants cannot be sent. */
const MAX_DATE_MS = 8.64e15;

export function readExpiry(r: Reader, now: Date): Expiry {
  const expiresInText = r.text('expires-in');
  const expiresOnText = r.text('expires-on');
  const notBeforeText = r.text('not-before');
  if (expiresInText !== undefined && expiresOnText !== undefined) {
    r.problems.push(`set ${r.label('expires-in')} or ${r.label('expires-on')}, not both`);
  }

  let expiresInMs: number | undefined;
  if (expiresInText !== undefined) {
    expiresInMs = parseDuration(expiresInText);
    if (expiresInMs === undefined) {
      r.problem(
        'expires-in',
        `${displayName(expiresInText)} is not a duration; write a positive whole number and a unit m, h, d or w (e.g. 90d)`,
      );
    } else if (now.getTime() + expiresInMs > MAX_DATE_MS) {
      r.problem('expires-in', 'is too far in the future');
      expiresInMs = undefined;
    }
  }

  const expiresOn = expiresOnText === undefined ? undefined : readInstant(r, 'expires-on', expiresOnText);
  if (expiresOn !== undefined && expiresOn.getTime() <= now.getTime()) {
    r.problem('expires-on', `${expiresOn.toISOString()} is not in the future`);
  }
  const notBefore = notBeforeText === undefined ? undefined : readInstant(r, 'not-before', notBeforeText);
  if (notBefore !== undefined && expiresOn !== undefined && notBefore.getTime() >= expiresOn.getTime()) {
    r.problem('not-before', `must be earlier than ${r.label('expires-on')}`);
  }
  return {
    ...(expiresOn !== undefined && { expiresOn }),
    ...(expiresInMs !== undefined && { expiresInMs }),
    ...(notBefore !== undefined && { notBefore }),
  };
}

function readInstant(r: Reader, key: InputKey, text: string): Date | undefined {
  const parsed = parseIsoInstant(text);
  if (typeof parsed === 'string') {
    r.problem(key, `${displayName(text)} ${parsed}`);
    return undefined;
  }
  return parsed;
}

/** Limits on time: one call's timeout and the whole run's deadline, as `30s`, `5m`, `1h`. */
export const TIME_LIMITS = {
  'call-timeout': { minMs: 1_000, maxMs: 10 * 60_000, field: 'callTimeoutMs', range: '1 s to 10 min' },
  'run-deadline': { minMs: 60_000, maxMs: 6 * 3_600_000, field: 'runDeadlineMs', range: '1 min to 6 h' },
} as const;

export function readTimeLimits(r: Reader): { callTimeoutMs?: number; runDeadlineMs?: number } {
  const out: { callTimeoutMs?: number; runDeadlineMs?: number } = {};
  for (const [key, limit] of Object.entries(TIME_LIMITS) as [
    keyof typeof TIME_LIMITS,
    (typeof TIME_LIMITS)[keyof typeof TIME_LIMITS],
  ][]) {
    const text = r.text(key);
    if (text === undefined) continue;
    const ms = parseDuration(text, 'smh');
    if (ms === undefined || ms < limit.minMs || ms > limit.maxMs) {
      r.problem(
        key,
        `${displayName(text)} is not a duration from ${limit.range}; write a whole number and s, m or h (e.g. 30s, 15m)`,
      );
    } else out[limit.field] = ms;
  }
  return out;
}

export function readMaxConcurrency(r: Reader): number {
  const text = r.text('max-concurrency');
  if (text === undefined) return CONCURRENCY.default;
  const n = /^[0-9]{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= CONCURRENCY.min && n <= CONCURRENCY.max)) {
    r.problem(
      'max-concurrency',
      `${displayName(text)} is not a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max}`,
    );
    return CONCURRENCY.default;
  }
  return n;
}

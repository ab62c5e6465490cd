// Request validation: secret names in the URI and the JSON bodies of set / update / restore, against
// the limits in limits.ts. Failures are 400 BadParameter (invalid names use the service's exact text).
import * as errors from './errors.js';
import {
  MAX_CONTENT_TYPE_LENGTH,
  MAX_TAG_NAME_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS,
  MAX_VALUE_BYTES,
  SECRET_NAME_PATTERN,
} from '../common/limits.js';
import type { SetParams, UpdateParams } from './vault-store.js';

export function checkSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) throw errors.invalidName(name);
}

type Json = Record<string, unknown>;

export function parseSetBody(body: Json): SetParams {
  const { value } = body;
  if (typeof value !== 'string') throw errors.badParameter("The parameter 'value' is required and must be a string.");
  if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES)
    throw errors.badParameter(`The secret value exceeds the maximum allowed size of ${MAX_VALUE_BYTES} bytes.`);
  const attrs = parseAttributes(body.attributes);
  return {
    value,
    ...optional('contentType', parseContentType(body.contentType)),
    ...optional('tags', parseTags(body.tags)),
    ...optional('enabled', attrs.enabled),
    ...optional('nbf', attrs.nbf ?? undefined),
    ...optional('exp', attrs.exp ?? undefined),
  };
}

export function parseUpdateBody(body: Json): UpdateParams {
  const attrs = parseAttributes(body.attributes);
  return {
    ...optional('contentType', parseContentType(body.contentType)),
    ...optional('tags', parseTags(body.tags)),
    ...optional('enabled', attrs.enabled),
    ...optional('nbf', attrs.nbf),
    ...optional('exp', attrs.exp),
  };
}

export function parseRestoreBody(body: Json): string {
  if (typeof body.value !== 'string' || body.value === '')
    throw errors.badParameter("The parameter 'value' (the backup blob) is required.");
  return body.value;
}

function optional<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

function parseContentType(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.badParameter("The parameter 'contentType' must be a string.");
  if (v.length > MAX_CONTENT_TYPE_LENGTH)
    throw errors.badParameter(`The content type exceeds the maximum length of ${MAX_CONTENT_TYPE_LENGTH} characters.`);
  return v;
}

function parseTags(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw errors.badParameter("The parameter 'tags' must be an object of string values.");
  const entries = Object.entries(v as Json);
  if (entries.length > MAX_TAGS)
    throw errors.badParameter(`A secret can have at most ${MAX_TAGS} tags; ${entries.length} were given.`);
  for (const [name, value] of entries) {
    if (typeof value !== 'string')
      throw errors.badParameter(`The value of tag '${name.slice(0, 64)}' must be a string.`);
    if (name.length === 0 || name.length > MAX_TAG_NAME_LENGTH)
      throw errors.badParameter(`Tag names must be 1 to ${MAX_TAG_NAME_LENGTH} characters long.`);
    if (value.length > MAX_TAG_VALUE_LENGTH)
      throw errors.badParameter(`The value of tag '${name.slice(0, 64)}' exceeds ${MAX_TAG_VALUE_LENGTH} characters.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseAttributes(v: unknown): { enabled?: boolean; nbf?: number | null; exp?: number | null } {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw errors.badParameter("The parameter 'attributes' must be an object.");
  const a = v as Json;
  const out: { enabled?: boolean; nbf?: number | null; exp?: number | null } = {};
  if (a.enabled !== undefined && a.enabled !== null) {
    if (typeof a.enabled !== 'boolean') throw errors.badParameter("The attribute 'enabled' must be a boolean.");
    out.enabled = a.enabled;
  }
  for (const k of ['nbf', 'exp'] as const) {
    const t = a[k];
    if (t === undefined) continue;
    if (t !== null && (typeof t !== 'number' || !Number.isInteger(t) || t < 0))
      throw errors.badParameter(
        `The attribute '${k}' must be an integer number of seconds since 1970-01-01 (IntDate).`,
      );
    out[k] = t;
  }
  return out;
}

// Raw input strings → a validated PushRequest. Pure: the platform is reached only through ParseContext.
//
// Every problem is collected (nothing stops at the first), so a user fixes all of them in one go, and nothing is
// written while any is left. A problem names the input (by the platform's label) and the line or JSON key, and never
// contains a secret value: not the value, not a part of it, not the text of a malformed secrets-json. Parts of a
// `secrets` line that fail the syntax check are not echoed either: they may be a value pasted where a variable's name
// belongs; the line number says where to look.

import {
  CONCURRENCY,
  MAX_CONTENT_TYPE_CHARS,
  MAX_TAG_NAME_CHARS,
  MAX_TAG_VALUE_CHARS,
  MAX_TAGS_PER_SECRET,
  MAX_USER_TAGS,
  MAX_VALUE_BYTES,
  RESERVED_TAG_NAMES,
} from './limits.js';
import {
  DEFAULT_NAME_TRANSFORM,
  NAME_TRANSFORMS,
  SECRET_NAME_RULE,
  VAULT_NAME_RULE,
  displayName,
  isLiteralGlob,
  isValidSecretName,
  isValidVaultName,
  matchesGlob,
  nameKey,
  transformName,
  vaultUrlFromName,
} from './names.js';
import { describeJsonError } from './json-problem.js';
import { parseDuration, parseIsoInstant } from './time-inputs.js';
import { CLOUD_NAMES, CLOUDS, findCloud, withOverrides, type Cloud } from './clouds.js';
import {
  GUID_RULE,
  RESOURCE_GROUP_RULE,
  WORKSPACE_RULE,
  httpsBaseUrl,
  isGuid,
  isResourceGroup,
  isWorkspaceName,
} from './azure-ids.js';
import type {
  InputKey,
  NameTransform,
  OnDeleted,
  PushIntent,
  PushRequest,
  RawInputs,
  SecretSpec,
  Target,
} from './types.js';

export interface ParseContext {
  /** The platform's name of an input, e.g. 'secrets-json' (GitHub) or 'secretsJson' (Azure DevOps). */
  label(key: InputKey): string;
  /** A variable's value (GitHub: the step's environment; Azure DevOps: a pipeline variable), undefined when unset. */
  lookup(variable: string): string | undefined;
  /** 'environment variable' | 'pipeline variable', for messages. */
  variableKind: string;
}

export interface Parsed {
  /** Present only when there are no problems. */
  request?: PushIntent;
  /** Every secret value read, also those with problems: the caller masks them all before it reports anything. */
  values: string[];
  /** Every problem found, each naming its input and line or key, never a value. */
  problems: string[];
}

export function parseRequest(raw: RawInputs, ctx: ParseContext, now: Date = new Date()): Parsed {
  const r = new Reader(raw, ctx);

  // Options the secrets depend on come first.
  const transform = r.choice('name-transform', NAME_TRANSFORMS, DEFAULT_NAME_TRANSFORM);
  const allowEmpty = r.boolean('allow-empty');
  const adoptUnowned = r.boolean('adopt-unowned');
  const dryRun = r.boolean('dry-run');

  const secrets = readSecrets(r, transform, allowEmpty);
  const cloud = readCloud(r);
  const target = readTarget(r, cloud);
  const contentType = readContentType(r);
  const tags = readTags(r);
  const expiry = readExpiry(r, now);
  const onDeleted = r.choice<OnDeleted>('on-deleted', ['recover', 'fail', 'purge'], 'recover');
  const maxConcurrency = readMaxConcurrency(r);

  if (r.problems.length > 0 || target === undefined) return { values: r.values, problems: r.problems };
  const request: PushIntent = {
    target,
    cloud,
    secrets,
    ...(contentType !== undefined && { contentType }),
    tags,
    ...expiry,
    onDeleted,
    adoptUnowned,
    dryRun,
    maxConcurrency,
  };
  return { request, values: r.values, problems: [] };
}

/** Input access plus the problem and value lists every reader appends to. */
class Reader {
  readonly problems: string[] = [];
  readonly values: string[] = [];

  constructor(
    private readonly raw: RawInputs,
    readonly ctx: ParseContext,
  ) {}

  label(key: InputKey): string {
    return this.ctx.label(key);
  }

  problem(key: InputKey, message: string): void {
    this.problems.push(`${this.label(key)}: ${message}`);
  }

  /** The input as given, or undefined when it is unset or blank. */
  rawText(key: InputKey): string | undefined {
    const text = this.raw[key];
    return text === undefined || text.trim() === '' ? undefined : text;
  }

  /** The trimmed input, or undefined when it is unset or blank. */
  text(key: InputKey): string | undefined {
    return this.rawText(key)?.trim();
  }

  /** Numbered lines of a list input; blank lines and lines starting with '#' are left out. */
  lines(key: InputKey): { line: number; text: string }[] {
    const text = this.rawText(key);
    if (text === undefined) return [];
    return text
      .split(/\r\n|\r|\n/)
      .map((t, i) => ({ line: i + 1, text: t.trim() }))
      .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  }

  /** true/false in any letter case (a superset of GitHub's getBooleanInput); unset means false. */
  boolean(key: InputKey): boolean {
    const text = this.text(key);
    if (text === undefined) return false;
    if (/^true$/i.test(text)) return true;
    if (!/^false$/i.test(text)) this.problem(key, `${displayName(text)} is not a boolean; use true or false`);
    return false;
  }

  /** One of a fixed set, in any letter case; a bad value is a problem and yields the default. */
  choice<T extends string>(key: InputKey, allowed: readonly T[], fallback: T): T {
    const text = this.text(key);
    if (text === undefined) return fallback;
    const found = allowed.find((a) => a === text.toLowerCase());
    if (found === undefined) this.problem(key, `${displayName(text)} is not one of ${allowed.join(', ')}`);
    return found ?? fallback;
  }
}

// ── Secrets ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A variable's name: what `secrets` lines refer to. Dots are allowed because Azure DevOps variables use them. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function readSecrets(r: Reader, transform: NameTransform, allowEmpty: boolean): SecretSpec[] {
  const fromLines = readSecretLines(r, transform, allowEmpty);
  const fromJson = readSecretsJson(r, transform, allowEmpty);
  const all = [...fromLines.secrets, ...fromJson.secrets];
  reportCollisions(r, all);

  if (fromLines.entries + fromJson.entries === 0 && !fromJson.unreadable) {
    const filtered =
      fromJson.keys > 0
        ? ` (${r.label('include')}/${r.label('exclude')} left none of the ${fromJson.keys} keys of ${r.label('secrets-json')})`
        : '';
    r.problems.push(
      `no secrets to push${filtered}: set ${r.label('secrets')} (one VARIABLE or vault-secret-name=VARIABLE a line) or ${r.label('secrets-json')}`,
    );
  }
  return all;
}

interface SecretsRead {
  secrets: SecretSpec[];
  /** Lines or keys that asked for a secret, problems or not: tells "nothing asked for" from "everything wrong". */
  entries: number;
}

function readSecretLines(r: Reader, transform: NameTransform, allowEmpty: boolean): SecretsRead {
  const label = r.label('secrets');
  const secrets: SecretSpec[] = [];
  const lines = r.lines('secrets');
  for (const { line, text } of lines) {
    const where = `${label} line ${line}`;
    const eq = text.indexOf('=');
    const explicitName = eq >= 0 ? text.slice(0, eq).trim() : undefined;
    const variable = eq >= 0 ? text.slice(eq + 1).trim() : text;

    let ok = true;
    if (explicitName === '') {
      r.problems.push(`${where}: nothing before '='; write vault-secret-name=VARIABLE or just VARIABLE`);
      ok = false;
    } else if (explicitName !== undefined && !isValidSecretName(explicitName)) {
      r.problems.push(`${where}: the name before '=' is not a valid Key Vault secret name (${SECRET_NAME_RULE})`);
      ok = false;
    }
    if (!VARIABLE_NAME.test(variable)) {
      const part = eq >= 0 ? `the part after '='` : 'the line';
      r.problems.push(
        `${where}: ${part} is not a valid ${r.ctx.variableKind} name (a letter or _, then letters, digits, _ or .); write the variable's name, never its value`,
      );
      continue;
    }

    const origin = `${where} (${variable})`;
    const name = explicitName ?? transformName(variable, transform);
    if (explicitName === undefined && !isValidSecretName(name)) {
      r.problems.push(
        `${origin}: the derived name ${displayName(name)} is not a valid Key Vault secret name (${SECRET_NAME_RULE}); write NAME=${variable} to choose one`,
      );
      ok = false;
    }
    const value = r.ctx.lookup(variable);
    if (value === undefined) {
      r.problems.push(`${origin}: ${r.ctx.variableKind} ${variable} is not set`);
      continue;
    }
    r.values.push(value);
    ok = checkValue(r, origin, `${r.ctx.variableKind} ${variable}`, value, allowEmpty) && ok;
    if (ok) secrets.push({ name, value, origin });
  }
  return { secrets, entries: lines.length };
}

interface JsonRead extends SecretsRead {
  /** Keys in the object before include/exclude. */
  keys: number;
  /** The input was set but could not be read as an object: the "no secrets" problem would only repeat that. */
  unreadable: boolean;
}

function readSecretsJson(r: Reader, transform: NameTransform, allowEmpty: boolean): JsonRead {
  const key: InputKey = 'secrets-json';
  const text = r.rawText(key);
  const include = readGlobs(r, 'include');
  const exclude = readGlobs(r, 'exclude');
  const none: JsonRead = { secrets: [], entries: 0, keys: 0, unreadable: text !== undefined };
  if (text === undefined) {
    for (const filter of ['include', 'exclude'] as const) {
      if (r.text(filter) !== undefined) r.problem(filter, `applies to the keys of ${r.label(key)}, which is not set`);
    }
    return none;
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never JSON.parse's message: V8 quotes the text around the error, and the text holds secret values.
    r.problem(key, `is not valid JSON: ${describeJsonError(text)} (the text is not shown: it holds secret values)`);
    return none;
  }
  r.values.push(...jsonStrings(parsed));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    r.problem(key, `must be a JSON object of secret name to string value, not ${jsonKind(parsed)}`);
    return none;
  }

  const label = r.label(key);
  const secrets: SecretSpec[] = [];
  const entries = Object.entries(parsed).filter(([k]) => isSelected(k, include, exclude));
  for (const [jsonKey, value] of entries) {
    const origin = `${label} key ${displayName(jsonKey)}`;
    if (typeof value !== 'string') {
      r.problems.push(`${origin}: the value must be a string, not ${jsonKind(value)}`);
      continue;
    }
    const name = transformName(jsonKey, transform);
    let ok = true;
    if (!isValidSecretName(name)) {
      r.problems.push(
        `${origin}: the derived name ${displayName(name)} is not a valid Key Vault secret name (${SECRET_NAME_RULE}); exclude the key or rename it`,
      );
      ok = false;
    }
    ok = checkValue(r, origin, 'the value', value, allowEmpty) && ok;
    if (ok) secrets.push({ name, value, origin });
  }
  return { secrets, entries: entries.length, keys: Object.keys(parsed).length, unreadable: false };
}

/** Problems of a value (never the value itself): empty without allow-empty, or over the size limit. */
function checkValue(r: Reader, origin: string, what: string, value: string, allowEmpty: boolean): boolean {
  if (value === '' && !allowEmpty) {
    r.problems.push(
      `${origin}: ${what} is empty; a misspelled secret expands to an empty string — set ${r.label('allow-empty')}: true if intended`,
    );
    return false;
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_VALUE_BYTES) {
    r.problems.push(`${origin}: ${what} is over 25 KB (${bytes} bytes; Key Vault takes at most ${MAX_VALUE_BYTES})`);
    return false;
  }
  return true;
}

function reportCollisions(r: Reader, secrets: SecretSpec[]): void {
  const first = new Map<string, SecretSpec>();
  for (const secret of secrets) {
    const earlier = first.get(nameKey(secret.name));
    if (earlier === undefined) {
      first.set(nameKey(secret.name), secret);
      continue;
    }
    const names = earlier.name === secret.name ? secret.name : `${earlier.name} / ${secret.name}`;
    r.problems.push(
      `${earlier.origin} and ${secret.origin} both become the secret ${names} (Key Vault names ignore case); give one another name`,
    );
  }
}

/** The GitHub token is in `toJSON(secrets)` but is short-lived and not the user's secret: skipped unless named. */
const GITHUB_TOKEN_KEY = 'github_token';

function isSelected(key: string, include: string[], exclude: string[]): boolean {
  if (
    key.toLowerCase() === GITHUB_TOKEN_KEY &&
    !include.some((p) => isLiteralGlob(p) && p.toLowerCase() === GITHUB_TOKEN_KEY)
  ) {
    return false;
  }
  if (include.length > 0 && !include.some((p) => matchesGlob(key, p))) return false;
  return !exclude.some((p) => matchesGlob(key, p));
}

/** Glob lists: newline or comma separated. */
function readGlobs(r: Reader, key: 'include' | 'exclude'): string[] {
  return r
    .lines(key)
    .flatMap((l) => l.text.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Every string and number inside a JSON value, for masking: a value with a problem is still a secret. */
function jsonStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(jsonStrings);
  return [];
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// ── Target ───────────────────────────────────────────────────────────────────────────────────────────────────

const TARGET_KEYS = ['vault-url', 'vault-name', 'workspace-name'] as const;

/** Exactly one of vault-url, vault-name or workspace-name (with its resource group and subscription). */
function readTarget(r: Reader, cloud: Cloud): Target | undefined {
  const given = TARGET_KEYS.filter((k) => r.text(k) !== undefined);
  if (given.length > 1) {
    r.problems.push(
      `set one of ${TARGET_KEYS.map((k) => r.label(k)).join(', ')}, not ${given.map((k) => r.label(k)).join(' and ')}`,
    );
  } else if (given.length === 0) {
    r.problems.push(
      `no target: set ${r.label('workspace-name')} (with ${r.label('resource-group')} and ${r.label('subscription-id')}), ` +
        `${r.label('vault-name')}, or ${r.label('vault-url')} (https://NAME.${cloud.vaultDnsSuffix})`,
    );
  }
  const url = r.text('vault-url');
  const name = r.text('vault-name');
  const fromUrl = url === undefined ? undefined : readVaultUrl(r, url);
  const fromName = name === undefined ? undefined : readVaultName(r, name, cloud);
  const workspace = readWorkspace(r, given.includes('workspace-name'));
  if (given.length !== 1) return undefined;
  if (workspace) return workspace;
  const vaultUrl = fromUrl ?? fromName;
  return vaultUrl === undefined ? undefined : { kind: 'vault', vaultUrl };
}

/** The workspace and where it lives; resource-group and subscription-id only make sense with it. */
function readWorkspace(r: Reader, wanted: boolean): Target | undefined {
  const workspaceName = r.text('workspace-name');
  const resourceGroup = r.text('resource-group');
  const subscriptionId = r.text('subscription-id');
  if (!wanted) {
    for (const key of ['resource-group', 'subscription-id'] as const) {
      if (r.text(key) !== undefined) r.problem(key, `is used only with ${r.label('workspace-name')}`);
    }
    return undefined;
  }
  let ok = true;
  if (workspaceName !== undefined && !isWorkspaceName(workspaceName)) {
    r.problem(
      'workspace-name',
      `${displayName(workspaceName)} is not a valid Azure ML workspace name (${WORKSPACE_RULE})`,
    );
    ok = false;
  }
  if (resourceGroup === undefined) {
    r.problem('resource-group', `is required with ${r.label('workspace-name')}`);
    ok = false;
  } else if (!isResourceGroup(resourceGroup)) {
    r.problem(
      'resource-group',
      `${displayName(resourceGroup)} is not a valid resource group name (${RESOURCE_GROUP_RULE})`,
    );
    ok = false;
  }
  if (subscriptionId === undefined) {
    r.problem('subscription-id', `is required with ${r.label('workspace-name')}`);
    ok = false;
  } else if (!isGuid(subscriptionId)) {
    r.problem('subscription-id', `${displayName(subscriptionId)} is not a subscription id (${GUID_RULE})`);
    ok = false;
  }
  if (!ok || workspaceName === undefined || resourceGroup === undefined || subscriptionId === undefined)
    return undefined;
  return { kind: 'workspace', workspaceName, resourceGroup, subscriptionId: subscriptionId.toLowerCase() };
}

/** The cloud (default AzureCloud) with its endpoints, as overridden by resource-manager-endpoint / authority-host. */
function readCloud(r: Reader): Cloud {
  const name = r.text('cloud');
  let cloud = CLOUDS.AzureCloud;
  if (name !== undefined) {
    const found = findCloud(name);
    if (found) cloud = found;
    else r.problem('cloud', `${displayName(name)} is not one of ${CLOUD_NAMES.join(', ')}`);
  }
  const overrides: { resourceManager?: string; authorityHost?: string } = {};
  for (const [key, field] of [
    ['resource-manager-endpoint', 'resourceManager'],
    ['authority-host', 'authorityHost'],
  ] as const) {
    const text = r.text(key);
    if (text === undefined) continue;
    const checked = httpsBaseUrl(text);
    if ('problem' in checked) r.problem(key, checked.problem);
    else overrides[field] = checked.url;
  }
  return withOverrides(cloud, overrides);
}

function readVaultUrl(r: Reader, text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    r.problem('vault-url', 'is not a URL; expected https://NAME.vault.azure.net');
    return undefined;
  }
  // Not shown back: a URL with credentials in it is itself a secret.
  if (url.username !== '' || url.password !== '') {
    r.problem('vault-url', 'must not contain a user name or password');
    return undefined;
  }
  let ok = true;
  if (url.protocol !== 'https:') {
    r.problem('vault-url', `must start with https:// (Key Vault is reached over TLS only), not ${url.protocol}//`);
    ok = false;
  }
  if ((url.pathname !== '/' && url.pathname !== '') || /[?#]/.test(text)) {
    r.problem('vault-url', `must be the vault's base URL (https://host[:port]), without a path, query or fragment`);
    ok = false;
  }
  return ok ? url.origin : undefined;
}

function readVaultName(r: Reader, name: string, cloud: Cloud): string | undefined {
  if (isValidVaultName(name)) return vaultUrlFromName(name, cloud.vaultDnsSuffix);
  r.problem('vault-name', `${displayName(name)} is not a valid vault name (${VAULT_NAME_RULE})`);
  return undefined;
}

// ── Secret properties ────────────────────────────────────────────────────────────────────────────────────────

function charCount(text: string): number {
  return [...text].length;
}

function readContentType(r: Reader): string | undefined {
  const text = r.text('content-type');
  if (text !== undefined && charCount(text) > MAX_CONTENT_TYPE_CHARS) {
    r.problem('content-type', `is ${charCount(text)} characters; Key Vault takes at most ${MAX_CONTENT_TYPE_CHARS}`);
  }
  return text;
}

/** `key=value` items, one a line or comma separated. Built as a Map so that a key like "__proto__" stays a key. */
function readTags(r: Reader): Record<string, string> {
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

function readExpiry(r: Reader, now: Date): Expiry {
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

function readMaxConcurrency(r: Reader): number {
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

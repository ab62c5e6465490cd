// The secrets to push, from `secrets` lines and `secrets-json`: names derived or given, values looked up, checked
// against Key Vault's limits. A problem never contains a value, nor a part of a line that could be one.
import { MAX_VALUE_BYTES } from '../azure/limits.js';
import {
  SECRET_NAME_RULE,
  displayName,
  isLiteralGlob,
  isValidSecretName,
  matchesGlob,
  nameKey,
  transformName,
} from '../azure/names.js';
import { describeJsonError } from '../common/json-problem.js';
import type { NameTransform, SecretSpec } from '../common/types.js';
import { setting, type InputKey } from './inputs.js';

import type { GivenName, GivenSecret, Reader } from './input-reader.js';
import { didYouMean, suggestVariable } from './variable-suggestion.js';

// ── Secrets ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A variable's name: what `secrets` lines refer to. Dots are allowed because Azure DevOps variables use them. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** `noneSuffix` is appended to the "no secrets" problem (prune explains why it refuses). */
export function readSecrets(r: Reader, transform: NameTransform, allowEmpty: boolean, noneSuffix = ''): SecretSpec[] {
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
      `no secrets to push${filtered}: set ${r.label('secrets')} (one VARIABLE or vault-secret-name=VARIABLE a line) or ${r.label('secrets-json')}${noneSuffix}`,
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
    const part = eq >= 0 ? `the part after '='` : 'the line';
    if (!VARIABLE_NAME.test(variable)) {
      r.problems.push(
        `${where}: ${part} is not a valid ${r.ctx.variableKind} name (a letter or _, then letters, digits, _ or .); write the variable's name, never its value`,
      );
      continue;
    }
    // A variable the platform knows by name but has no value of is empty: the Azure DevOps agent passes an empty
    // secret variable as no value at all.
    const value = r.ctx.lookup(variable) ?? (r.ctx.variableNames().includes(variable) ? '' : undefined);
    if (value === undefined) {
      // Name-shaped text may still be a value (hf_…, hunter2): not shown, nor a name derived from it.
      if (ok && explicitName !== undefined) r.names.push(explicitName);
      r.problems.push(`${where}: ${unsetVariable(r, variable, part)}`);
      continue;
    }

    // The variable is set: the text is its name, and may be shown.
    const origin = `${where} (${variable})`;
    const name = explicitName ?? transformName(variable, transform);
    if (isValidSecretName(name)) r.names.push(name);
    if (explicitName === undefined && !isValidSecretName(name)) {
      r.problems.push(
        `${origin}: the derived name ${displayName(name)} is not a valid Key Vault secret name (${SECRET_NAME_RULE}); write NAME=${variable} to choose one`,
      );
      ok = false;
    }
    r.values.push(value);
    ok = checkValue(r, origin, `${r.ctx.variableKind} ${variable}`, value, allowEmpty) && ok;
    if (ok) secrets.push({ name, value, origin });
  }
  return { secrets, entries: lines.length };
}

/** A variable that is not set, without its name (it may be a value): the closest set name, if any, instead. */
function unsetVariable(r: Reader, written: string, part: string): string {
  const suggestion = suggestVariable(written, r.ctx.variableNames(), r.ctx.lookup);
  const fix = suggestion === undefined ? `; write the name of a variable that is set, never its value` : '';
  return `no ${r.ctx.variableKind} of that name is set (${part} is not shown, in case it is a value)${didYouMean(suggestion)}${fix}`;
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
  // Numbered in the object as written, before include/exclude.
  const entries = Object.entries(parsed)
    .map(([k, v], index) => ({ jsonKey: k, value: v as unknown, index }))
    .filter(({ jsonKey }) => isSelected(jsonKey, include, exclude));
  for (const { jsonKey, value, index } of entries) {
    const name = transformName(jsonKey, transform);
    const valid = isValidSecretName(name);
    // A key that is no secret name may be a value written where the name belongs: named by its position instead.
    const origin = valid
      ? `${label} key ${jsonKey}`
      : `${label}, key number ${index + 1} (not shown, in case it is a value)`;
    if (typeof value !== 'string') {
      r.problems.push(`${origin}: the value must be a string, not ${jsonKind(value)}`);
      continue;
    }
    if (valid) r.names.push(name);
    let ok = true;
    if (!valid) {
      r.problems.push(
        `${origin}: it is not a valid Key Vault secret name (${SECRET_NAME_RULE}); exclude the key or rename it`,
      );
      ok = false;
    }
    ok = checkValue(r, origin, 'the value', value, allowEmpty) && ok;
    if (ok) secrets.push({ name, value, origin });
  }
  return { secrets, entries: entries.length, keys: Object.keys(parsed).length, unreadable: false };
}

/** One secret the platform read itself (the CLI's `set NAME`): its name checked like every name, its value like every value. */
export function readGivenSecret(r: Reader, given: GivenSecret | GivenName, allowEmpty: boolean): SecretSpec[] {
  const valid = isValidSecretName(given.name);
  if (valid) r.names.push(given.name);
  // Not shown: a value typed where the name belongs must not be echoed.
  else r.problems.push(`NAME: not a valid Key Vault secret name (${SECRET_NAME_RULE}); it is not shown`);
  if (!('value' in given)) return [];
  if (given.problem !== undefined) {
    r.problems.push(given.problem);
    return [];
  }
  r.values.push(given.value);
  const origin = `${valid ? given.name : 'NAME'} (${given.from})`;
  const ok = checkValue(r, origin, 'the value', given.value, allowEmpty) && valid;
  return ok ? [{ name: given.name, value: given.value, origin }] : [];
}

/** Problems of a value (never the value itself): empty without allow-empty, or over the size limit. */
function checkValue(r: Reader, origin: string, what: string, value: string, allowEmpty: boolean): boolean {
  if (value === '' && !allowEmpty) {
    r.problems.push(
      `${origin}: ${what} is empty; a misspelled secret expands to an empty string; to push it anyway: ${setting((k) => r.label(k), 'allow-empty', 'true')}`,
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

// Names: how a variable or JSON key becomes a Key Vault secret name, what the service accepts, how names compare,
// and how an untrusted name is shown in a message. Source for the rules: learn.microsoft.com
// azure/key-vault/general/about-keys-secrets-certificates ("Object identifiers", "Vault name and Object name").

import type { NameTransform } from '../common/types.js';

export const NAME_TRANSFORMS: readonly NameTransform[] = ['dashes', 'kebab', 'none'];
export const DEFAULT_NAME_TRANSFORM: NameTransform = 'dashes';

/** Secret (object) names: 1–127 of 0-9 a-z A-Z and '-'. The service accepts a leading digit or dash. */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
export const SECRET_NAME_RULE = '1–127 characters of 0-9, a-z, A-Z and -';

/** Vault names: 3–24 characters, letters, digits and '-', starting with a letter, ending with a letter or digit, no '--'. */
const VAULT_NAME = /^[a-zA-Z](?:[a-zA-Z0-9-]{1,22})[a-zA-Z0-9]$/;
export const VAULT_NAME_RULE =
  '3–24 characters of letters, digits and -, starting with a letter, ending with a letter or digit, no --';

/** Variable and secret names use '_', which Key Vault refuses; the transforms map them onto '-'. */
export function transformName(source: string, transform: NameTransform): string {
  switch (transform) {
    case 'dashes':
      return source.replaceAll('_', '-');
    case 'kebab':
      return source.replaceAll('_', '-').toLowerCase();
    case 'none':
      return source;
  }
}

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function isValidVaultName(name: string): boolean {
  return VAULT_NAME.test(name) && !name.includes('--');
}

export function vaultUrlFromName(vaultName: string, dnsSuffix: string): string {
  return `https://${vaultName.toLowerCase()}.${dnsSuffix}`;
}

/** Key Vault compares names case-insensitively, so "Db-Password" and "DB-PASSWORD" are the same secret. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Matches a glob with `*` (any run of characters, also none) and `?` (exactly one character), case-insensitively.
 * Every other character is literal. That is all that include/exclude patterns over secret names need.
 */
export function matchesGlob(text: string, pattern: string): boolean {
  const source = pattern.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${source}$`, 'isu').test(text);
}

/** True when the pattern has no wildcard, i.e. names exactly one key. */
export function isLiteralGlob(pattern: string): boolean {
  return !/[*?]/.test(pattern);
}

const PLAIN_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_SHOWN_CHARS = 64;

/**
 * Shows a name (a JSON key, a tag key: text from the pipeline's own definition, never a secret value) in a message.
 * Plain names appear as they are; anything else as a JSON string literal, cut to 64 characters, with '#' written as
 * \u0023 so that a name containing "##vso[" cannot become an Azure DevOps logging command when the message is printed
 * (the agent finds "##vso[" anywhere in a line), and with newlines escaped so it cannot start a GitHub "::" command.
 */
export function displayName(text: string): string {
  if (PLAIN_NAME.test(text)) return text;
  const chars = [...text];
  const shown = chars.length > MAX_SHOWN_CHARS ? `${chars.slice(0, MAX_SHOWN_CHARS).join('')}…` : text;
  return JSON.stringify(shown).replaceAll('#', '\\u0023');
}

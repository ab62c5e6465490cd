import {
  displayName,
  isLiteralGlob,
  isValidSecretName,
  isValidVaultName,
  matchesGlob,
  nameKey,
  transformName,
  vaultUrlFromName,
} from '../../../src/core/azure/names.js';
import type { NameTransform } from '../../../src/core/common/types.js';

describe('transformName', () => {
  it.each<[string, NameTransform, string]>([
    ['DB_PASSWORD', 'dashes', 'DB-PASSWORD'],
    ['DB_PASSWORD', 'kebab', 'db-password'],
    ['DB_PASSWORD', 'none', 'DB_PASSWORD'],
    ['__A__B', 'dashes', '--A--B'],
    ['Mixed_Case-Name', 'dashes', 'Mixed-Case-Name'],
    ['Mixed_Case-Name', 'kebab', 'mixed-case-name'],
    ['already-fine', 'dashes', 'already-fine'],
    ['MY.VAR', 'dashes', 'MY.VAR'],
  ])('%s with %s → %s', (source, transform, expected) => {
    expect(transformName(source, transform)).toBe(expected);
  });
});

describe('isValidSecretName', () => {
  it.each([
    ['a', true],
    ['DB-PASSWORD', true],
    ['0', true],
    ['-leading-dash', true],
    ['x'.repeat(127), true],
    ['', false],
    ['x'.repeat(128), false],
    ['DB_PASSWORD', false],
    ['my.var', false],
    ['has space', false],
    ['pässword', false],
    ['a/b', false],
  ])('%j → %s', (name, valid) => {
    expect(isValidSecretName(name)).toBe(valid);
  });
});

describe('isValidVaultName', () => {
  it.each([
    ['kv1', true],
    ['My-Vault-01', true],
    ['a'.repeat(24), true],
    ['ab', false],
    ['a'.repeat(25), false],
    ['1vault', false],
    ['-vault', false],
    ['vault-', false],
    ['my--vault', false],
    ['my_vault', false],
    ['my.vault', false],
  ])('%j → %s', (name, valid) => {
    expect(isValidVaultName(name)).toBe(valid);
  });
});

describe('vaultUrlFromName', () => {
  it.each([
    ['kv1', 'vault.azure.net', 'https://kv1.vault.azure.net'],
    ['My-Vault', 'vault.azure.net', 'https://my-vault.vault.azure.net'],
    ['kv1', 'vault.azure.cn', 'https://kv1.vault.azure.cn'],
  ])('%s (%s) → %s', (name, suffix, expected) => {
    expect(vaultUrlFromName(name, suffix)).toBe(expected);
  });
});

describe('nameKey', () => {
  it.each([
    ['DB-PASSWORD', 'db-password', true],
    ['Db-Password', 'DB-PASSWORD', true],
    ['DB-PASSWORD', 'DB-PASSWORD2', false],
  ])('%s vs %s → same: %s', (a, b, same) => {
    expect(nameKey(a) === nameKey(b)).toBe(same);
  });
});

describe('matchesGlob', () => {
  it.each([
    ['DB_PASSWORD', 'DB_PASSWORD', true],
    ['DB_PASSWORD', 'db_password', true],
    ['DB_PASSWORD', 'DB_*', true],
    ['DB_PASSWORD', 'db_*', true],
    ['DB_PASSWORD', '*', true],
    ['', '*', true],
    ['DB_PASSWORD', '*PASS*', true],
    ['DB_PASSWORD', 'DB_PASSWOR?', true],
    ['DB_PASSWORD', 'DB_PASSWO?', false],
    ['DB_PASSWORD', '?B_*', true],
    ['DB_PASSWORD', 'DB', false],
    ['DB_PASSWORD', 'PASSWORD', false],
    ['XDB_PASSWORD', 'DB_*', false],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false],
    ['a+b', 'a+b', true],
    ['a(b)[c]{d}|e^f$g\\h/i', 'a(b)[c]{d}|e^f$g\\h/i', true],
    ['a-b', 'a-b', true],
    ['秘密_KEY', '??_*', true],
    ['🔑', '?', true],
    ['line\nbreak', 'line*', true],
  ])('%j against %j → %s', (text, pattern, expected) => {
    expect(matchesGlob(text, pattern)).toBe(expected);
  });
});

describe('isLiteralGlob', () => {
  it.each([
    ['github_token', true],
    ['GITHUB_TOKEN', true],
    ['github_*', false],
    ['github_toke?', false],
  ])('%s → %s', (pattern, literal) => {
    expect(isLiteralGlob(pattern)).toBe(literal);
  });
});

describe('displayName', () => {
  it.each([
    ['DB_PASSWORD', 'DB_PASSWORD'],
    ['db-password.v2', 'db-password.v2'],
    ['has space', '"has space"'],
    ['', '""'],
    ['a"b', '"a\\"b"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['x##vso[task.complete result=Succeeded]', '"x\\u0023\\u0023vso[task.complete result=Succeeded]"'],
    ['::error::x', '"::error::x"'],
    ['k'.repeat(70) + '!', `"${'k'.repeat(64)}…"`],
  ])('%j → %s', (text, shown) => {
    expect(displayName(text)).toBe(shown);
  });

  it.each([['##vso[x]'], ['a\n::add-mask::b'], ['a\r##vso[']])('cannot start a logging command: %j', (text) => {
    const shown = displayName(text);
    expect(shown).not.toContain('##vso[');
    expect(shown).not.toMatch(/[\r\n]/);
  });
});

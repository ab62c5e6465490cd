// The injection references: built from the vault URL as Resource Manager gives it (host lower-cased), found in a
// deployment's environment variable text (Key Vault, connections, anything else), and the current version of each
// outcome (written or unchanged; none for a failure or a planned write).
import {
  currentVersion,
  findReferences,
  keyVaultReference,
  referencesOf,
} from '../../../src/core/azure/injection-reference.js';
import type { SecretOutcome } from '../../../src/core/common/types.js';

const V1 = '0123456789abcdef0123456789abcdef';

it.each([
  [
    'https://KV-Train.vault.azure.net',
    'DB-PASSWORD',
    `\${{keyvault:https://kv-train.vault.azure.net/secrets/DB-PASSWORD/${V1}}}`,
  ],
  ['https://kv.vault.azure.net/', 'a', `\${{keyvault:https://kv.vault.azure.net/secrets/a/${V1}}}`],
  ['https://kv.vault.usgovcloudapi.net:443', 'a', `\${{keyvault:https://kv.vault.usgovcloudapi.net/secrets/a/${V1}}}`],
  ['https://localhost:41231', 'a', `\${{keyvault:https://localhost:41231/secrets/a/${V1}}}`],
])('keyVaultReference(%s, %s)', (url, name, ref) => {
  expect(keyVaultReference(url, name, V1)).toBe(ref);
});

it.each<[string, string, ReturnType<typeof findReferences>]>([
  [
    'a whole reference',
    `\${{keyvault:https://KV.vault.azure.net/secrets/db/${V1}}}`,
    [
      {
        kind: 'keyvault',
        origin: 'https://kv.vault.azure.net',
        secret: 'db',
        version: V1,
        text: `\${{keyvault:https://KV.vault.azure.net/secrets/db/${V1}}}`,
      },
    ],
  ],
  [
    'no version',
    '${{keyvault:https://kv.vault.azure.net/secrets/db}}',
    [
      {
        kind: 'keyvault',
        origin: 'https://kv.vault.azure.net',
        secret: 'db',
        text: '${{keyvault:https://kv.vault.azure.net/secrets/db}}',
      },
    ],
  ],
  [
    'two in one value, with spaces inside the braces',
    `x=\${{ keyvault:https://kv.vault.azure.net/secrets/a/${V1} }};y=\${{azureml://connections/c/credentials/key}}`,
    [
      {
        kind: 'keyvault',
        origin: 'https://kv.vault.azure.net',
        secret: 'a',
        version: V1,
        text: `\${{ keyvault:https://kv.vault.azure.net/secrets/a/${V1} }}`,
      },
      { kind: 'connection', text: '${{azureml://connections/c/credentials/key}}' },
    ],
  ],
  ['plain text', 'hunter2', []],
  [
    'http is not a vault reference',
    '${{keyvault:http://kv.vault.azure.net/secrets/a}}',
    [{ kind: 'other', text: '${{keyvault:http://kv.vault.azure.net/secrets/a}}' }],
  ],
  [
    'a secret name Key Vault refuses',
    '${{keyvault:https://kv.vault.azure.net/secrets/a_b}}',
    [{ kind: 'other', text: '${{keyvault:https://kv.vault.azure.net/secrets/a_b}}' }],
  ],
])('findReferences: %s', (_, text, found) => {
  expect(findReferences(text)).toEqual(found);
});

const outcome = (o: Partial<SecretOutcome>): SecretOutcome => ({
  name: 'n',
  origin: 'secrets line 1',
  action: 'create',
  reason: '',
  status: 'done',
  ...o,
});

it.each<[string, Partial<SecretOutcome>, string | undefined]>([
  ['created', { action: 'create', version: 'v2' }, 'v2'],
  ['updated', { action: 'update', version: 'v2' }, 'v2'],
  ['recovered', { action: 'recover', version: 'v2' }, 'v2'],
  ['unchanged', { action: 'unchanged', currentVersion: 'v1' }, 'v1'],
  ['unchanged in a dry run', { action: 'unchanged', status: 'planned', currentVersion: 'v1' }, 'v1'],
  ['a planned write', { action: 'update', status: 'planned' }, undefined],
  ['failed', { action: 'update', status: 'failed', version: 'v2' }, undefined],
  ['blocked', { action: 'blocked', status: 'failed' }, undefined],
])('currentVersion of %s', (_, o, version) => {
  expect(currentVersion(outcome(o))).toBe(version);
});

it('referencesOf: one per secret written or unchanged, keyed by name', () => {
  expect(
    referencesOf('https://KV.vault.azure.net', [
      outcome({ name: 'a', version: 'v2' }),
      outcome({ name: '__proto__', action: 'unchanged', currentVersion: 'v1' }),
      outcome({ name: 'c', status: 'failed' }),
    ]),
  ).toEqual({
    a: '${{keyvault:https://kv.vault.azure.net/secrets/a/v2}}',
    ['__proto__']: '${{keyvault:https://kv.vault.azure.net/secrets/__proto__/v1}}',
  });
});

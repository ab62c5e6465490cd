// The target: vault URL, vault name or workspace, and the cloud.
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import { NOW, azdoContext, expectProblems, githubContext, requestOf } from '../../helpers/parse.js';

describe('parseRequest: target', () => {
  it.each<[string, RawInputs, string]>([
    [
      'a vault URL with a trailing slash',
      { 'vault-url': 'https://kv1.vault.azure.net/' },
      'https://kv1.vault.azure.net',
    ],
    ['an upper-case host', { 'vault-url': 'https://KV1.Vault.Azure.Net' }, 'https://kv1.vault.azure.net'],
    ['the default port', { 'vault-url': 'https://kv1.vault.azure.net:443/' }, 'https://kv1.vault.azure.net'],
    ['a local emulator with a port', { 'vault-url': 'https://localhost:8443/' }, 'https://localhost:8443'],
    ['a loopback IPv4 address', { 'vault-url': 'https://127.0.0.1:8443' }, 'https://127.0.0.1:8443'],
    ['a loopback IPv6 address', { 'vault-url': 'https://[::1]:8443' }, 'https://[::1]:8443'],
    ['surrounding whitespace', { 'vault-url': '  https://kv1.vault.azure.net \n' }, 'https://kv1.vault.azure.net'],
    ['a vault name', { 'vault-name': 'My-Vault1' }, 'https://my-vault1.vault.azure.net'],
  ])('%s', (_title, raw, vaultUrl) => {
    const request = requestOf(parseRequest({ secrets: 'A', ...raw }, githubContext({ A: 'v' }), NOW));
    expect(request.targets[0]?.target).toEqual({ kind: 'vault', vaultUrl });
  });

  it.each<[string, RawInputs, string[]]>([
    [
      'neither',
      {},
      [
        'no target: set workspace-name (with resource-group and subscription-id), vault-name, or vault-url (https://NAME.vault.azure.net)',
      ],
    ],
    [
      'both',
      { 'vault-url': 'https://kv1.vault.azure.net', 'vault-name': 'kv1' },
      ['set one of vault-url, vault-name, workspace-name, not vault-url and vault-name'],
    ],
    [
      'both, each also invalid',
      { 'vault-url': 'http://x', 'vault-name': 'x' },
      [
        'not vault-url and vault-name',
        'vault-url: must start with https://',
        'vault-name: x is not a valid vault name',
      ],
    ],
    [
      'http',
      { 'vault-url': 'http://kv1.vault.azure.net' },
      [
        'vault-url: must start with https://, not http://; expected https://NAME.vault.azure.net (Key Vault is reached over TLS only)',
      ],
    ],
    [
      'not a URL',
      { 'vault-url': 'kv1.vault.azure.net' },
      ['vault-url: is not a URL; expected https://NAME.vault.azure.net'],
    ],
    [
      'credentials',
      { 'vault-url': 'https://user:hunter2@kv1.vault.azure.net' },
      ['vault-url: must not contain a user name or password'],
    ],
    [
      'a user name only',
      { 'vault-url': 'https://user@kv1.vault.azure.net' },
      ['must not contain a user name or password'],
    ],
    [
      'a path',
      { 'vault-url': 'https://kv1.vault.azure.net/secrets/x' },
      ["vault-url: must be the vault's base URL (https://host[:port]), without a path, query or fragment"],
    ],
    ['a double slash', { 'vault-url': 'https://kv1.vault.azure.net//' }, ["must be the vault's base URL"]],
    ['a query', { 'vault-url': 'https://kv1.vault.azure.net/?api-version=7.4' }, ["must be the vault's base URL"]],
    ['an empty query', { 'vault-url': 'https://kv1.vault.azure.net?' }, ["must be the vault's base URL"]],
    ['a fragment', { 'vault-url': 'https://kv1.vault.azure.net#x' }, ["must be the vault's base URL"]],
    ['http and a path', { 'vault-url': 'http://kv1/x' }, ['must start with https://', "must be the vault's base URL"]],
    [
      'a short vault name',
      { 'vault-name': 'ab' },
      [
        'vault-name: ab is not a valid vault name (3–24 characters of letters, digits and -, starting with a letter, ending with a letter or digit, no --)',
      ],
    ],
    ['a long vault name', { 'vault-name': 'a'.repeat(25) }, ['is not a valid vault name']],
    ['a vault name starting with a digit', { 'vault-name': '1vault' }, ['is not a valid vault name']],
    ['a vault name ending with a dash', { 'vault-name': 'vault-' }, ['is not a valid vault name']],
    ['a vault name with --', { 'vault-name': 'my--vault' }, ['is not a valid vault name']],
    ['a vault name with _', { 'vault-name': 'my_vault' }, ['is not a valid vault name']],
    [
      'a vault name given as a URL',
      { 'vault-name': 'https://kv1.vault.azure.net' },
      ['vault-name: "https://kv1.vault.azure.net" is not a valid vault name'],
    ],
  ])('%s', (_title, raw, expected) => {
    const parsed = parseRequest({ secrets: 'A', ...raw }, githubContext({ A: 'v' }), NOW);
    expectProblems(parsed, expected);
    expect(parsed.problems.join('\n')).not.toContain('hunter2');
  });
});

describe('parseRequest: vault hosts that may get a token', () => {
  it('refuses a vault URL outside the cloud, naming what is allowed and the input that allows more', () => {
    const parsed = parseRequest(
      { 'vault-url': 'https://vault.azure.net.evil.example', secrets: 'V' },
      githubContext({ V: 'v' }),
    );
    expectProblems(parsed, ['vault-url: the host vault.azure.net.evil.example is not a Key Vault host']);
    expect(parsed.problems[0]).toContain('NAME.vault.azure.net');
    expect(parsed.problems[0]).toContain('allowed-vault-suffixes');
  });

  it('takes a vault under a suffix the user allows', () => {
    const request = requestOf(
      parseRequest(
        {
          'vault-url': 'https://kv1.vault.contoso.local',
          'allowed-vault-suffixes': 'vault.contoso.local',
          secrets: 'V',
        },
        githubContext({ V: 'v' }),
      ),
    );
    expect(request.targets[0]?.target).toEqual({ kind: 'vault', vaultUrl: 'https://kv1.vault.contoso.local' });
    expect(request.cloud.vaultSuffixes).toEqual(['vault.azure.net', 'vault.contoso.local']);
  });

  it('names the line of a suffix that is not one, in the platform spelling', () => {
    const parsed = parseRequest(
      { 'vault-name': 'kv1', 'allowed-vault-suffixes': 'vault.contoso.local\nlocal, 10.1.2.3', secrets: 'V' },
      azdoContext({ V: 'v' }),
    );
    expectProblems(parsed, ['allowedVaultSuffixes line 2: local', 'allowedVaultSuffixes line 2: 10.1.2.3']);
  });
});

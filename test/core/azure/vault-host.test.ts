// Which hosts may get a Key Vault token: NAME.<allowed suffix> or loopback, nothing else.
import { normaliseSuffix, vaultHostProblem } from '../../../src/core/azure/vault-host.js';

const PUBLIC = ['vault.azure.net'];

describe('vaultHostProblem', () => {
  it.each([
    ['https://my-vault.vault.azure.net', PUBLIC],
    ['https://MY-VAULT.Vault.Azure.Net:443', PUBLIC],
    ['https://my-vault.vault.azure.net.', PUBLIC],
    ['https://localhost:8443', PUBLIC],
    ['https://127.0.0.1:1234', PUBLIC],
    ['https://127.9.9.9', PUBLIC],
    ['https://[::1]:8443', PUBLIC],
    ['https://kv.vault.contoso.local', [...PUBLIC, 'vault.contoso.local']],
    ['https://kv.vault.usgovcloudapi.net', ['vault.usgovcloudapi.net']],
  ])('allows %s', (url, suffixes) => {
    expect(vaultHostProblem(new URL(url), suffixes)).toBeUndefined();
  });

  it.each([
    ['https://evil.example', /not a Key Vault host/],
    ['https://vault.azure.net', /not a Key Vault host/],
    ['https://vault.azure.net.evil.example', /not a Key Vault host/],
    ['https://my-vault.vault.azure.net.evil.example', /not a Key Vault host/],
    ['https://a.b.vault.azure.net', /not a Key Vault host/],
    ['https://evilvault.azure.net', /not a Key Vault host/],
    ['https://my-vault.vault.usgovcloudapi.net', /not a Key Vault host/],
    ['https://10.0.0.4', /IP address/],
    ['https://[2001:db8::1]', /IP address/],
    ['https://169.254.169.254', /IP address/],
  ])('refuses %s', (url, why) => {
    const problem = vaultHostProblem(new URL(url), PUBLIC);
    expect(problem).toMatch(why);
    expect(problem).toContain('NAME.vault.azure.net');
  });

  it('the user-info trick leaves the real host to check', () => {
    // new URL parses "https://my-vault.vault.azure.net@evil.example" as user my-vault… at host evil.example.
    expect(vaultHostProblem(new URL('https://my-vault.vault.azure.net@evil.example'), PUBLIC)).toMatch(/evil\.example/);
  });
});

describe('normaliseSuffix', () => {
  it.each([
    ['vault.contoso.local', 'vault.contoso.local'],
    ['.Vault.Contoso.Local', 'vault.contoso.local'],
    ['*.vault.contoso.local', 'vault.contoso.local'],
    ['vault.contoso.local.', 'vault.contoso.local'],
  ])('%s → %s', (text, want) => expect(normaliseSuffix(text)).toBe(want));

  it.each(['local', '', 'vault..local', 'https://vault.local', 'vault.local/x', '10.0.0.1', '-a.b', 'a b.c'])(
    'refuses %p',
    (text) => expect(normaliseSuffix(text)).toBeUndefined(),
  );
});

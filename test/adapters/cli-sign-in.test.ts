// The CLI tries only the ways of signing in this machine has: never the instance metadata endpoint off
// Azure (where something answering it cost 17-22 s of retries), and the Azure CLI always.
import { cliSignIn, signInWays } from '../../src/adapters/cli/sign-in.js';

const SP = { AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't' };

describe('signInWays', () => {
  it.each([
    ['nothing set, not on Azure', {}, false, ['Azure CLI']],
    [
      'a service principal with a secret',
      { ...SP, AZURE_CLIENT_SECRET: 's' },
      false,
      ['service principal', 'Azure CLI'],
    ],
    [
      'a service principal with a certificate',
      { ...SP, AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
      false,
      ['service principal', 'Azure CLI'],
    ],
    ['a client id without a secret is no service principal', SP, false, ['Azure CLI']],
    ['workload identity', { ...SP, AZURE_FEDERATED_TOKEN_FILE: '/t' }, false, ['workload identity', 'Azure CLI']],
    [
      'App Service / Azure ML compute',
      { IDENTITY_ENDPOINT: 'http://x', IDENTITY_HEADER: 'h' },
      false,
      ['managed identity', 'Azure CLI'],
    ],
    ['Cloud Shell', { MSI_ENDPOINT: 'http://x' }, false, ['managed identity', 'Azure CLI']],
    ['an Azure VM (its chassis asset tag)', {}, true, ['managed identity', 'Azure CLI']],
  ] as const)('%s', (_title, env, onAzureVm, ways) => {
    expect(signInWays(env, () => onAzureVm)).toEqual(ways);
  });

  it("names who is tried and the fix in the terminal's words", () => {
    const signIn = cliSignIn({ ...SP, AZURE_CLIENT_SECRET: 's' });
    expect(signIn.identity).toMatch(
      /^the service principal c \(AZURE_CLIENT_ID\)(, .*)? or the Azure CLI session \(az login\)$/,
    );
    expect(signIn.fix).toMatch(
      /`az login`.*az account set.*AZURE_CLIENT_ID and AZURE_TENANT_ID with AZURE_CLIENT_SECRET.*AZURE_FEDERATED_TOKEN_FILE.*managed identity/,
    );
    expect(signIn.secrets).toEqual([]);
  });
});

// --cloud: the vault's challenge and accepted audience, and ARM's accepted audiences, follow the
// sovereign cloud; a token for another cloud's resource gets each service's real 401. The token
// endpoint issues tokens for any resource — the resource servers decide.
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, useDiscoveryProxy, useEmulatorEnv } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, armClient, claimsOf, raw, rejection, workspaceUrl } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe.each([
  {
    cloud: 'AzureUSGovernment',
    vault: 'https://vault.usgovcloudapi.net',
    login: 'https://login.microsoftonline.us',
    arm: 'https://management.usgovcloudapi.net',
    core: 'https://management.core.usgovcloudapi.net',
  },
  {
    cloud: 'AzureChinaCloud',
    vault: 'https://vault.azure.cn',
    login: 'https://login.chinacloudapi.cn',
    arm: 'https://management.chinacloudapi.cn',
    core: 'https://management.core.chinacloudapi.cn',
  },
])('--cloud $cloud', ({ cloud, vault, login, arm, core }) => {
  let emu: Emulator;
  let credential: ClientSecretCredential;

  beforeAll(async () => {
    emu = await startEmulator(['--cloud', cloud, '--workspace', `${SUB}/gov-rg/gov-ws`, '--quiet']);
    useEmulatorEnv(emu);
    useDiscoveryProxy(emu);
    const sp = emu.identities.servicePrincipal;
    credential = new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, {
      authorityHost: emu.authorityHost,
    });
  });
  afterAll(() => emu.stop());

  test('the start line names the cloud', () => {
    expect(emu.cloud).toBe(cloud);
  });

  test("the vault's challenge names the cloud's authority and Key Vault resource", async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer authorization="${login}/${emu.tenantId}", resource="${vault}"`,
    );
  });

  test("SecretClient follows the challenge to the cloud's scope and succeeds", async () => {
    const client = new SecretClient(emu.vaultUrl, credential, { disableChallengeResourceVerification: true });
    await client.setSecret('sovereign', 'value');
    expect((await client.getSecret('sovereign')).value).toBe('value');
    expect(claimsOf((await credential.getToken(`${vault}/.default`))!.token).aud).toBe(vault);
  });

  test("a public-cloud vault token gets Key Vault's AKV10022", async () => {
    const token = (await credential.getToken('https://vault.azure.net/.default'))!.token;
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({
      code: 'Unauthorized',
      message: `AKV10022: Invalid audience. Expected ${vault}, found: https://vault.azure.net.`,
    });
  });

  test("ARM accepts the cloud's management audiences and refuses the public cloud's", async () => {
    const url = workspaceUrl(emu, SUB, 'gov-rg', 'gov-ws');
    for (const scope of [`${arm}/.default`, `${arm}//.default`, `${core}/.default`])
      expect((await armClient(credential, scope).get(url)).status).toBe(200);
    const wrong = await armClient(credential, 'https://management.azure.com/.default').get(url);
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual({
      code: 'InvalidAuthenticationTokenAudience',
      message: `The access token has been obtained for wrong audience or resource 'https://management.azure.com'. It should exactly match with one of the allowed audiences '${core}/','${core}','${arm}/','${arm}'.`,
    });
  });

  test('the SDK surfaces the audience error as a 401 RestError', async () => {
    const publicScoped = new SecretClient(
      emu.vaultUrl,
      { getToken: () => credential.getToken('https://vault.azure.net/.default') },
      { disableChallengeResourceVerification: true },
    );
    const err = await rejection(publicScoped.getSecret('sovereign'));
    expect(err.statusCode).toBe(401);
    expect(err.message).toContain('AKV10022');
  });
});

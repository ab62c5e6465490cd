// Signing in for real against the emulator's Entra-like authority with the unmodified credentials of
// @azure/identity 4.13.1 (msal-node 5): client secret, certificate (file and PEM text), a GitHub ID
// token through ClientAssertionCredential, Azure DevOps through AzurePipelinesCredential. Each token
// is then used the way the product uses it: ARM (workspace → vault) and the vault itself. No
// credential gets `disableInstanceDiscovery`: MSAL's instance discovery reaches the emulator through
// the discovery proxy (HTTPS_PROXY from the emulator's env).
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import {
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
} from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { keyId, signJwt } from '../../../emulator/entra/tokens.js';
import { startEmulator, useDiscoveryProxy, useEmulatorEnv } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { certDirKey, claimsOf, getIDToken, rejection, resolveVault, SCOPES, unique } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const RG = 'ml-rg';
const WS = 'train-ws';
const EXCHANGE = 'api://AzureADTokenExchange';

let emu: Emulator;
let options: { authorityHost: string };
const scratch = mkdtempSync(join(tmpdir(), 'aml-sign-in-'));

beforeAll(async () => {
  emu = await startEmulator(['--workspace', `${SUB}/${RG}/${WS}`, '--quiet']);
  // Before any SDK pipeline exists in this file: the runner/agent variables and the discovery proxy.
  useEmulatorEnv(emu);
  useDiscoveryProxy(emu);
  options = { authorityHost: emu.authorityHost };
});
afterEach(async () => {
  await emu.configure({ githubSubject: null, azdoSubject: null, identityRoles: {}, armRoles: {} });
  await emu.clearFederatedCredentials();
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await emu.stop();
});

/** Workspace → vault through ARM, then a secret round trip on that vault, all with one credential. */
async function roundTrip(credential: TokenCredential): Promise<{ vaultUri: string; value: string | undefined }> {
  const vaultUri = await resolveVault(emu, credential, SUB, RG, WS);
  const client = new SecretClient(vaultUri, credential, { disableChallengeResourceVerification: true });
  const name = unique('sign-in');
  await client.setSecret(name, 'pushed');
  return { vaultUri, value: (await client.getSecret(name)).value };
}

const githubAssertion =
  (audience = EXCHANGE) =>
  () =>
    getIDToken(process.env, emu, audience);

describe('each credential signs in, reads the workspace through ARM and writes its vault', () => {
  test('ClientSecretCredential: instance discovery (via the proxy), OIDC discovery, then the token', async () => {
    const sp = emu.identities.servicePrincipal;
    await emu.clearRequests();
    const result = await roundTrip(new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, options));
    expect(result).toEqual({ vaultUri: `${emu.workspaces[`${SUB}/${RG}/${WS}`]!.vaultUrl}/`, value: 'pushed' });
    const entra = (await emu.requests('entra')).map(
      (r) => `${r.host ?? 'authority'} ${r.method} ${r.path} ${r.status}`,
    );
    expect(entra).toEqual(
      expect.arrayContaining([
        'login.microsoftonline.com GET /common/discovery/instance 200',
        `authority GET /${emu.tenantId}/v2.0/.well-known/openid-configuration 200`,
        `authority POST /${emu.tenantId}/oauth2/v2.0/token 200`,
      ]),
    );
    expect((await emu.requests('arm')).map((r) => r.status)).toEqual([200, 200]);
  });

  test('the access tokens name the identity and carry the requested resource as audience', async () => {
    const sp = emu.identities.servicePrincipal;
    const credential = new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, options);
    const arm = claimsOf((await credential.getToken(SCOPES.arm))!.token);
    expect(arm).toMatchObject({
      aud: 'https://management.azure.com',
      oid: sp.objectId,
      appid: sp.clientId,
      tid: emu.tenantId,
      iss: `https://sts.windows.net/${emu.tenantId}/`,
      idtyp: 'app',
    });
    expect(claimsOf((await credential.getToken('https://management.core.windows.net//.default'))!.token).aud).toBe(
      'https://management.core.windows.net/',
    );
    const vault = await credential.getToken(SCOPES.vault);
    expect(claimsOf(vault!.token).aud).toBe('https://vault.azure.net');
    expect(vault!.expiresOnTimestamp - Date.now()).toBeGreaterThan(3500_000);
  });

  test('ClientCertificateCredential with certificatePath (PS256 assertion, x5t#S256)', async () => {
    const sp = emu.identities.servicePrincipal;
    const result = await roundTrip(
      new ClientCertificateCredential(emu.tenantId, sp.clientId, { certificatePath: sp.certificateFile }, options),
    );
    expect(result.value).toBe('pushed');
  });

  test('ClientCertificateCredential with the PEM text, as an Azure DevOps connection stores it (and with the chain sent)', async () => {
    const sp = emu.identities.servicePrincipal;
    const pem = readFileSync(sp.certificateFile, 'utf8');
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(
      (await roundTrip(new ClientCertificateCredential(emu.tenantId, sp.clientId, { certificate: pem }, options)))
        .value,
    ).toBe('pushed');
    const chained = new ClientCertificateCredential(
      emu.tenantId,
      sp.clientId,
      { certificate: pem },
      { ...options, sendCertificateChain: true },
    );
    expect((await chained.getToken(SCOPES.arm))?.token).toBeTruthy();
  });

  test('ClientAssertionCredential with the runner ID token, fetched afresh for each new access token', async () => {
    const gh = emu.identities.github;
    await emu.clearRequests();
    const result = await roundTrip(
      new ClientAssertionCredential(emu.tenantId, gh.clientId, githubAssertion(), options),
    );
    expect(result.value).toBe('pushed');
    const idTokenCalls = (await emu.requests('oidc')).filter((r) => r.path.endsWith('/idtoken'));
    // One access token for ARM and one for the vault: at least one ID token each.
    expect(idTokenCalls.length).toBeGreaterThanOrEqual(2);
    const idToken = await githubAssertion()();
    expect(claimsOf(idToken)).toMatchObject({
      iss: gh.issuer,
      sub: gh.subject,
      aud: EXCHANGE,
      repository: 'contoso/train',
    });
  });

  test('AzurePipelinesCredential: SYSTEM_OIDCREQUESTURI + service connection + System.AccessToken', async () => {
    const az = emu.identities.azdo;
    expect(process.env.SYSTEM_OIDCREQUESTURI).toBe(emu.env.SYSTEM_OIDCREQUESTURI);
    await emu.clearRequests();
    const result = await roundTrip(
      new AzurePipelinesCredential(emu.tenantId, az.clientId, az.serviceConnectionId, az.systemAccessToken, options),
    );
    expect(result.value).toBe('pushed');
    expect(
      (await emu.requests('oidc')).every(
        (r) => r.method === 'POST' && r.path.endsWith('/oidctoken') && r.status === 200,
      ),
    ).toBe(true);
  });

  test('disableInstanceDiscovery also works (no discovery request at all)', async () => {
    const sp = emu.identities.servicePrincipal;
    await emu.clearRequests();
    const credential = new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, {
      ...options,
      disableInstanceDiscovery: true,
    });
    expect((await credential.getToken(SCOPES.vault))?.token).toBeTruthy();
    expect((await emu.requests('entra')).some((r) => r.path.endsWith('/discovery/instance'))).toBe(false);
  });
});

describe("Entra's errors, as the credentials report them", () => {
  test('a wrong client secret: AADSTS7000215', async () => {
    const sp = emu.identities.servicePrincipal;
    const err = await rejection(
      new ClientSecretCredential(emu.tenantId, sp.clientId, 'not-the-secret', options).getToken(SCOPES.vault),
    );
    expect(err.message).toContain(
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${sp.clientId}'.`,
    );
    expect(err.message).toContain('invalid_client');
    expect(err.message).not.toContain('not-the-secret');
  });

  test('an unknown application: AADSTS700016', async () => {
    const stranger = '3f2504e0-4f89-41d3-9a0c-0305e82c3399';
    const err = await rejection(
      new ClientSecretCredential(emu.tenantId, stranger, 'x', options).getToken(SCOPES.vault),
    );
    expect(err.message).toContain(
      `AADSTS700016: Application with identifier '${stranger}' was not found in the directory '${emu.tenantId}'.`,
    );
  });

  test('an unknown tenant: AADSTS90002 from the token endpoint, as with the public cloud', async () => {
    const other = '3f2504e0-4f89-41d3-9a0c-0305e82c3398';
    const sp = emu.identities.servicePrincipal;
    const err = await rejection(
      new ClientSecretCredential(other, sp.clientId, sp.clientSecret, options).getToken(SCOPES.vault),
    );
    expect(err.message).toContain(`AADSTS90002: Tenant '${other}' not found.`);
  });

  test('a certificate the app does not have: AADSTS700027 naming its thumbprint', async () => {
    const keyFile = join(scratch, 'other-key.pem');
    const certFile = join(scratch, 'other-cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=not-registered',
      ],
      { stdio: 'ignore' },
    );
    const pem = `${readFileSync(certFile, 'utf8')}${readFileSync(keyFile, 'utf8')}`;
    const sha256 = createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase();
    const sp = emu.identities.servicePrincipal;
    const err = await rejection(
      new ClientCertificateCredential(emu.tenantId, sp.clientId, { certificate: pem }, options).getToken(SCOPES.vault),
    );
    expect(err.message).toContain(
      `AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${sha256}'`,
    );
  });

  test('a federated subject mismatch names the issuer, subject and audience (AADSTS70021); a matching credential fixes it', async () => {
    const gh = emu.identities.github;
    await emu.configure({ githubSubject: 'repo:contoso/train:pull_request' });
    const err = await rejection(
      new ClientAssertionCredential(emu.tenantId, gh.clientId, githubAssertion(), options).getToken(SCOPES.vault),
    );
    expect(err.message).toContain(
      `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${gh.issuer}'. Assertion Subject: 'repo:contoso/train:pull_request'. Assertion Audience: '${EXCHANGE}'.`,
    );
    await emu.addFederatedCredential({
      clientId: gh.clientId,
      issuer: gh.issuer,
      subject: 'repo:contoso/train:pull_request',
      audience: EXCHANGE,
    });
    expect(
      (
        await new ClientAssertionCredential(emu.tenantId, gh.clientId, githubAssertion(), options).getToken(
          SCOPES.vault,
        )
      )?.token,
    ).toBeTruthy();
  });

  test('the wrong audience on the ID token, or an Azure DevOps token for the GitHub app: AADSTS70021', async () => {
    const gh = emu.identities.github;
    const wrongAud = await rejection(
      new ClientAssertionCredential(
        emu.tenantId,
        gh.clientId,
        githubAssertion('https://github.com/contoso'),
        options,
      ).getToken(SCOPES.vault),
    );
    expect(wrongAud.message).toContain("Assertion Audience: 'https://github.com/contoso'.");
    const az = emu.identities.azdo;
    const crossed = new AzurePipelinesCredential(
      emu.tenantId,
      gh.clientId,
      az.serviceConnectionId,
      az.systemAccessToken,
      options,
    );
    expect((await rejection(crossed.getToken(SCOPES.vault))).message).toContain(
      `Assertion Issuer: '${az.issuer}'. Assertion Subject: '${az.subject}'.`,
    );
  });

  test('an expired ID token: AADSTS700024', async () => {
    const gh = emu.identities.github;
    const key = certDirKey('oidc-key.pem');
    const iat = Math.floor(Date.now() / 1000) - 3600;
    const stale = signJwt(key.privateKey, keyId(key.publicKey), {
      iss: gh.issuer,
      sub: gh.subject,
      aud: EXCHANGE,
      iat,
      nbf: iat - 600,
      exp: iat + 300,
      jti: 'stale',
    });
    const err = await rejection(
      new ClientAssertionCredential(emu.tenantId, gh.clientId, async () => stale, options).getToken(SCOPES.vault),
    );
    expect(err.message).toMatch(
      /AADSTS700024: Client assertion is not within its valid time range\. Current time: \S+Z, assertion valid from \S+Z, expiry time of assertion \S+Z\./,
    );
  });

  test('Azure DevOps: an unknown service connection (404) and a wrong System.AccessToken (401)', async () => {
    const az = emu.identities.azdo;
    const unknownConnection = '3f2504e0-4f89-41d3-9a0c-0305e82c3397';
    const notFound = await rejection(
      new AzurePipelinesCredential(
        emu.tenantId,
        az.clientId,
        unknownConnection,
        az.systemAccessToken,
        options,
      ).getToken(SCOPES.vault),
    );
    expect(notFound.message).toContain('Status code: 404');
    expect(notFound.message).toContain(`There is no explicit reference to service connection ${unknownConnection}`);
    const unauthorized = await rejection(
      new AzurePipelinesCredential(emu.tenantId, az.clientId, az.serviceConnectionId, 'wrong-token', options).getToken(
        SCOPES.vault,
      ),
    );
    expect(unauthorized.message).toContain('Status code: 401');
  });
});

describe('roles follow the identity that signed in', () => {
  test('a vault role per identity (identityRoles): the 403 names the app', async () => {
    const gh = emu.identities.github;
    await emu.configure({ identityRoles: { [gh.clientId]: 'user' } });
    const credential = new ClientAssertionCredential(emu.tenantId, gh.clientId, githubAssertion(), options);
    const vaultUri = await resolveVault(emu, credential, SUB, RG, WS);
    const err = await rejection(
      new SecretClient(vaultUri, credential, { disableChallengeResourceVerification: true }).setSecret(
        unique('denied'),
        'x',
      ),
    );
    expect(err.statusCode).toBe(403);
    expect(err.message).toContain(
      `Caller: appid=${gh.clientId};oid=${gh.objectId};iss=https://sts.windows.net/${emu.tenantId}/`,
    );
    // The service principal keeps the default role.
    const sp = emu.identities.servicePrincipal;
    expect(
      (await roundTrip(new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, options))).value,
    ).toBe('pushed');
  });
});

// Authentication like the service: the 401 challenge (format, timing before the body), what tokens
// are accepted, and token issuance through the App Service managed-identity protocol used unmodified
// by ManagedIdentityCredential and DefaultAzureCredential.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { DEFAULT_MANAGED_IDENTITY, TENANT_ID } from '../../../emulator/entra/identities.js';
import { keyId, signJwt } from '../../../emulator/entra/tokens.js';
import { startEmulator, useEmulatorEnv } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, caOf, raw, vaultToken } from '../support.js';

let emu: Emulator;
const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="https://vault.azure.net"`;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

function mint(claims: Record<string, unknown>, key = sharedKey()): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(key.privateKey, keyId(key.publicKey), {
    aud: 'https://vault.azure.net',
    iss: `https://sts.windows.net/${TENANT_ID}/`,
    iat: now,
    nbf: now - 60,
    exp: now + 3600,
    oid: DEFAULT_MANAGED_IDENTITY.objectId,
    appid: DEFAULT_MANAGED_IDENTITY.appId,
    tid: TENANT_ID,
    ...claims,
  });
}

function sharedKey() {
  const privateKey = createPrivateKey(readFileSync(join(process.env.AML_TEST_CERT_DIR!, 'token-key.pem'), 'utf8'));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

describe('the 401 challenge', () => {
  test('no token: 401 Unauthorized, the exact challenge header (comma + space) and error body', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(res.json).toEqual({
      error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
    });
  });

  test('the challenge comes before the body is read: a PUT whose body is never sent still gets its 401', async () => {
    const result = await new Promise<{ status: number; header: string | undefined }>((resolve, reject) => {
      const req = request(`${emu.vaultUrl}/secrets/slow?api-version=${API}`, {
        method: 'PUT',
        ca: caOf(emu),
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': 100_000 },
      });
      req.on('response', (res) => {
        resolve({ status: res.statusCode ?? 0, header: res.headers['www-authenticate'] });
        res.resume();
        req.destroy();
      });
      req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
      req.flushHeaders(); // headers only; the promised 100 kB never come
    });
    expect(result).toEqual({ status: 401, header: CHALLENGE });
  });

  test('an unauthenticated request with a malformed body also gets 401, not 400', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets/x?api-version=${API}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(401);
  });

  test.each([
    [
      'expired',
      () => mint({ exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 }),
      /expired/,
    ],
    [
      'for another audience',
      () => mint({ aud: 'https://management.azure.com' }),
      /^AKV10022: Invalid audience. Expected https:\/\/vault.azure.net, found: https:\/\/management.azure.com\.$/,
    ],
    [
      'from another issuer',
      () => mint({ iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' }),
      /^AKV10032: Invalid issuer/,
    ],
    [
      'signed by a key the emulator does not know',
      () => mint({}, generateKeyPairSync('rsa', { modulusLength: 2048 })),
      /^AKV10046: Unable to resolve the key/,
    ],
    ['malformed', () => 'not.a.jwt', /malformed/],
    [
      'unsigned (alg none)',
      () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`,
      /AKV10046/,
    ],
  ])('a token %s is refused with 401 and the challenge', async (_label, make, message) => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token: make() });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(res.json.error.code).toBe('Unauthorized');
    expect(res.json.error.message).toMatch(message);
  });

  test('a token signed with the cert dir key, for the vault audience, is accepted', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token: mint({}) });
    expect(res.status).toBe(200);
  });

  test('a token from the identity endpoint for another resource is refused by the vault (AKV10022)', async () => {
    const token = await vaultToken(emu, 'https://management.azure.com');
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('AKV10022');
  });
});

describe('the managed-identity endpoint (App Service protocol, api-version 2019-08-01)', () => {
  const endpoint = () => emu.env.IDENTITY_ENDPOINT!;

  test('issues an RS256 JWT naming the principal, valid for 24 h', async () => {
    const res = await raw(emu, `${endpoint()}?api-version=2019-08-01&resource=https://vault.azure.net`, {
      headers: { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER! },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      access_token: expect.any(String),
      expires_on: expect.stringMatching(/^\d+$/),
      resource: 'https://vault.azure.net',
      token_type: 'Bearer',
      client_id: DEFAULT_MANAGED_IDENTITY.appId,
    });
    const [header, payload] = (res.json.access_token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      aud: 'https://vault.azure.net',
      oid: DEFAULT_MANAGED_IDENTITY.objectId,
      appid: DEFAULT_MANAGED_IDENTITY.appId,
      tid: TENANT_ID,
    });
    expect(Number(res.json.expires_on) - Math.floor(Date.now() / 1000)).toBeGreaterThan(23 * 3600);
  });

  test('refuses a missing or wrong X-IDENTITY-HEADER, another api-version, a missing resource, an unknown identity', async () => {
    const ok = { 'X-IDENTITY-HEADER': emu.env.IDENTITY_HEADER! };
    expect((await raw(emu, `${endpoint()}?api-version=2019-08-01&resource=https://vault.azure.net`)).status).toBe(401);
    expect(
      (
        await raw(emu, `${endpoint()}?api-version=2019-08-01&resource=https://vault.azure.net`, {
          headers: { 'X-IDENTITY-HEADER': 'wrong' },
        })
      ).status,
    ).toBe(401);
    expect(
      (await raw(emu, `${endpoint()}?api-version=2017-09-01&resource=https://vault.azure.net`, { headers: ok })).status,
    ).toBe(400);
    expect((await raw(emu, `${endpoint()}?api-version=2019-08-01`, { headers: ok })).status).toBe(400);
    expect(
      (await raw(emu, `${endpoint()}?api-version=2019-08-01&resource=r&client_id=unknown`, { headers: ok })).status,
    ).toBe(400);
    expect(
      (
        await raw(emu, `${endpoint()}?api-version=2019-08-01&resource=r&client_id=${DEFAULT_MANAGED_IDENTITY.appId}`, {
          headers: ok,
        })
      ).status,
    ).toBe(200);
  });

  test('ManagedIdentityCredential gets a token from the environment alone', async () => {
    useEmulatorEnv(emu);
    const token = await new ManagedIdentityCredential().getToken('https://vault.azure.net/.default');
    expect(token.token.split('.')).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token: token.token });
    expect(res.status).toBe(200);
  });

  test('DefaultAzureCredential + SecretClient work unmodified; the client meets one challenge, then sends the token', async () => {
    useEmulatorEnv(emu);
    const client = new SecretClient(emu.vaultUrl, new DefaultAzureCredential(), {
      disableChallengeResourceVerification: true,
    });
    await emu.clearRequests();
    await client.setSecret('dac-secret', 'dac-value');
    expect((await client.getSecret('dac-secret')).value).toBe('dac-value');
    expect((await emu.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PUT /secrets/dac-secret 401',
      'PUT /secrets/dac-secret 200',
      'GET /secrets/dac-secret/ 200',
    ]);
  });

  test("two emulators sharing a cert dir accept each other's tokens", async () => {
    const other = await startEmulator();
    try {
      const token = await vaultToken(emu);
      expect((await raw(other, `${other.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);
      expect(other.caCertFile).toBe(emu.caCertFile);
      expect(other.env.IDENTITY_HEADER).not.toBe(emu.env.IDENTITY_HEADER);
    } finally {
      await other.stop();
    }
  });
});

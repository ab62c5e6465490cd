// The Entra-like authority on the wire: the discovery documents MSAL reads, instance discovery
// through the discovery proxy, the token endpoint's checks and Entra's error envelope.
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign,
  verify,
  X509Certificate,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, caOf, claimsOf, raw } from '../support.js';

let emu: Emulator;
let tokenUrl: string;

beforeAll(async () => {
  emu = await startEmulator(['--quiet']);
  tokenUrl = `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`;
});
afterAll(() => emu.stop());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  raw(emu, tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A certificate assertion as MSAL builds one, with a choice of algorithm and thumbprint header. */
function certificateAssertion(opts: { alg: 'RS256' | 'PS256'; aud?: string; tamper?: boolean; exp?: number }): string {
  const pem = readFileSync(emu.identities.servicePrincipal.certificateFile, 'utf8');
  const cert = new X509Certificate(pem);
  const key = createPrivateKey(pem);
  const header =
    opts.alg === 'RS256'
      ? { alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update(cert.raw).digest('base64url') }
      : { alg: 'PS256', typ: 'JWT', 'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url') };
  const now = Math.floor(Date.now() / 1000);
  const clientId = emu.identities.servicePrincipal.clientId;
  const payload = {
    aud: opts.aud ?? tokenUrl,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: now,
    exp: opts.exp ?? now + 600,
  };
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature =
    opts.alg === 'RS256'
      ? sign('RSA-SHA256', Buffer.from(input), key)
      : sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  if (opts.tamper) signature[0] = signature[0]! ^ 0xff;
  return `${input}.${signature.toString('base64url')}`;
}

const assertionFields = (assertion: string) => ({
  grant_type: 'client_credentials',
  client_id: emu.identities.servicePrincipal.clientId,
  scope: 'https://vault.azure.net/.default',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: assertion,
});

describe('discovery documents', () => {
  test("the tenant's v2.0 OpenID configuration: endpoints and issuer on the authority host (MSAL checks the issuer's host)", async () => {
    const res = await raw(emu, `${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      issuer: `${emu.authorityHost}/${emu.tenantId}/v2.0`,
      token_endpoint: tokenUrl,
      authorization_endpoint: `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize`,
      jwks_uri: `${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    });
    expect(
      (await raw(emu, `${emu.authorityHost}/common/v2.0/.well-known/openid-configuration`)).json.token_endpoint,
    ).toBe(`${emu.authorityHost}/{tenantid}/oauth2/v2.0/token`);
  });

  test('the JWKS verifies the access tokens the endpoint issues', async () => {
    const sp = emu.identities.servicePrincipal;
    const token = (
      await post({
        grant_type: 'client_credentials',
        client_id: sp.clientId,
        client_secret: sp.clientSecret,
        scope: 'https://vault.azure.net/.default',
      })
    ).json.access_token as string;
    const [h, p, s] = token.split('.') as [string, string, string];
    const { kid } = JSON.parse(Buffer.from(h, 'base64url').toString());
    const jwk = (await raw(emu, `${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`)).json.keys.find(
      (k: { kid: string }) => k.kid === kid,
    );
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${h}.${p}`),
        createPublicKey({ key: jwk, format: 'jwk' }),
        Buffer.from(s, 'base64url'),
      ),
    ).toBe(true);
  });

  test('instance discovery vouches for the emulator authority only (else invalid_instance, AADSTS50049)', async () => {
    const ask = (authority: string) =>
      raw(
        emu,
        `${emu.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${authority}/oauth2/v2.0/authorize`)}`,
      );
    const own = await ask(`${emu.authorityHost}/${emu.tenantId}`);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({
      tenant_discovery_endpoint: `${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
    });
    expect(own.json.metadata[0].aliases).toContain('login.microsoftonline.com');
    const foreign = await ask(`https://login.example.com/${emu.tenantId}`);
    expect(foreign.status).toBe(400);
    expect(foreign.json).toMatchObject({ error: 'invalid_instance', error_codes: [50049] });
  });
});

describe('the discovery proxy (HTTPS_PROXY)', () => {
  const proxy = () => new URL(emu.env.HTTPS_PROXY);

  /** CONNECT through the proxy, then one HTTPS GET inside the tunnel. */
  function viaProxy(host: string, port: number, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        host: proxy().hostname,
        port: proxy().port,
        method: 'CONNECT',
        path: `${host}:${port}`,
        agent: false,
      });
      req.on('connect', (res, socket) => {
        if (res.statusCode !== 200) return resolve({ status: res.statusCode ?? 0, body: '' });
        const tls = tlsConnect({ socket, servername: host, ca: caOf(emu) }, () => {
          tls.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        tls.setEncoding('utf8').on('data', (c: string) => (data += c));
        tls.on('end', () =>
          resolve({ status: Number(data.split(' ')[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) }),
        );
        tls.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  test("answers MSAL's instance discovery for login.microsoftonline.com with a certificate from the emulator's CA", async () => {
    await emu.clearRequests();
    const authorize = encodeURIComponent(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize`);
    const res = await viaProxy(
      'login.microsoftonline.com',
      443,
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain('tenant_discovery_endpoint');
    expect(await emu.requests()).toEqual([
      {
        service: 'entra',
        method: 'GET',
        path: '/common/discovery/instance',
        status: 200,
        host: 'login.microsoftonline.com',
      },
    ]);
  });

  test('answers nothing else for login.microsoftonline.com, and tunnels other hosts unchanged', async () => {
    expect((await viaProxy('login.microsoftonline.com', 443, `/${emu.tenantId}/oauth2/v2.0/token`)).status).toBe(404);
    const vault = new URL(emu.vaultUrl);
    expect((await viaProxy('localhost', Number(vault.port), `/secrets?api-version=${API}`)).status).toBe(401);
  });

  test('NO_PROXY covers the loopback names', () => {
    expect(emu.env.NO_PROXY.split(',')).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1']));
  });
});

describe('the token endpoint', () => {
  test('a certificate assertion signed RS256 with x5t (SHA-1), as older MSAL and other SDKs send it', async () => {
    const res = await post(assertionFields(certificateAssertion({ alg: 'RS256' })));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(claimsOf(res.json.access_token)).toMatchObject({
      appid: emu.identities.servicePrincipal.clientId,
      aud: 'https://vault.azure.net',
    });
  });

  test('a certificate assertion with a bad signature: AADSTS700027 "Key was found, but …"', async () => {
    const res = await post(assertionFields(certificateAssertion({ alg: 'PS256', tamper: true })));
    expect(res.status).toBe(401);
    expect(res.json.error_description).toMatch(
      /^AADSTS700027: Client assertion contains an invalid signature\. \[Reason - Key was found, but use of the key to verify the signature failed\., Thumbprint of key used by client: '[0-9A-F]{64}', Found key 'Start=\d\d\/\d\d\/\d{4} /,
    );
  });

  test('an expired certificate assertion: AADSTS700024; one for another audience: refused', async () => {
    const expired = await post(
      assertionFields(certificateAssertion({ alg: 'PS256', exp: Math.floor(Date.now() / 1000) - 3600 })),
    );
    expect(expired.json).toMatchObject({ error: 'invalid_client', error_codes: [700024] });
    const elsewhere = await post(
      assertionFields(
        certificateAssertion({ alg: 'PS256', aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' }),
      ),
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.error_description).toContain(
      "The assertion's audience 'https://login.microsoftonline.com/common/oauth2/v2.0/token' is not this token endpoint",
    );
  });

  test("Entra's envelope: error, AADSTS description with trace/correlation/timestamp, error_codes, ids, error_uri", async () => {
    const correlation = randomUUID();
    const res = await post(
      {
        grant_type: 'client_credentials',
        client_id: emu.identities.servicePrincipal.clientId,
        client_secret: 'wrong',
        scope: 'https://vault.azure.net/.default',
      },
      { 'client-request-id': correlation },
    );
    expect(res.status).toBe(401);
    expect(Object.keys(res.json)).toEqual([
      'error',
      'error_description',
      'error_codes',
      'timestamp',
      'trace_id',
      'correlation_id',
      'error_uri',
    ]);
    expect(res.json).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      correlation_id: correlation,
      error_uri: 'https://login.microsoftonline.com/error?code=7000215',
    });
    expect(res.json.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(res.json.error_description).toMatch(
      new RegExp(
        `^AADSTS7000215: .* Trace ID: ${res.json.trace_id} Correlation ID: ${correlation} Timestamp: ${res.json.timestamp}$`,
      ),
    );
    expect(res.headers['client-request-id']).toBe(correlation);
  });

  test.each<[string, number, number, Record<string, string>]>([
    [
      'no client_id',
      400,
      900144,
      { grant_type: 'client_credentials', scope: 'https://vault.azure.net/.default', client_secret: 'x' },
    ],
    ['another grant type', 400, 70003, { grant_type: 'password', client_id: 'x' }],
    [
      'a scope without /.default',
      400,
      1002012,
      {
        grant_type: 'client_credentials',
        client_id: '7e57c0de-0000-4000-8000-0000000005b1',
        client_secret: 'x',
        scope: 'https://vault.azure.net',
      },
    ],
    [
      'neither secret nor assertion',
      401,
      7000216,
      {
        grant_type: 'client_credentials',
        client_id: '7e57c0de-0000-4000-8000-0000000005b1',
        scope: 'https://vault.azure.net/.default',
      },
    ],
    [
      'an assertion that is not a JWT',
      400,
      50027,
      {
        grant_type: 'client_credentials',
        client_id: '7e57c0de-0000-4000-8000-0000000005b1',
        scope: 'https://vault.azure.net/.default',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'nope',
      },
    ],
  ])('%s → %i AADSTS%i', async (_case, status, code, fields) => {
    const res = await post(fields);
    expect(res.status).toBe(status);
    expect(res.json.error_codes).toEqual([code]);
  });

  test('GET on the token endpoint is 405; other paths 404; the requests are logged as "entra"', async () => {
    await emu.clearRequests();
    expect((await raw(emu, tokenUrl)).status).toBe(405);
    expect((await raw(emu, `${emu.authorityHost}/nothing`)).status).toBe(404);
    expect((await emu.requests()).map((r) => `${r.service} ${r.status}`)).toEqual(['entra 405', 'entra 404']);
  });
});

// The GitHub and Azure DevOps OIDC issuers on the wire (what @actions/core getIDToken and
// AzurePipelinesCredential send), their discovery documents and keys, and the subjects the admin API
// sets.
import { createPublicKey, verify } from 'node:crypto';
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { claimsOf, getIDToken, raw } from '../support.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator(['--quiet']);
});
afterEach(() => emu.configure({ githubSubject: null, azdoSubject: null }));
afterAll(() => emu.stop());

/** Checks an ID token's signature with the key its issuer publishes (discovery → jwks_uri → kid). */
async function verifiedByIssuer(token: string): Promise<boolean> {
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  const discovery = (await raw(emu, `${claimsOf(token).iss}/.well-known/openid-configuration`)).json;
  expect(discovery.issuer).toBe(claimsOf(token).iss);
  const jwks = (await raw(emu, discovery.jwks_uri)).json;
  const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
  expect(header.alg).toBe('RS256');
  return verify(
    'RSA-SHA256',
    Buffer.from(`${h}.${p}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url'),
  );
}

describe('GitHub Actions ID tokens (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN)', () => {
  test('the request URL already has a query, so getIDToken can append &audience=', () => {
    expect(new URL(emu.env.ACTIONS_ID_TOKEN_REQUEST_URL).searchParams.get('api-version')).toBe('2.0');
    expect(emu.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN.length).toBeGreaterThan(20);
  });

  test("a token for the requested audience with GitHub's claims and a five-minute life, signed by the issuer's key", async () => {
    const token = await getIDToken(emu.env, emu, 'api://AzureADTokenExchange');
    const c = claimsOf(token);
    expect(c).toMatchObject({
      iss: emu.identities.github.issuer,
      sub: 'repo:contoso/train:ref:refs/heads/main',
      aud: 'api://AzureADTokenExchange',
      repository: 'contoso/train',
      repository_owner: 'contoso',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      job_workflow_ref: 'contoso/train/.github/workflows/train.yml@refs/heads/main',
      runner_environment: 'github-hosted',
    });
    expect(c.exp - c.iat).toBe(300);
    expect(c.iat - c.nbf).toBe(600);
    expect(Math.abs(c.iat - Date.now() / 1000)).toBeLessThan(60);
    expect(await verifiedByIssuer(token)).toBe(true);
  });

  test("without an audience, the repository owner's URL (GitHub's default)", async () => {
    expect(claimsOf(await getIDToken(emu.env, emu)).aud).toBe('https://github.com/contoso');
  });

  test('a wrong request token is refused with 401', async () => {
    await expect(getIDToken({ ...emu.env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'nope' }, emu)).rejects.toThrow(
      /Error Code : 401/,
    );
  });

  test('githubSubject changes the sub of the next tokens; null restores it', async () => {
    await emu.configure({ githubSubject: 'repo:contoso/train:environment:prod' });
    expect(claimsOf(await getIDToken(emu.env, emu)).sub).toBe('repo:contoso/train:environment:prod');
    await emu.configure({ githubSubject: null });
    expect(claimsOf(await getIDToken(emu.env, emu)).sub).toBe(emu.identities.github.subject);
  });
});

describe('Azure DevOps ID tokens (SYSTEM_OIDCREQUESTURI)', () => {
  const az = () => emu.identities.azdo;
  const request = (
    query: string,
    headers: Record<string, string> = {
      Authorization: `Bearer ${az().systemAccessToken}`,
      'X-TFS-FedAuthRedirect': 'Suppress',
    },
    method = 'POST',
  ) =>
    raw(emu, `${emu.env.SYSTEM_OIDCREQUESTURI}${query}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'Content-Length': 0, ...headers },
    });

  test("POST ?api-version=7.1&serviceConnectionId=… → {oidcToken}: sub sc://org/project/connection, Entra's exchange audience", async () => {
    const res = await request(`?api-version=7.1&serviceConnectionId=${az().serviceConnectionId}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['oidcToken']);
    const c = claimsOf(res.json.oidcToken);
    expect(c).toMatchObject({
      iss: az().issuer,
      sub: 'sc://contoso/ml/aml-connection',
      aud: 'api://AzureADTokenExchange',
    });
    expect(c.exp - c.iat).toBe(600);
    expect(res.headers['x-vss-e2eid']).toBeTruthy();
    expect(await verifiedByIssuer(res.json.oidcToken)).toBe(true);
  });

  test("an unknown service connection: 404 with Azure DevOps's message", async () => {
    const res = await request('?api-version=7.1&serviceConnectionId=3f2504e0-4f89-41d3-9a0c-0305e82c3300');
    expect(res.status).toBe(404);
    expect(res.json.value).toBe(
      'There is no explicit reference to service connection 3f2504e0-4f89-41d3-9a0c-0305e82c3300 from current stage Stage_1.Job_1.__default.',
    );
  });

  test('a wrong access token: a bare 401 with X-TFS-FedAuthRedirect: Suppress, else the sign-in redirect', async () => {
    const suppressed = await request(`?api-version=7.1&serviceConnectionId=${az().serviceConnectionId}`, {
      Authorization: 'Bearer wrong',
      'X-TFS-FedAuthRedirect': 'Suppress',
    });
    expect(suppressed.status).toBe(401);
    expect(suppressed.text).toBe('');
    const redirected = await request(`?api-version=7.1&serviceConnectionId=${az().serviceConnectionId}`, {
      Authorization: 'Bearer wrong',
    });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.location).toMatch(/_signin\?realm=dev\.azure\.com&reply_to=/);
    expect(redirected.text).toContain('<h2>Object moved to <a href=');
  });

  test('no api-version: 400 VssVersionNotSpecifiedException; GET: 405', async () => {
    const res = await request(`?serviceConnectionId=${az().serviceConnectionId}`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      typeKey: 'VssVersionNotSpecifiedException',
      message: expect.stringMatching(/^No api-version was supplied for the POST request\./),
    });
    expect(
      (await request(`?api-version=7.1&serviceConnectionId=${az().serviceConnectionId}`, undefined, 'GET')).status,
    ).toBe(405);
  });

  test('azdoSubject changes the sub of the next tokens', async () => {
    await emu.configure({ azdoSubject: 'sc://contoso/ml/other-connection' });
    const res = await request(`?api-version=7.1&serviceConnectionId=${az().serviceConnectionId}`);
    expect(claimsOf(res.json.oidcToken).sub).toBe('sc://contoso/ml/other-connection');
  });

  test('the issuers log as service "oidc"', async () => {
    await emu.clearRequests();
    await getIDToken(emu.env, emu);
    expect((await emu.requests()).map((r) => `${r.service} ${r.method} ${r.status}`)).toEqual(['oidc GET 200']);
  });
});

import {
  bypassesProxy,
  describeError,
  errorFacts,
  networkEnvironment,
  sanitizeProxyUrl,
  setNetworkEnvironment,
} from '../../../src/core/errors/describe-error.js';
import { networkError, restError } from '../../helpers/fake-store.js';
import { labeller } from '../../../src/core/inputs/inputs.js';

const onGitHub = { label: labeller('github') };

const named = (name: string, message = 'details from Entra: AADSTS700016') =>
  Object.assign(new Error(message), { name });

describe('describeError', () => {
  const cases: Array<{ title: string; error: unknown; op?: 'read' | 'write' | 'recover' | 'purge'; expect: RegExp[] }> =
    [
      {
        title: 'RBAC',
        error: restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' }),
        expect: [/ForbiddenByRbac/, /Key Vault Secrets Officer/, /recover and purge need it too/],
      },
      {
        title: 'firewall',
        error: restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByFirewall' }),
        expect: [/ForbiddenByFirewall/, /firewall/, /self-hosted/],
      },
      {
        title: 'private link',
        error: restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByConnection' }),
        expect: [/ForbiddenByConnection/, /virtual network/],
      },
      {
        title: 'access policy, write',
        error: restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByPolicy' }),
        expect: [/access policy/, /permission\(s\) set/],
      },
      {
        title: 'access policy, purge',
        op: 'purge',
        error: restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByPolicy' }),
        expect: [/permission\(s\) purge/],
      },
      {
        title: 'access policy (old code)',
        error: restError({ statusCode: 403, code: 'AccessDenied' }),
        expect: [/access policy/],
      },
      {
        title: 'disabled',
        op: 'read',
        error: restError({ statusCode: 403, code: 'Forbidden', innerCode: 'SecretDisabled' }),
        expect: [/^read failed: /, /disabled/],
      },
      {
        title: 'purge protection',
        op: 'purge',
        error: restError({
          statusCode: 403,
          code: 'Forbidden',
          message: 'Operation "purge" is not allowed because purge protection is enabled for this vault.',
        }),
        expect: [/purge protection/, /on-deleted: recover/],
      },
      {
        title: '403 unknown',
        error: restError({ statusCode: 403, code: 'Forbidden' }),
        expect: [/access denied \(403 Forbidden\)/],
      },
      { title: '401', error: restError({ statusCode: 401, code: 'Unauthorized' }), expect: [/sign-in \(401\)/] },
      {
        title: 'AuthenticationError',
        error: named('AuthenticationError'),
        expect: [/could not sign in/, /AADSTS700016/],
      },
      {
        title: 'CredentialUnavailableError',
        error: named('CredentialUnavailableError', 'ManagedIdentityCredential: unavailable'),
        expect: [/could not sign in to Azure \(ManagedIdentityCredential: unavailable\)\. Check the credential/],
      },
      {
        title: 'deleted but recoverable',
        error: restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsDeletedButRecoverable' }),
        expect: [/soft-deleted/, /on-deleted/],
      },
      {
        title: 'being deleted',
        error: restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsBeingDeleted' }),
        expect: [/still being deleted/],
      },
      {
        title: 'being recovered',
        error: restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsBeingRecovered' }),
        expect: [/still being recovered/],
      },
      {
        title: 'recover 404',
        op: 'recover',
        error: restError({ statusCode: 404, code: 'SecretNotFound' }),
        expect: [/not found among the soft-deleted/],
      },
      {
        title: 'throttled',
        error: restError({ statusCode: 429, code: 'Throttled' }),
        expect: [/429 Throttled/, /max-concurrency/],
      },
      {
        title: '503',
        error: restError({ statusCode: 503, code: 'ServiceUnavailable' }),
        expect: [/unavailable \(503\)/],
      },
      {
        title: '400',
        error: restError({
          statusCode: 400,
          code: 'BadParameter',
          message: 'The request URI contains an invalid name: a_b',
        }),
        expect: [/rejected the request \(400 BadParameter\)/, /invalid name: a_b/],
      },
      { title: 'ECONNREFUSED', error: networkError('ECONNREFUSED'), expect: [/connection refused/, /vault-url/] },
      { title: 'ENOTFOUND', error: networkError('ENOTFOUND'), expect: [/host not found/, /vault name or URL/] },
      { title: 'ECONNRESET', error: networkError('ECONNRESET'), expect: [/network error \(ECONNRESET\)/] },
      { title: 'TLS', error: networkError('SELF_SIGNED_CERT_IN_CHAIN'), expect: [/NODE_EXTRA_CA_CERTS/] },
      {
        title: 'request id',
        error: restError({
          statusCode: 403,
          code: 'Forbidden',
          innerCode: 'ForbiddenByRbac',
          headers: { 'x-ms-request-id': 'abc-123' },
        }),
        expect: [/request id abc-123/],
      },
      {
        title: 'unknown status',
        error: restError({ statusCode: 418, code: 'Teapot' }),
        expect: [/unexpected response 418 Teapot/],
      },
      { title: 'not an error', error: 42, expect: [/unexpected error \(number\)/] },
    ];

  it.each(cases)('$title', ({ error, op, expect: patterns }) => {
    const text = describeError(error, op ?? 'write', onGitHub);
    expect(text).toMatch(new RegExp(`^${op ?? 'write'} failed: `));
    for (const p of patterns) expect(text).toMatch(p);
  });

  it('never echoes the request (which can carry the value) nor an arbitrary error message', () => {
    const value = 'VALUE-THAT-MUST-NOT-LEAK';
    const error = Object.assign(new Error(`Error parsing response body: {"value":"${value}"}`), {
      name: 'RestError',
      statusCode: 200,
      code: 'PARSE_ERROR',
      request: { body: JSON.stringify({ value }) },
      response: { status: 200, bodyAsText: `{"value":"${value}"`, headers: {} },
    });
    expect(describeError(error, 'write', onGitHub)).not.toContain(value);
    expect(describeError(new Error(value), 'write', onGitHub)).not.toContain(value);
  });

  it('reads the inner code from the SDK error details (deserialized body)', () => {
    const error = Object.assign(new Error('Caller is not authorized'), {
      name: 'RestError',
      statusCode: 403,
      code: 'Forbidden',
      details: {
        error: { code: 'Forbidden', message: 'Caller is not authorized', innerError: { code: 'ForbiddenByRbac' } },
      },
      response: { headers: { get: (n: string) => (n === 'x-ms-request-id' ? 'rid-9' : undefined) } },
    });
    expect(errorFacts(error)).toEqual({
      name: 'RestError',
      statusCode: 403,
      code: 'Forbidden',
      serviceCodes: ['Forbidden', 'ForbiddenByRbac'],
      serviceMessage: 'Caller is not authorized',
      requestId: 'rid-9',
    });
    expect(describeError(error, 'read', onGitHub)).toMatch(/ForbiddenByRbac.*request id rid-9/);
  });

  it('flattens the service message to one line', () => {
    const error = restError({
      statusCode: 403,
      code: 'Forbidden',
      innerCode: 'ForbiddenByRbac',
      message: 'Caller is not authorized.\r\nCaller: appid=1\r\nAction: x',
    });
    expect(describeError(error, 'write', onGitHub)).toContain(
      'Key Vault said: Caller is not authorized. Caller: appid=1 Action: x',
    );
  });
});

describe('proxies: the cause is named with the proxy, the host and the variables, never credentials', () => {
  const VAULT = 'https://kv-train.vault.azure.net/secrets/db?api-version=2025-07-01';
  /** What the SDK hands on when the proxy answers the CONNECT itself: a status, none of Key Vault's headers. */
  const proxyAnswer = (statusCode: number) =>
    Object.assign(new Error(`Unexpected status code: ${statusCode}`), {
      name: 'RestError',
      statusCode,
      request: { url: VAULT, body: 'SHOULD-NEVER-BE-READ' },
      response: { status: statusCode, headers: { 'content-length': '0' } },
    });
  const withRequest = (e: Error) => Object.assign(e, { request: { url: VAULT, body: 'SHOULD-NEVER-BE-READ' } });
  afterEach(() => setNetworkEnvironment({}));

  test('networkEnvironment reads the variables as the SDK does and strips user info', () => {
    const n = networkEnvironment({
      https_proxy: 'http://alice:s3cr3t@proxy.corp:3128/x?y=1',
      NO_PROXY: 'localhost,.corp',
    });
    expect(n).toEqual({
      proxy: { variable: 'https_proxy', url: 'http://proxy.corp:3128', hasCredentials: true },
      noProxy: { variable: 'NO_PROXY', value: 'localhost,.corp' },
    });
    expect(networkEnvironment({ HTTP_PROXY: 'proxy:8080', HTTPS_PROXY: '' }).proxy?.variable).toBe('HTTP_PROXY');
    expect(networkEnvironment({ AGENT_PROXYURL: 'http://u:p@agentproxy:8888' }).agentProxy).toBe(
      'http://agentproxy:8888',
    );
    expect(sanitizeProxyUrl('http://a:b@[::1]:3128')).toEqual({ url: 'http://[::1]:3128', hasCredentials: true });
    expect(JSON.stringify(sanitizeProxyUrl('not a url ::: p@ss'))).not.toContain('p@ss');
  });

  test.each([
    ['kv.vault.azure.net', '.vault.azure.net', true],
    ['vault.azure.net', '.vault.azure.net', true],
    ['kv.vault.azure.net', 'vault.azure.net', false],
    ['localhost', 'localhost,127.0.0.1', true],
    ['anything', '*', true],
    ['kv.vault.azure.net', '', false],
  ])('NO_PROXY: %s with %j bypasses: %s', (host, noProxy, expected) => {
    expect(bypassesProxy(host, noProxy)).toBe(expected);
  });

  test.each([
    [
      403,
      /the HTTPS proxy http:\/\/proxy\.corp:3128 refused the tunnel to kv-train\.vault\.azure\.net \(403; the answer came from the proxy/,
    ],
    [502, /refused the tunnel to kv-train\.vault\.azure\.net \(502/],
  ])('a %i from the proxy is the proxy refusing the tunnel, not Key Vault', (status, expected) => {
    setNetworkEnvironment(networkEnvironment({ HTTPS_PROXY: 'http://alice:s3cr3t@proxy.corp:3128' }));
    const message = describeError(proxyAnswer(status), 'read', onGitHub);
    expect(message).toMatch(expected);
    expect(message).toMatch(/in play: HTTPS_PROXY=http:\/\/proxy\.corp:3128, NO_PROXY not set/);
    expect(message).not.toMatch(/alice|s3cr3t|SHOULD-NEVER/);
    expect(message).not.toMatch(/Key Vault Secrets Officer/);
  });

  test('407: credentials wanted, or the ones given refused', () => {
    setNetworkEnvironment(networkEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128' }));
    expect(describeError(proxyAnswer(407), 'read', onGitHub)).toMatch(/wants credentials .* put them in HTTPS_PROXY/);
    setNetworkEnvironment(networkEnvironment({ HTTPS_PROXY: 'http://bob:hunter2@proxy.corp:3128' }));
    const refused = describeError(proxyAnswer(407), 'read', onGitHub);
    expect(refused).toMatch(/refused the credentials in HTTPS_PROXY/);
    expect(refused).not.toMatch(/bob|hunter2/);
  });

  test("Key Vault's own 403 through a proxy is still Key Vault's", () => {
    setNetworkEnvironment(networkEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128' }));
    const kv = withRequest(restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' }));
    expect(describeError(kv, 'read', onGitHub)).toMatch(/ForbiddenByRbac/);
  });

  test('TLS interception, a stall, an unresolvable proxy and an unknown failure name the proxy', () => {
    setNetworkEnvironment(networkEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'localhost' }));
    expect(describeError(withRequest(networkError('SELF_SIGNED_CERT_IN_CHAIN')), 'read', onGitHub)).toMatch(
      /certificate presented for kv-train\.vault\.azure\.net is not trusted .* HTTPS proxy http:\/\/proxy\.corp:3128, which may be inspecting TLS: point NODE_EXTRA_CA_CERTS/,
    );
    expect(
      describeError(withRequest(Object.assign(new Error('aborted'), { name: 'AbortError' })), 'write', onGitHub),
    ).toMatch(/connection to kv-train\.vault\.azure\.net through the HTTPS proxy http:\/\/proxy\.corp:3128 stalled/);
    expect(describeError(withRequest(networkError('ENOTFOUND')), 'read', onGitHub)).toMatch(
      /through the HTTPS proxy .* proxy's name resolves/,
    );
    expect(describeError(withRequest(new TypeError('x')), 'read', onGitHub)).toMatch(
      /could not reach kv-train\.vault\.azure\.net through the HTTPS proxy http:\/\/proxy\.corp:3128 \(TypeError\); the answer was not Key Vault's.*wants credentials \(407\): check HTTPS_PROXY and NO_PROXY \(in play: HTTPS_PROXY=http:\/\/proxy\.corp:3128, NO_PROXY=localhost\)/,
    );
  });

  test('a host in NO_PROXY is not blamed on the proxy; without a proxy, DNS and stalls name the host', () => {
    setNetworkEnvironment(networkEnvironment({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.vault.azure.net' }));
    expect(describeError(withRequest(networkError('ENOTFOUND')), 'read', onGitHub)).toMatch(
      /host not found \(ENOTFOUND\): kv-train\.vault\.azure\.net does not resolve/,
    );
    setNetworkEnvironment({});
    expect(
      describeError(withRequest(Object.assign(new Error('aborted'), { name: 'AbortError' })), 'read', onGitHub),
    ).toMatch(/the connection to kv-train\.vault\.azure\.net stalled/);
  });

  test("the agent's own proxy is not the SDK's: said so on a network failure", () => {
    setNetworkEnvironment(networkEnvironment({ AGENT_PROXYURL: 'http://agentproxy:8888' }));
    expect(describeError(withRequest(networkError('ECONNREFUSED')), 'read', onGitHub)).toMatch(
      /the agent has a proxy \(http:\/\/agentproxy:8888, Agent\.ProxyUrl\) but the Azure SDK does not use it: set HTTPS_PROXY/,
    );
  });
});

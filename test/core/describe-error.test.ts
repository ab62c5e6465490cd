import { describeError, errorFacts } from '../../src/core/describe-error.js';
import { networkError, restError } from '../helpers/fake-store.js';
import { labeller } from '../../src/core/inputs.js';

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
        expect: [/purge protection/, /on-deleted recover/],
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
        expect: [/could not sign in to Azure \(CredentialUnavailableError\).*ManagedIdentityCredential: unavailable/],
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

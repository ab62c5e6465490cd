// An Entra-like authority on its own HTTPS listener (`authorityHost` in the start line), enough for
// MSAL (msal-node 5, what @azure/identity 4.13.1 uses) to sign in an app unmodified:
//   GET  /{tenant}/v2.0/.well-known/openid-configuration   OIDC discovery (MSAL reads it for any authority
//                                                          host it has no hard-coded metadata for)
//   GET  /{tenant}/discovery/v2.0/keys                     the access-token signing key (JWKS)
//   GET  /common/discovery/instance?api-version=1.1&authorization_endpoint=…
//                                                          instance discovery; MSAL sends it to
//                                                          login.microsoftonline.com whatever the authority,
//                                                          which the discovery proxy routes here
//   POST /{tenant}/oauth2/v2.0/token                       client credentials: client_secret, or a
//                                                          client_assertion (a certificate-signed JWT, or
//                                                          a GitHub / Azure DevOps ID token matching a
//                                                          federated credential)
// Access tokens are v1 JWTs (tokens.ts) with aud = the requested resource (scope without "/.default");
// the resource servers (vaults, ARM) decide whether that audience is theirs.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from './directory.js';
import { thumbprints } from './directory.js';
import * as entraErrors from './entra-errors.js';
import { EntraError } from './entra-errors.js';
import { mediaType, readBody, requestOrigin, sendJson } from './http-io.js';
import { findByClientId, TENANT_ID } from './identities.js';
import type { Principal } from './identities.js';
import type { Logger } from './logger.js';
import { userAgentOf, type RequestLog } from './request-log.js';
import { decodeJwt, issueToken, keyId, verifyJwtSignature } from './tokens.js';
import type { DecodedJwt } from './tokens.js';

/** Entra's lifetime for app-only tokens is 60–90 minutes; client-credential responses commonly say 3599. */
export const ENTRA_TOKEN_LIFETIME_SECONDS = 3599;
const CLOCK_SKEW_SECONDS = 300;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Tenants that name no directory: MSAL refuses client credentials for them before any request. */
const META_TENANTS = ['common', 'organizations', 'consumers'];
const TENANT_SHAPE = /^[a-z0-9][a-z0-9.-]{0,252}$/i;

export interface EntraDeps {
  log: RequestLog;
  logger: Logger;
  keys: { privateKey: KeyObject; publicKey: KeyObject };
  directory: Directory;
  /** The OIDC issuers' signing key (federated assertions are verified with it). */
  oidcPublicKey: KeyObject;
  /** Port of the authority listener, set once it listens (instance discovery vouches for it). */
  authorityPort: number;
}

/** `viaProxy`: the handler behind the discovery proxy, which answers only instance discovery. */
export function createEntraHandler(
  deps: EntraDeps,
  viaProxy?: { host: string },
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://localhost');
    res.on('close', () => {
      const status = res.writableFinished ? res.statusCode : 0;
      deps.log.add({
        service: 'entra',
        method,
        path: url.pathname,
        status,
        ...(viaProxy ? { host: viaProxy.host } : {}),
        ...userAgentOf(req.headers),
      });
      deps.logger.request(
        `entra ${viaProxy ? `${viaProxy.host} ` : ''}${method} ${url.pathname.slice(0, 200)} ${status} ${Date.now() - started}ms`,
      );
    });
    route(deps, req, res, method, url, viaProxy !== undefined).catch((err: unknown) => {
      if (req.destroyed && res.destroyed) return;
      deps.logger.error(
        `entra: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      sendJson(res, 500, { error: 'server_error', error_description: 'internal error' });
    });
  };
}

async function route(
  deps: EntraDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
  viaProxy: boolean,
): Promise<void> {
  const segs = url.pathname.split('/').filter((s) => s !== '');
  const lower = segs.map((s) => s.toLowerCase());
  const correlationId = correlation(req);
  const fail = (err: EntraError) => sendJson(res, err.status, err.toBody(correlationId), entraHeaders(correlationId));

  if (method === 'GET' && segs.length === 3 && lower[1] === 'discovery' && lower[2] === 'instance')
    return instanceDiscovery(deps, res, url, correlationId);
  if (viaProxy)
    return sendJson(res, 404, {
      error: 'not_found',
      error_description: "The emulator's discovery proxy answers only instance discovery (ours).",
    });

  const tenant = segs[0] ?? '';
  if (
    method === 'GET' &&
    (matches(lower, ['*', 'v2.0', '.well-known', 'openid-configuration']) ||
      matches(lower, ['*', '.well-known', 'openid-configuration']))
  ) {
    if (!TENANT_SHAPE.test(tenant)) return fail(entraErrors.tenantNotFound(tenant));
    return sendJson(
      res,
      200,
      openIdConfiguration(requestOrigin(req, `https://localhost:${deps.authorityPort}`), tenant),
      entraHeaders(correlationId),
    );
  }
  if (
    method === 'GET' &&
    (matches(lower, ['*', 'discovery', 'v2.0', 'keys']) || matches(lower, ['*', 'discovery', 'keys']))
  ) {
    return sendJson(res, 200, { keys: [jwk(deps.keys.publicKey)] }, entraHeaders(correlationId));
  }
  if (matches(lower, ['*', 'oauth2', 'v2.0', 'token'])) {
    if (method !== 'POST')
      return sendJson(res, 405, { error: 'invalid_request', error_description: 'Use POST (ours).' }, { Allow: 'POST' });
    try {
      const body = await tokenRequest(deps, req, tenant);
      return sendJson(res, 200, body, entraHeaders(correlationId));
    } catch (err) {
      if (err instanceof EntraError) return fail(err);
      throw err;
    }
  }
  sendJson(res, 404, {
    error: 'not_found',
    error_description: `The emulator's authority has nothing at ${url.pathname} (ours).`,
  });
}

const matches = (segs: string[], pattern: string[]) =>
  segs.length === pattern.length && pattern.every((p, i) => p === '*' || p === segs[i]);

function correlation(req: IncomingMessage): string {
  const id = req.headers['client-request-id'];
  return typeof id === 'string' && /^[\w-]{1,100}$/.test(id) ? id : randomUUID();
}

function entraHeaders(correlationId: string): Record<string, string> {
  return {
    'Cache-Control': 'no-store, no-cache',
    Pragma: 'no-cache',
    'client-request-id': correlationId,
    'x-ms-request-id': randomUUID(),
  };
}

/** The v2.0 discovery document, shaped like Entra's (Azure/azure-workload-identity#682 quotes a real one). */
function openIdConfiguration(origin: string, tenant: string): Record<string, unknown> {
  const t = META_TENANTS.includes(tenant.toLowerCase())
    ? '{tenantid}'
    : tenant.toLowerCase() === TENANT_ID
      ? TENANT_ID
      : tenant;
  const base = `${origin}/${t}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * The clouds' aliases, as Entra's instance discovery lists them (msal-common AuthorityMetadata.mjs keeps
 * a copy of that response). MSAL takes any authority that instance discovery answers for as trusted.
 */
const KNOWN_CLOUD_METADATA = [
  {
    preferred_network: 'login.microsoftonline.com',
    preferred_cache: 'login.windows.net',
    aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  },
  {
    preferred_network: 'login.partner.microsoftonline.cn',
    preferred_cache: 'login.partner.microsoftonline.cn',
    aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  },
  {
    preferred_network: 'login.microsoftonline.de',
    preferred_cache: 'login.microsoftonline.de',
    aliases: ['login.microsoftonline.de'],
  },
  {
    preferred_network: 'login.microsoftonline.us',
    preferred_cache: 'login.microsoftonline.us',
    aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  {
    preferred_network: 'login-us.microsoftonline.com',
    preferred_cache: 'login-us.microsoftonline.com',
    aliases: ['login-us.microsoftonline.com'],
  },
];

/**
 * Instance discovery: Entra vouches for the authorities it knows and answers `invalid_instance` for
 * others (MSAL then refuses the authority as untrusted). The emulator vouches for its own authority
 * host (localhost, 127.0.0.1 or [::1] on the authority port) and the clouds' hosts.
 */
function instanceDiscovery(deps: EntraDeps, res: ServerResponse, url: URL, correlationId: string): void {
  const endpoint = url.searchParams.get('authorization_endpoint') ?? '';
  let target: URL | undefined;
  try {
    target = new URL(endpoint);
  } catch {
    target = undefined;
  }
  const own =
    target !== undefined &&
    target.protocol === 'https:' &&
    ['localhost', '127.0.0.1', '[::1]'].includes(target.hostname) &&
    Number(target.port) === deps.authorityPort;
  const known = target !== undefined && KNOWN_CLOUD_METADATA.some((m) => m.aliases.includes(target!.host));
  if (!target || !(own || known)) {
    const err = entraErrors.unknownInstance();
    return sendJson(res, err.status, err.toBody(correlationId), entraHeaders(correlationId));
  }
  const tenant = target.pathname.split('/').filter(Boolean)[0] ?? 'common';
  sendJson(
    res,
    200,
    {
      tenant_discovery_endpoint: `${target.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: KNOWN_CLOUD_METADATA,
    },
    entraHeaders(correlationId),
  );
}

function jwk(publicKey: KeyObject): Record<string, unknown> {
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kty: 'RSA', use: 'sig', kid: keyId(publicKey), n, e };
}

// --- the token endpoint --------------------------------------------------------------------------

async function tokenRequest(deps: EntraDeps, req: IncomingMessage, tenant: string): Promise<Record<string, unknown>> {
  if (tenant.toLowerCase() !== TENANT_ID) throw entraErrors.tenantNotFound(tenant);
  const form = await readForm(req);
  const grantType = form.get('grant_type');
  if (!grantType) throw entraErrors.missingParameter('grant_type');
  if (grantType !== 'client_credentials') throw entraErrors.unsupportedGrantType(grantType);
  const clientId = form.get('client_id');
  if (!clientId) throw entraErrors.missingParameter('client_id');
  const principal = findByClientId(clientId);
  if (!principal) throw entraErrors.applicationNotFound(clientId, TENANT_ID);
  const resource = resourceOf(form.get('scope'));

  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    const expected = deps.directory.secretOf(principal);
    if (expected === undefined || !sameSecret(secret, expected)) throw entraErrors.invalidClientSecret(clientId);
  } else if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER)
      throw entraErrors.invalidAssertion(`client_assertion_type must be '${JWT_BEARER}'.`);
    checkAssertion(deps, req, principal, clientId, tenant, assertion);
  } else {
    throw entraErrors.credentialRequired();
  }

  const { token } = issueToken(deps.keys, principal, resource, ENTRA_TOKEN_LIFETIME_SECONDS);
  return {
    token_type: 'Bearer',
    expires_in: ENTRA_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: ENTRA_TOKEN_LIFETIME_SECONDS,
    access_token: token,
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req, 256 * 1024, 1024 * 1024);
  if (body.kind !== 'ok') throw entraErrors.invalidAssertion('The request body is too large (ours).');
  const type = mediaType(req.headers['content-type']);
  if (type !== 'application/x-www-form-urlencoded') throw entraErrors.missingParameter('grant_type');
  return new URLSearchParams(body.body.toString('utf8'));
}

/** scope = "<resource>/.default" (OIDC scopes aside): the token's audience is the resource. */
function resourceOf(scope: string | null): string {
  if (!scope) throw entraErrors.missingParameter('scope');
  const scopes = scope
    .split(' ')
    .filter((s) => s !== '' && !['openid', 'profile', 'offline_access', 'email'].includes(s));
  const resources = scopes.filter((s) => s.endsWith('/.default')).map((s) => s.slice(0, -'/.default'.length));
  if (scopes.length !== 1 || resources.length !== 1 || resources[0] === '') throw entraErrors.invalidScope(scope);
  return resources[0]!;
}

/**
 * A client assertion is either issued by the app itself (iss = sub = client id, aud = the token endpoint)
 * and signed by one of its certificates (MSAL names it by x5t or x5t#S256 in the header), or an ID token
 * from an issuer one of the app's federated credentials trusts, whose (iss, sub, aud) matches that
 * credential exactly (case-sensitively, as Entra matches since 2025).
 */
function checkAssertion(
  deps: EntraDeps,
  req: IncomingMessage,
  principal: Principal,
  clientId: string,
  tenant: string,
  assertion: string,
): void {
  const jwt = decodeJwt(assertion);
  if (!jwt) throw entraErrors.invalidAssertion('The client assertion is not a JWT.');
  const nowSeconds = Math.floor(Date.now() / 1000);
  const iss = typeof jwt.claims.iss === 'string' ? jwt.claims.iss : '';
  const sub = typeof jwt.claims.sub === 'string' ? jwt.claims.sub : '';
  const audiences = audiencesOf(jwt);

  // Issued by the app itself (iss = client id): signed with one of its certificates, named by thumbprint.
  if (iss.toLowerCase() === clientId.toLowerCase()) {
    const x5tS256 = jwt.header['x5t#S256'];
    const x5t = jwt.header.x5t;
    const thumbprint =
      typeof x5tS256 === 'string'
        ? { alg: 'sha256' as const, value: x5tS256 }
        : typeof x5t === 'string'
          ? { alg: 'sha1' as const, value: x5t }
          : undefined;
    if (!thumbprint) throw entraErrors.assertionKeyNotFound(principal.appId);
    const hex = Buffer.from(thumbprint.value, 'base64url').toString('hex').toUpperCase();
    const cert = deps.directory
      .certificatesOf(principal)
      .find((c) => thumbprints(c)[thumbprint.alg].toString('hex').toUpperCase() === hex);
    if (!cert) throw entraErrors.assertionKeyNotFound(principal.appId, hex);
    if (!verifyJwtSignature(jwt, cert.publicKey))
      throw entraErrors.assertionSignatureInvalid(
        principal.appId,
        hex,
        new Date(cert.validFrom),
        new Date(cert.validTo),
      );
    checkLifetime(jwt, nowSeconds);
    if (sub !== iss)
      throw entraErrors.invalidAssertion(`The assertion's sub must be the client id '${clientId}' (ours).`);
    const origins = new Set([
      requestOrigin(req, `https://localhost:${deps.authorityPort}`),
      `https://localhost:${deps.authorityPort}`,
    ]);
    const accepted = [...origins]
      .flatMap((o) => [`${o}/${tenant}/oauth2/v2.0/token`, `${o}/${tenant}/oauth2/token`, `${o}/${tenant}/v2.0`])
      .map((a) => a.toLowerCase());
    if (!audiences.some((a) => accepted.includes(a.toLowerCase())))
      throw entraErrors.invalidAssertion(
        `The assertion's audience '${audiences.join(', ')}' is not this token endpoint (ours).`,
      );
    return;
  }

  // A federated token: only the emulator's own issuers are known (their keys are the OIDC key).
  const trusted = [deps.directory.issuers.github, deps.directory.issuers.azdo].includes(iss);
  if (!trusted) throw entraErrors.noMatchingFederatedIdentity(iss, sub, audiences.join(', '));
  if (!verifyJwtSignature(jwt, deps.oidcPublicKey)) throw entraErrors.assertionKeyNotFound(principal.appId);
  checkLifetime(jwt, nowSeconds);
  const match = deps.directory
    .federatedCredentials(clientId)
    .some((c) => c.issuer === iss && c.subject === sub && audiences.includes(c.audience));
  if (!match) throw entraErrors.noMatchingFederatedIdentity(iss, sub, audiences.join(', '));
}

function checkLifetime(jwt: DecodedJwt, nowSeconds: number): void {
  const exp = typeof jwt.claims.exp === 'number' ? jwt.claims.exp : undefined;
  const nbf = typeof jwt.claims.nbf === 'number' ? jwt.claims.nbf : undefined;
  if (
    exp === undefined ||
    exp + CLOCK_SKEW_SECONDS < nowSeconds ||
    (nbf !== undefined && nbf - CLOCK_SKEW_SECONDS > nowSeconds)
  )
    throw entraErrors.assertionNotInValidTimeRange(nowSeconds, nbf, exp);
}

function audiencesOf(jwt: DecodedJwt): string[] {
  const aud = jwt.claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

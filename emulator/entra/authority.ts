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
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestOrigin, sendJson } from '../common/http-io.js';
import type { Logger } from '../common/logger.js';
import { userAgentOf, type RequestLog } from '../common/request-log.js';
import * as entraErrors from './errors.js';
import { EntraError } from './errors.js';
import { TENANT_ID } from './identities.js';
import { tokenRequest } from './token-endpoint.js';
import type { TokenEndpointDeps } from './token-endpoint.js';
import { keyId } from './tokens.js';

/** Tenants that name no directory: MSAL refuses client credentials for them before any request. */
const META_TENANTS = ['common', 'organizations', 'consumers'];
const TENANT_SHAPE = /^[a-z0-9][a-z0-9.-]{0,252}$/i;

export interface EntraDeps extends TokenEndpointDeps {
  log: RequestLog;
  logger: Logger;
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

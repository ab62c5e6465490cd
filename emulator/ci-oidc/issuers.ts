// The two CI OIDC issuers, on the control port, as a runner / an agent sees them:
//
// GitHub Actions (env ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN, what
// `permissions: id-token: write` gives a job):
//   GET {ACTIONS_ID_TOKEN_REQUEST_URL}&audience=<aud>   Authorization: Bearer <request token>
//     → 200 {"value":"<ID token>"}   (iss = the emulator's GitHub issuer, sub = the configured subject)
//
// Azure DevOps (env SYSTEM_OIDCREQUESTURI, what AzurePipelinesCredential reads; oidctoken REST 7.1):
//   POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=<id>
//        Authorization: Bearer <System.AccessToken>, X-TFS-FedAuthRedirect: Suppress
//     → 200 {"oidcToken":"<ID token>"}   (sub = sc://<org>/<project>/<service connection name>)
//
// Both issuers publish /.well-known/openid-configuration and a JWKS (the key in oidc-key.pem).
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as azdoErrors from './azdo-errors.js';
import type { Directory } from '../entra/directory.js';
import { TOKEN_EXCHANGE_AUDIENCE } from '../entra/directory.js';
import * as githubErrors from './github-errors.js';
import { requestOrigin, sendEmpty, sendJson } from '../common/http-io.js';
import type { Logger } from '../common/logger.js';
import { userAgentOf, type RequestLog } from '../common/request-log.js';
import { keyId, signJwt } from '../entra/tokens.js';

// --- GitHub: the repository and run the emulator plays ----------------------------------------------
export const GITHUB = {
  owner: 'contoso',
  repository: 'contoso/train',
  ref: 'refs/heads/main',
  defaultSubject: 'repo:contoso/train:ref:refs/heads/main',
  planId: '7e57c0de-0000-4000-8000-00000000a0a1',
  jobId: '7e57c0de-0000-4000-8000-00000000a0a2',
  /** Lifetime after iat and validity before it (docs.github.com example token). */
  lifetimeSeconds: 300,
  notBeforeSeconds: 600,
} as const;

// --- Azure DevOps: the organization, project and service connection ----------------------------------
export const AZDO = {
  organization: 'contoso',
  organizationId: '7e57c0de-0000-4000-8000-00000000d0a1',
  project: 'ml',
  projectId: '7e57c0de-0000-4000-8000-00000000d0a2',
  planId: '7e57c0de-0000-4000-8000-00000000d0a3',
  jobId: '7e57c0de-0000-4000-8000-00000000d0a4',
  serviceConnectionName: 'aml-connection',
  serviceConnectionId: '7e57c0de-0000-4000-8000-00000000d0a5',
  defaultSubject: 'sc://contoso/ml/aml-connection',
  /** Ours: Azure DevOps ID tokens are short-lived; the exact lifetime is not documented. */
  lifetimeSeconds: 600,
} as const;

const GITHUB_BASE = '/github';
const GITHUB_TOKEN_PATH = `${GITHUB_BASE}/_apis/distributedtask/hubs/Actions/plans/${GITHUB.planId}/jobs/${GITHUB.jobId}/idtoken`;
const AZDO_ISSUER_PATH = `/azdo/vstoken/${AZDO.organizationId}`;
const AZDO_TOKEN_PATH = `/azdo/${AZDO.organization}/${AZDO.projectId}/_apis/distributedtask/hubs/build/plans/${AZDO.planId}/jobs/${AZDO.jobId}/oidctoken`;
const AZDO_API_VERSIONS = ['7.1', '7.1-preview.1', '7.2-preview.1'];

/** The issuer URLs and the request URLs a runner/agent would get, for a control port origin. */
/** The issuers' URLs and the token-request URLs the CI runtimes are given, on the control port. */
export type CiEndpoints = ReturnType<typeof ciEndpoints>;

export function ciEndpoints(controlUrl: string) {
  return {
    githubIssuer: `${controlUrl}${GITHUB_BASE}`,
    githubTokenRequestUrl: `${controlUrl}${GITHUB_TOKEN_PATH}?api-version=2.0`,
    azdoIssuer: `${controlUrl}${AZDO_ISSUER_PATH}`,
    azdoOidcRequestUri: `${controlUrl}${AZDO_TOKEN_PATH}`,
  };
}

export interface CiOidcDeps {
  log: RequestLog;
  logger: Logger;
  directory: Directory;
  keys: { privateKey: KeyObject; publicKey: KeyObject };
}

/** True when the path belongs to an issuer (and the response was sent). */
export function handleCiOidc(req: IncomingMessage, res: ServerResponse, url: URL, deps: CiOidcDeps): boolean {
  const path = url.pathname;
  if (!path.startsWith(`${GITHUB_BASE}/`) && !path.startsWith('/azdo/')) return false;
  const started = Date.now();
  const method = req.method ?? 'GET';
  res.on('close', () => {
    const status = res.writableFinished ? res.statusCode : 0;
    deps.log.add({ service: 'oidc', method, path, status, ...userAgentOf(req.headers) });
    deps.logger.request(`oidc ${method} ${path.slice(0, 200)} ${status} ${Date.now() - started}ms`);
  });
  const issuers = deps.directory.issuers;
  if (path === `${GITHUB_BASE}/.well-known/openid-configuration`) sendJson(res, 200, discovery(issuers.github));
  else if (path === `${GITHUB_BASE}/.well-known/jwks`) sendJson(res, 200, jwks(deps.keys.publicKey));
  else if (path === `${AZDO_ISSUER_PATH}/.well-known/openid-configuration`) sendJson(res, 200, discovery(issuers.azdo));
  else if (path === `${AZDO_ISSUER_PATH}/.well-known/jwks`) sendJson(res, 200, jwks(deps.keys.publicKey));
  else if (path.toLowerCase() === GITHUB_TOKEN_PATH.toLowerCase()) githubIdToken(req, res, url, deps);
  else if (path.toLowerCase() === AZDO_TOKEN_PATH.toLowerCase()) azdoOidcToken(req, res, url, deps);
  else sendJson(res, 404, { message: `nothing at ${path} (ours)` });
  return true;
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function githubIdToken(req: IncomingMessage, res: ServerResponse, url: URL, deps: CiOidcDeps): void {
  if (req.method !== 'GET') return sendJson(res, 405, { message: 'Use GET (ours).' }, { Allow: 'GET' });
  if (!sameSecret(bearer(req), deps.directory.githubRequestToken))
    return sendJson(res, 401, githubErrors.unauthorized());
  const now = Math.floor(Date.now() / 1000);
  const audience = url.searchParams.get('audience') ?? githubErrors.defaultAudience(GITHUB.owner);
  const sha = 'd0c5a1e8f00dfeed0000c0ffee0000a11ce00000';
  const claims = {
    jti: randomUUID(),
    sub: deps.directory.subjects.github,
    aud: audience,
    ref: GITHUB.ref,
    sha,
    repository: GITHUB.repository,
    repository_owner: GITHUB.owner,
    repository_owner_id: '1000001',
    run_id: '4242424242',
    run_number: '17',
    run_attempt: '1',
    repository_visibility: 'private',
    repository_id: '1000002',
    actor_id: '1000003',
    actor: 'octocat',
    workflow: 'train',
    head_ref: '',
    base_ref: '',
    event_name: 'push',
    ref_protected: 'true',
    ref_type: 'branch',
    workflow_ref: `${GITHUB.repository}/.github/workflows/train.yml@${GITHUB.ref}`,
    workflow_sha: sha,
    job_workflow_ref: `${GITHUB.repository}/.github/workflows/train.yml@${GITHUB.ref}`,
    job_workflow_sha: sha,
    runner_environment: 'github-hosted',
    iss: deps.directory.issuers.github,
    nbf: now - GITHUB.notBeforeSeconds,
    exp: now + GITHUB.lifetimeSeconds,
    iat: now,
  };
  sendJson(res, 200, { value: signJwt(deps.keys.privateKey, keyId(deps.keys.publicKey), claims) });
}

function azdoOidcToken(req: IncomingMessage, res: ServerResponse, url: URL, deps: CiOidcDeps): void {
  const method = req.method ?? 'GET';
  // Azure DevOps tags every response; AzurePipelinesCredential quotes both headers in its errors.
  res.setHeader('x-vss-e2eid', randomUUID());
  res.setHeader(
    'x-msedge-ref',
    `Ref A: ${randomUUID().replace(/-/g, '').toUpperCase()} Ref B: LOCAL Ref C: ${new Date().toISOString()}`,
  );
  if (method !== 'POST')
    return sendJson(
      res,
      405,
      azdoErrors.vssException(
        `The requested resource does not support http method '${method}'.`,
        'System.Web.Http.HttpResponseException',
        'HttpResponseException',
      ),
    );
  if (!sameSecret(bearer(req), deps.directory.azdoSystemAccessToken)) {
    if (String(req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() === 'suppress') return sendEmpty(res, 401);
    const location = `${requestOrigin(req, 'https://localhost')}/azdo/_signin?realm=dev.azure.com&reply_to=${encodeURIComponent(url.pathname)}`;
    const html = azdoErrors.signInRedirectHtml(location);
    res.writeHead(302, {
      Location: location,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(html)),
    });
    res.end(html);
    return;
  }
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion) return sendJson(res, 400, azdoErrors.versionNotSpecified(method));
  if (!AZDO_API_VERSIONS.includes(apiVersion))
    return sendJson(
      res,
      400,
      azdoErrors.vssException(
        `The requested REST API version of ${apiVersion} is out of range for this server. The latest REST API version this server supports is 7.2 (ours).`,
        'Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException',
        'VssVersionOutOfRangeException',
      ),
    );
  const connection = url.searchParams.get('serviceConnectionId') ?? '';
  if (connection.toLowerCase() !== AZDO.serviceConnectionId)
    return sendJson(res, 404, azdoErrors.serviceConnectionNotReferenced(connection));
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    jti: randomUUID(),
    sub: deps.directory.subjects.azdo,
    aud: TOKEN_EXCHANGE_AUDIENCE,
    iss: deps.directory.issuers.azdo,
    nbf: now,
    exp: now + AZDO.lifetimeSeconds,
    iat: now,
  };
  sendJson(res, 200, { oidcToken: signJwt(deps.keys.privateKey, keyId(deps.keys.publicKey), claims) });
}

function discovery(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks`,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
  };
}

function jwks(publicKey: KeyObject): Record<string, unknown> {
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: keyId(publicKey), n, e }] };
}

// The authority's token endpoint, POST /{tenant}/oauth2/v2.0/token: client credentials with a client
// secret, or a client assertion (a certificate-signed JWT of the app itself, or a GitHub / Azure DevOps
// ID token that matches one of the app's federated credentials). Access tokens are v1 JWTs (tokens.ts).
import { timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mediaType, readBody, requestOrigin } from '../common/http-io.js';
import type { Directory } from './directory.js';
import { thumbprints } from './directory.js';
import * as entraErrors from './errors.js';
import { findByClientId, TENANT_ID } from './identities.js';
import type { Principal } from './identities.js';
import { decodeJwt, issueToken, verifyJwtSignature } from './tokens.js';
import type { DecodedJwt } from './tokens.js';

/** Entra's lifetime for app-only tokens is 60–90 minutes; client-credential responses commonly say 3599. */
export const ENTRA_TOKEN_LIFETIME_SECONDS = 3599;
const CLOCK_SKEW_SECONDS = 300;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TokenEndpointDeps {
  keys: { privateKey: KeyObject; publicKey: KeyObject };
  directory: Directory;
  /** The OIDC issuers' signing key (federated assertions are verified with it). */
  oidcPublicKey: KeyObject;
  /** Port of the authority listener, set once it listens (instance discovery vouches for it). */
  authorityPort: number;
}

export async function tokenRequest(
  deps: TokenEndpointDeps,
  req: IncomingMessage,
  tenant: string,
): Promise<Record<string, unknown>> {
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
  deps: TokenEndpointDeps,
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

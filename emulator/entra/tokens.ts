// Access tokens: compact JWTs signed RS256 with the key from the cert dir (tls.ts), carrying the
// caller's principal (oid/appid/tid) the way Entra v1 access tokens do. Only node:crypto is used.
import { constants, createHash, randomUUID, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Principal } from './identities.js';
import { tokenIssuer } from './identities.js';

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  appid: string;
  tid: string;
  idtyp: 'app';
  ver: '1.0';
  uti: string;
  xms_mirid?: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A short key id: the SHA-256 of the public key (SPKI DER), like a JWKS thumbprint. */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 27);
}

export function issueToken(
  key: { privateKey: KeyObject; publicKey: KeyObject },
  principal: Principal,
  audience: string,
  lifetimeSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): { token: string; claims: TokenClaims } {
  const claims: TokenClaims = {
    aud: audience,
    iss: tokenIssuer(principal.tenantId),
    iat: nowSeconds,
    nbf: nowSeconds - 300,
    exp: nowSeconds + lifetimeSeconds,
    oid: principal.objectId,
    sub: principal.objectId,
    appid: principal.appId,
    tid: principal.tenantId,
    idtyp: 'app',
    ver: '1.0',
    uti: randomUUID().replace(/-/g, ''),
    ...(principal.kind === 'managedIdentity' && principal.resourceId ? { xms_mirid: principal.resourceId } : {}),
  };
  return { token: signJwt(key.privateKey, keyId(key.publicKey), claims), claims };
}

/** Signs any claims object RS256 (tests use this to mint expired or foreign tokens). */
export function signJwt(
  privateKey: KeyObject,
  kid: string,
  claims: object,
  extraHeader: Record<string, string> = {},
): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...extraHeader, kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

export type VerifyFailure =
  | { reason: 'malformed' }
  | { reason: 'signature'; encodedHeader: string }
  | { reason: 'audience'; found: string }
  | { reason: 'issuer'; found: string }
  | { reason: 'expired' }
  | { reason: 'notYetValid' };

export type VerifyResult = { ok: true; claims: TokenClaims } | ({ ok: false } & VerifyFailure);

const CLOCK_SKEW_SECONDS = 300; // Entra/Key Vault tolerate five minutes of skew

/** Checks in the service's order: parse, signature (a key it knows), audience, issuer, lifetime. */
export function verifyToken(
  token: string,
  publicKey: KeyObject,
  expect: { audiences: readonly string[]; issuers: readonly string[] },
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isObject(header) || !isObject(claims)) return { ok: false, reason: 'malformed' };
  const signatureOk =
    header.alg === 'RS256' && verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'));
  if (!signatureOk) return { ok: false, reason: 'signature', encodedHeader: h };
  const c = claims as Partial<TokenClaims>;
  if (typeof c.aud !== 'string' || !expect.audiences.includes(c.aud))
    return { ok: false, reason: 'audience', found: String(c.aud) };
  if (typeof c.iss !== 'string' || !expect.issuers.includes(c.iss))
    return { ok: false, reason: 'issuer', found: String(c.iss) };
  if (typeof c.exp !== 'number' || c.exp + CLOCK_SKEW_SECONDS <= nowSeconds) return { ok: false, reason: 'expired' };
  if (typeof c.nbf === 'number' && c.nbf - CLOCK_SKEW_SECONDS > nowSeconds) return { ok: false, reason: 'notYetValid' };
  if (typeof c.oid !== 'string' || typeof c.appid !== 'string' || typeof c.tid !== 'string')
    return { ok: false, reason: 'malformed' };
  return { ok: true, claims: c as TokenClaims };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A compact JWT split into its parts; nothing verified yet. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  encodedHeader: string;
  signingInput: string;
  signature: Buffer;
}

/** Parses a compact JWS (three base64url parts, JSON header and payload); undefined when malformed. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header: unknown = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const claims: unknown = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(claims)) return undefined;
    return { header, claims, encodedHeader: h, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

/**
 * Checks the signature for the algorithms the SDKs use on client assertions: RS256 (MSAL with a SHA-1
 * thumbprint, and every OIDC issuer here) and PS256 (msal-node 2+ with a SHA-256 thumbprint).
 */
export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  const data = Buffer.from(jwt.signingInput);
  try {
    if (jwt.header.alg === 'RS256') return verify('RSA-SHA256', data, publicKey, jwt.signature);
    if (jwt.header.alg === 'PS256')
      return verify(
        'sha256',
        data,
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        jwt.signature,
      );
  } catch {
    return false;
  }
  return false;
}

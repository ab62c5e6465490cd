// Data-plane authentication, exactly the service's handshake (DOC-AUTH, keyvault-rest.md §4): no or
// bad bearer token → 401 with a `WWW-Authenticate: Bearer authorization="…/{tenant}", resource="…"`
// challenge (comma + space between parameters: @azure/keyvault-common splits on /,? +/), decided
// from the headers alone, before any body is read. Only tokens this emulator's key signed, for the
// vault audience, from a known tenant and not expired are accepted.
import type { KeyObject } from 'node:crypto';
import * as errors from './errors.js';
import type { ServiceError } from './errors.js';
import { authorityFor, findPrincipal, TENANT_ID, tokenIssuer } from './identities.js';
import type { Principal } from './identities.js';
import { VAULT_RESOURCE } from './limits.js';
import { verifyToken } from './tokens.js';

export const VAULT_AUDIENCES = [VAULT_RESOURCE, `${VAULT_RESOURCE}/`] as const;

export function challengeHeader(tenantId = TENANT_ID): string {
  return `Bearer authorization="${authorityFor(tenantId)}", resource="${VAULT_RESOURCE}"`;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; error: ServiceError };

export function authenticate(authorization: string | undefined, publicKey: KeyObject): AuthResult {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return { ok: false, error: errors.missingToken() };
  const issuer = tokenIssuer(TENANT_ID);
  const result = verifyToken(m[1]!, publicKey, { audiences: VAULT_AUDIENCES, issuers: [issuer] });
  if (!result.ok) {
    switch (result.reason) {
      case 'malformed':
        return { ok: false, error: errors.malformedToken() };
      case 'signature':
        return { ok: false, error: errors.unknownSigningKey(result.encodedHeader) };
      case 'audience':
        return { ok: false, error: errors.invalidAudience(VAULT_RESOURCE, result.found) };
      case 'issuer':
        return { ok: false, error: errors.invalidIssuer(issuer, result.found) };
      case 'expired':
        return { ok: false, error: errors.tokenExpired() };
      case 'notYetValid':
        return { ok: false, error: errors.tokenNotYetValid() };
    }
  }
  const c = result.claims;
  // A valid token for an object id the emulator does not know still authenticates; it just holds no role.
  const principal = findPrincipal(c.oid) ?? {
    kind: 'servicePrincipal' as const,
    displayName: 'unknown',
    objectId: c.oid,
    appId: c.appid,
    tenantId: c.tid,
  };
  return { ok: true, principal };
}

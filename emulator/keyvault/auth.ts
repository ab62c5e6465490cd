// Data-plane authentication, exactly the service's handshake (learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses; docs/keyvault.md §4): no or
// bad bearer token → 401 with a `WWW-Authenticate: Bearer authorization="…/{tenant}", resource="…"`
// challenge (comma + space between parameters: @azure/keyvault-common splits on /,? +/), decided
// from the headers alone, before any body is read. Only tokens this emulator's key signed, for the
// vault audience of the cloud (--cloud, clouds.ts), from a known tenant and not expired are accepted.
import type { KeyObject } from 'node:crypto';
import * as errors from './errors.js';
import type { ServiceError } from './errors.js';
import { CLOUDS } from '../common/clouds.js';
import type { Cloud } from '../common/clouds.js';
import { authorityFor, findPrincipal, TENANT_ID, tokenIssuer } from '../entra/identities.js';
import type { Principal } from '../entra/identities.js';
import { verifyToken } from '../entra/tokens.js';

/** The audiences a vault of the cloud accepts: its resource, with or without the trailing '/'. */
export const vaultAudiences = (cloud: Cloud) => [cloud.vaultResource, `${cloud.vaultResource}/`];

/** The challenge names the cloud's Entra authority (with the tenant) and the cloud's Key Vault resource. */
export function challengeHeader(cloud: Cloud = CLOUDS.AzureCloud, tenantId = TENANT_ID): string {
  return `Bearer authorization="${authorityFor(tenantId, cloud.authorityHost)}", resource="${cloud.vaultResource}"`;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; error: ServiceError };

export function authenticate(
  authorization: string | undefined,
  publicKey: KeyObject,
  cloud: Cloud = CLOUDS.AzureCloud,
): AuthResult {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return { ok: false, error: errors.missingToken() };
  const issuer = tokenIssuer(TENANT_ID);
  const result = verifyToken(m[1]!, publicKey, { audiences: vaultAudiences(cloud), issuers: [issuer] });
  if (!result.ok) {
    switch (result.reason) {
      case 'malformed':
        return { ok: false, error: errors.malformedToken() };
      case 'signature':
        return { ok: false, error: errors.unknownSigningKey(result.encodedHeader) };
      case 'audience':
        return { ok: false, error: errors.invalidAudience(cloud.vaultResource, result.found) };
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

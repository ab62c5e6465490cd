// Token issuance through the App Service managed-identity protocol, what ManagedIdentityCredential
// (JS: MSAL node AppService source; Python: azure-identity app_service.py) speaks when
// IDENTITY_ENDPOINT and IDENTITY_HEADER are set:
//   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=<resource>[&client_id|principal_id|object_id|mi_res_id=…]
//   X-IDENTITY-HEADER: {IDENTITY_HEADER}
//   200 {"access_token","expires_on":"<epoch seconds>","resource","token_type":"Bearer","client_id"}
// (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference)
import type { KeyObject } from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../common/http-io.js';
import { findManagedIdentity } from './identities.js';
import type { Principal } from './identities.js';
import { TOKEN_LIFETIME_SECONDS } from '../common/limits.js';
import { issueToken } from './tokens.js';

export const MSI_API_VERSION = '2019-08-01';
export const MSI_PATH = '/msi/token';

export interface ManagedIdentityDeps {
  identityHeader: string;
  keys: { privateKey: KeyObject; publicKey: KeyObject };
  /** The workspaces', computes' and user-assigned identities (aml-resources.ts), chosen by client_id, principal_id or mi_res_id. */
  extraIdentities?: readonly Principal[];
}

const fail = (res: ServerResponse, status: number, error: string, message: string) =>
  sendJson(res, status, { statusCode: status, error, error_description: message, message });

export function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: ManagedIdentityDeps,
): void {
  if (req.method !== 'GET') return fail(res, 405, 'method_not_allowed', 'Use GET.');
  const header = req.headers['x-identity-header'];
  if (typeof header !== 'string' || !sameSecret(header, deps.identityHeader))
    return fail(res, 401, 'unauthorized', 'The X-IDENTITY-HEADER header is missing or wrong.');
  const apiVersion = url.searchParams.get('api-version');
  if (apiVersion !== MSI_API_VERSION)
    return fail(res, 400, 'invalid_request', `Unsupported api-version '${apiVersion ?? ''}'; use ${MSI_API_VERSION}.`);
  const resource = url.searchParams.get('resource');
  if (!resource) return fail(res, 400, 'invalid_request', "The 'resource' query parameter is required.");
  const clientId = url.searchParams.get('client_id') ?? undefined;
  const objectId = url.searchParams.get('principal_id') ?? url.searchParams.get('object_id') ?? undefined;
  const resourceId = url.searchParams.get('mi_res_id') ?? url.searchParams.get('msi_res_id') ?? undefined;
  const principal = findManagedIdentity({ clientId, objectId, resourceId }, deps.extraIdentities);
  if (!principal) return fail(res, 400, 'invalid_request', 'No managed identity matches the requested identity.');
  // Scopes arrive as resources ("https://vault.azure.net"); tolerate a ".default" scope too.
  const audience = resource.replace(/\/\.default$/, '');
  const { token, claims } = issueToken(deps.keys, principal, audience, TOKEN_LIFETIME_SECONDS);
  sendJson(res, 200, {
    access_token: token,
    expires_on: String(claims.exp),
    resource: audience,
    token_type: 'Bearer',
    client_id: principal.appId,
  });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

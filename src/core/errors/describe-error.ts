// Turns an error from the SDKs into a cause a person can act on. Pure. It switches on `name`,
// `statusCode` and `code` (never instanceof: a bundle may carry two copies of a class) and on the
// Key Vault error code chain in the response body. It reads only the response's error code, message
// and headers, and of the request only its URL's host: never the rest of the request
// (RestError.request can carry the body, and so the value), never an arbitrary message that could
// quote a response body.
//
// Key Vault error codes: learn.microsoft.com/azure/key-vault/general/rest-error-codes and
// common-error-codes (summarised in docs/keyvault.md).
//
// Proxies: the Azure SDK (core-rest-pipeline) sends HTTPS through HTTPS_PROXY (else ALL_PROXY, else
// HTTP_PROXY; each also lower case) unless the host matches NO_PROXY. A proxy that refuses the
// tunnel answers the CONNECT itself, and the SDK hands that answer on as if the vault had sent it:
// a status with none of Key Vault's headers or error body. The adapter tells this module the
// process's proxy settings once (setNetworkEnvironment); messages name the proxy by scheme, host
// and port only — never its user name or password — and the variables in play.

import { setting, type Label } from '../inputs/inputs.js';
import { isSignInFailure, signInFix } from './sign-in-failure.js';
import { CONNECTION_FAILED_CODES, HOST_NOT_FOUND_CODES, TLS_FAILED_CODES } from './network-errors.js';
import { asRecord, errorFacts, hasErrorCode, oneLine, type ErrorFacts } from './error-facts.js';
import { agentProxyHint, isStall, proxyCause, requestHost } from './network-causes.js';

export { errorFacts, hasErrorCode, responseHeader, type ErrorFacts } from './error-facts.js';
export {
  bypassesProxy,
  networkEnvironment,
  sanitizeProxyUrl,
  setNetworkEnvironment,
  type NetworkEnvironment,
} from './network-causes.js';

/**
 * Each failure is stated once, in the error at the end of the run (the step's failure); the plan and the
 * progress lines only point at it.
 */
export const SEE_BELOW = 'the error below says why';

export type StoreOperation = 'read' | 'write' | 'recover' | 'purge' | 'list' | 'delete';

/** Access-policy permissions each operation needs (RBAC: Key Vault Secrets Officer covers all of them). */
const POLICY_PERMISSIONS: Record<StoreOperation, string> = {
  read: 'get (and list, to see soft-deleted secrets)',
  write: 'set',
  recover: 'recover and get',
  purge: 'purge',
  list: 'list',
  delete: 'delete',
};

/**
 * The access-policy secret permissions a push needs, as the README states them: get and list to read (list to see
 * soft-deleted secrets), set, recover; purge only with on-deleted purge.
 */
export function pushPolicyNeeds(onDeleted: string): string {
  return onDeleted === 'purge' ? 'get, list, set, recover and purge' : 'get, list, set and recover';
}

/** What to grant, and to whom: the identity when the adapter knows it, else "the pipeline's identity". */
const officer = (who: string) =>
  `grant ${who} the 'Key Vault Secrets Officer' role on the vault (or on this secret); recover and purge need it too`;

export interface DescribeContext {
  /** Who is signed in (e.g. "client id … (GitHub OIDC)"), when known. */
  identity?: string;
  /** The access-policy secret permissions the whole run needs (pushPolicyNeeds), when known. */
  policyNeeds?: string;
  /** Names inputs the way the platform spells them. */
  label: Label;
}

export function describeError(error: unknown, operation: StoreOperation, ctx: DescribeContext): string {
  const facts = errorFacts(error);
  return `${operation} failed: ${cause(error, facts, operation, ctx)}${detail(facts)}`;
}

function cause(error: unknown, f: ErrorFacts, op: StoreOperation, ctx: DescribeContext): string {
  const { identity, label, policyNeeds } = ctx;
  const has = (code: string) => hasErrorCode(f, code);
  const who = identity ?? "the pipeline's identity";
  const OFFICER = officer(who);

  // A sign-in failure can carry a status of its own (the Azure DevOps OIDC endpoint answers 404 for a connection the
  // stage may not use): that answer is the identity endpoint's, not a proxy's, unless the proxy asked for credentials
  // or the connection itself failed.
  const signIn = isSignInFailure(error);
  if (!signIn || f.statusCode === undefined || f.statusCode === 407) {
    const viaProxy = proxyCause(error, f);
    if (viaProxy) return viaProxy;
  }

  if (signIn) return signInCause(error, identity);
  if (f.statusCode === 403 || (f.statusCode === undefined && has('Forbidden'))) {
    if (has('ForbiddenByRbac')) {
      return `access denied by Azure RBAC (403 ForbiddenByRbac): ${OFFICER}`;
    }
    if (has('ForbiddenByFirewall') || has('ForbiddenByConnection')) {
      return (
        "blocked by the vault's network rules (403 " +
        (has('ForbiddenByFirewall') ? 'ForbiddenByFirewall' : 'ForbiddenByConnection') +
        '): ' +
        "allow the runner's outbound IP in the vault's firewall, or run on a self-hosted runner/agent inside the vault's virtual network (private endpoint)"
      );
    }
    if (has('ForbiddenByPolicy') || has('AccessDenied')) {
      const needs = policyNeeds ? `; this run needs ${policyNeeds}` : '';
      return `access denied by the vault's access policy (403): give ${who} the secret permission(s) ${POLICY_PERMISSIONS[op]}${needs}`;
    }
    if (has('SecretDisabled')) {
      return 'the latest version is disabled (403 SecretDisabled): enable it or delete the secret, then run again';
    }
    if (op === 'purge' && /purge protection/i.test(f.serviceMessage ?? '')) {
      return `the vault has purge protection, so a soft-deleted secret cannot be purged before its retention ends: use ${setting(label, 'on-deleted', 'recover')}`;
    }
    return `access denied (403${f.serviceCodes.length ? ' ' + f.serviceCodes.join('/') : ''}): ${OFFICER}`;
  }
  if (f.statusCode === 401) {
    return `Key Vault did not accept the sign-in${identity ? ` of ${identity}` : ''} (401): check that the identity belongs to the vault's tenant and that the cloud setting (${label('cloud')}) matches the vault's cloud`;
  }
  if (f.statusCode === 409) {
    if (has('ObjectIsDeletedButRecoverable')) {
      return `the secret is soft-deleted (409 ObjectIsDeletedButRecoverable): set ${label('on-deleted')} to recover (the default) or purge, or recover or purge it yourself`;
    }
    if (has('ObjectIsBeingDeleted')) {
      return 'the secret is still being deleted (409 ObjectIsBeingDeleted): run again in a minute';
    }
    if (has('ObjectIsBeingRecovered')) {
      return 'the secret is still being recovered (409 ObjectIsBeingRecovered): run again in a minute';
    }
    return `conflict (409${f.serviceCodes.length ? ' ' + f.serviceCodes.join('/') : ''})`;
  }
  if (f.statusCode === 404) {
    if (op === 'recover' || op === 'purge') {
      return 'not found among the soft-deleted secrets (404): it was recovered or purged meanwhile; run again';
    }
    return 'not found (404): check the vault URL';
  }
  if (f.statusCode === 429) {
    return `Key Vault kept throttling the requests (429 Throttled) after the retries: lower ${label('max-concurrency')}, or run again later (other clients may share the vault's limits)`;
  }
  if (f.statusCode === 400) {
    return `Key Vault rejected the request (400${f.serviceCodes.length ? ' ' + f.serviceCodes.join('/') : ''})`;
  }
  if (f.statusCode !== undefined && f.statusCode >= 500) {
    return `Key Vault was unavailable (${f.statusCode}) after the retries: run again later`;
  }
  if (f.code === 'ECONNREFUSED') {
    return `connection refused (ECONNREFUSED): nothing answers at the vault URL; check ${label('vault-url')} (and, for the local emulator, that it is running)${agentProxyHint()}`;
  }
  if (f.code !== undefined && HOST_NOT_FOUND_CODES.has(f.code)) {
    const host = requestHost(error);
    return `host not found (${f.code})${host ? `: ${host} does not resolve` : ''}: check the vault name or URL (and the cloud's vault DNS suffix); a private-endpoint vault needs the runner to resolve its private DNS${agentProxyHint()}`;
  }
  if (isStall(f)) {
    const host = requestHost(error);
    return `the connection${host ? ` to ${host}` : ''} stalled: no answer in time; check the runner's network path to the vault (firewall, proxy)${agentProxyHint()}`;
  }
  if (f.code !== undefined && CONNECTION_FAILED_CODES.has(f.code)) {
    return `network error (${f.code}) after the retries: check the runner's network path to the vault (proxy, firewall)${agentProxyHint()}`;
  }
  if (f.code !== undefined && TLS_FAILED_CODES.has(f.code)) {
    return `the vault's TLS certificate is not trusted (${f.code}): behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA`;
  }
  if (f.statusCode !== undefined) {
    return `unexpected response ${f.statusCode}${f.serviceCodes.length ? ' ' + f.serviceCodes.join('/') : ''}`;
  }
  return `unexpected error (${[f.name, f.code].filter(Boolean).join(' ') || typeof error})`;
}

/** The service's own words and the request id, for a support ticket. Only a Key Vault error body's message. */
function detail(f: ErrorFacts): string {
  const parts: string[] = [];
  if (f.serviceMessage) parts.push(`Key Vault said: ${oneLine(f.serviceMessage)}`);
  if (f.requestId) parts.push(`request id ${f.requestId}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * A failed sign-in, once: who was tried, what Entra said (a chain of credentials says it only in the
 * debug log: its dump repeats every credential's troubleshooting link), and the fix in the platform's words.
 */
export function signInCause(error: unknown, identity: string | undefined): string {
  const fix =
    signInFix(error) ??
    'Check the credential the step uses (service connection, federated credential, client id and tenant)';
  const chain = asRecord(error)?.name === 'AggregateAuthenticationError';
  return `could not sign in to Azure${identity ? ` as ${identity}` : ''}${chain ? '' : identityMessage(error)}. ${fix}`;
}

/**
 * Identity errors carry the Entra response (AADSTS codes), which is what a person needs to fix a
 * sign-in; they never carry a secret value of ours (those only travel to the vault).
 */
function identityMessage(error: unknown): string {
  const message = asRecord(error)?.message;
  return typeof message === 'string' && message ? ` (${oneLine(message)})` : '';
}

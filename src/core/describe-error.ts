// Turns an error from the SDKs into a cause a person can act on. Pure. It switches on `name`,
// `statusCode` and `code` (never instanceof: a bundle may carry two copies of a class) and on the
// Key Vault error code chain in the response body. It reads only the response's error code, message
// and headers: never the request (RestError.request can carry the body, and so the value), never
// an arbitrary message that could quote a response body.
//
// Key Vault error codes: learn.microsoft.com/azure/key-vault/general/rest-error-codes and
// common-error-codes (summarised in docs/keyvault.md).

import type { Label } from './inputs.js';

export type StoreOperation = 'read' | 'write' | 'recover' | 'purge' | 'list' | 'delete';

/** What an error says about itself, read defensively from a RestError-shaped object. */
export interface ErrorFacts {
  name?: string;
  statusCode?: number;
  /** `error.code`: the Key Vault error code (e.g. Forbidden) or a Node network code (e.g. ECONNREFUSED). */
  code?: string;
  /** The Key Vault error code chain from the response body, outermost first (e.g. [Forbidden, ForbiddenByRbac]). */
  serviceCodes: string[];
  /** The Key Vault error message from the response body (not error.message, which can be anything). */
  serviceMessage?: string;
  requestId?: string;
}

export function errorFacts(error: unknown): ErrorFacts {
  const e = asRecord(error);
  const facts: ErrorFacts = { serviceCodes: [] };
  if (!e) return facts;
  if (typeof e.name === 'string') facts.name = e.name;
  if (typeof e.statusCode === 'number') facts.statusCode = e.statusCode;
  if (typeof e.code === 'string') facts.code = e.code;
  const body = serviceErrorBody(e);
  if (body) {
    facts.serviceCodes = codeChain(body);
    if (typeof body.message === 'string') facts.serviceMessage = body.message;
  }
  const requestId = responseHeader(error, 'x-ms-request-id');
  if (requestId) facts.requestId = requestId;
  return facts;
}

/** True when `code` is the error's code or anywhere in its Key Vault code chain (case-insensitive). */
export function hasErrorCode(facts: ErrorFacts, code: string): boolean {
  const wanted = code.toLowerCase();
  return [facts.code, ...facts.serviceCodes].some((c) => c?.toLowerCase() === wanted);
}

/** A response header of a RestError-shaped error: HttpHeaders (with get) or a plain object. */
export function responseHeader(error: unknown, name: string): string | undefined {
  const headers = asRecord(asRecord(asRecord(error)?.response)?.headers);
  if (!headers) return undefined;
  if (typeof headers.get === 'function') {
    const v: unknown = (headers.get as (n: string) => unknown).call(headers, name);
    return typeof v === 'string' ? v : undefined;
  }
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted && typeof v === 'string') return v;
  return undefined;
}

/** Node system error codes that mean "the network failed", grouped by what the user should check. */
const HOST_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_FAILED = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TLS_FAILED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const IDENTITY_ERRORS = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
]);

/** Access-policy permissions each operation needs (RBAC: Key Vault Secrets Officer covers all of them). */
const POLICY_PERMISSIONS: Record<StoreOperation, string> = {
  read: 'get (and list, to see soft-deleted secrets)',
  write: 'set',
  recover: 'recover and get',
  purge: 'purge',
  list: 'list',
  delete: 'delete',
};

/** What to grant, and to whom: the identity when the adapter knows it, else "the pipeline's identity". */
const officer = (who: string) =>
  `grant ${who} the 'Key Vault Secrets Officer' role on the vault (or on this secret); recover and purge need it too`;

export interface DescribeContext {
  /** Who is signed in (e.g. "client id … (GitHub OIDC)"), when known. */
  identity?: string;
  /** Names inputs the way the platform spells them. */
  label: Label;
}

export function describeError(error: unknown, operation: StoreOperation, ctx: DescribeContext): string {
  const facts = errorFacts(error);
  return `${operation} failed: ${cause(error, facts, operation, ctx)}${detail(facts)}`;
}

function cause(error: unknown, f: ErrorFacts, op: StoreOperation, { identity, label }: DescribeContext): string {
  const has = (code: string) => hasErrorCode(f, code);
  const who = identity ?? "the pipeline's identity";
  const OFFICER = officer(who);

  if (f.name !== undefined && IDENTITY_ERRORS.has(f.name)) {
    return `could not sign in to Azure (${f.name}): check the credential the step uses (service connection, federated credential, client id and tenant)${identityMessage(error)}`;
  }
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
      return `access denied by the vault's access policy (403): give ${who} the secret permission(s) ${POLICY_PERMISSIONS[op]}; the tool needs get, set, recover and purge`;
    }
    if (has('SecretDisabled')) {
      return 'the latest version is disabled (403 SecretDisabled): enable it or delete the secret, then run again';
    }
    if (op === 'purge' && /purge protection/i.test(f.serviceMessage ?? '')) {
      return `the vault has purge protection, so a soft-deleted secret cannot be purged before its retention ends: use ${label('on-deleted')} recover`;
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
    return "Key Vault kept throttling the requests (429 Throttled) after the retries: lower max-concurrency, or run again later (other clients may share the vault's limits)";
  }
  if (f.statusCode === 400) {
    return `Key Vault rejected the request (400${f.serviceCodes.length ? ' ' + f.serviceCodes.join('/') : ''})`;
  }
  if (f.statusCode !== undefined && f.statusCode >= 500) {
    return `Key Vault was unavailable (${f.statusCode}) after the retries: run again later`;
  }
  if (f.code === 'ECONNREFUSED') {
    return 'connection refused (ECONNREFUSED): nothing answers at the vault URL; check vault-url (and, for the local emulator, that it is running)';
  }
  if (f.code !== undefined && HOST_NOT_FOUND.has(f.code)) {
    return `host not found (${f.code}): check the vault name or URL (and the cloud's vault DNS suffix); a private-endpoint vault needs the runner to resolve its private DNS`;
  }
  if (f.code !== undefined && CONNECTION_FAILED.has(f.code)) {
    return `network error (${f.code}) after the retries: check the runner's network path to the vault (proxy, firewall)`;
  }
  if (f.code !== undefined && TLS_FAILED.has(f.code)) {
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
 * Identity errors carry the Entra response (AADSTS codes), which is what a person needs to fix a
 * sign-in; they never carry a secret value of ours (those only travel to the vault).
 */
function identityMessage(error: unknown): string {
  const message = asRecord(error)?.message;
  return typeof message === 'string' && message ? `: ${oneLine(message)}` : '';
}

const MAX_QUOTE = 600;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE)}…` : flat;
}

type Loose = Record<string, unknown>;

function asRecord(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null ? (value as Loose) : undefined;
}

/**
 * The `{ code, message, innererror }` object of a Key Vault error response. The SDK's generated
 * client puts the deserialized body on `error.details.error` (with `innerError`); other pipelines
 * leave the raw JSON in `response.bodyAsText` or the parsed body in `response.parsedBody`.
 */
function serviceErrorBody(e: Loose): Loose | undefined {
  const fromDetails = asRecord(asRecord(e.details)?.error);
  if (fromDetails) return fromDetails;
  const response = asRecord(e.response);
  const parsed = asRecord(asRecord(response?.parsedBody)?.error);
  if (parsed) return parsed;
  const text = response?.bodyAsText;
  if (typeof text === 'string' && text.trimStart().startsWith('{')) {
    try {
      return asRecord(asRecord(JSON.parse(text) as unknown)?.error);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function codeChain(body: Loose): string[] {
  const codes: string[] = [];
  let node: Loose | undefined = body;
  for (let depth = 0; node && depth < 8; depth++) {
    if (typeof node.code === 'string') codes.push(node.code);
    node = asRecord(node.innerError ?? node.innererror);
  }
  return codes;
}

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

import type { Label } from './inputs.js';
import { isSignInFailure } from './sign-in-failure.js';
import { CONNECTION_FAILED_CODES, HOST_NOT_FOUND_CODES, TLS_FAILED_CODES } from './network-errors.js';

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

/** The proxy settings the Azure SDK will use, as far as a message needs them. */
export interface NetworkEnvironment {
  /** The proxy variable the SDK reads, and its URL without user info, path or query. */
  proxy?: { variable: string; url: string; hasCredentials: boolean };
  /** NO_PROXY (or no_proxy) as set: host patterns, no secrets. */
  noProxy?: { variable: string; value: string };
  /** Azure DevOps: the agent's own proxy (Agent.ProxyUrl), which the Azure SDK does not read. */
  agentProxy?: string;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'ALL_PROXY', 'HTTP_PROXY'];

/** Reads the proxy variables the way core-rest-pipeline does (upper case first). Pure. */
export function networkEnvironment(env: Record<string, string | undefined>): NetworkEnvironment {
  const pick = (name: string): { variable: string; value: string } | undefined => {
    for (const variable of [name, name.toLowerCase()]) {
      const value = env[variable];
      if (value) return { variable, value };
    }
    return undefined;
  };
  const n: NetworkEnvironment = {};
  for (const name of PROXY_VARIABLES) {
    const found = pick(name);
    if (!found) continue;
    n.proxy = { variable: found.variable, ...sanitizeProxyUrl(found.value) };
    break;
  }
  const noProxy = pick('NO_PROXY');
  if (noProxy) n.noProxy = noProxy;
  const agent = env.AGENT_PROXYURL;
  if (agent) n.agentProxy = sanitizeProxyUrl(agent).url;
  return n;
}

/** scheme://host:port of a proxy URL; its user name and password never leave this function. */
export function sanitizeProxyUrl(raw: string): { url: string; hasCredentials: boolean } {
  try {
    const u = new URL(raw.includes('://') ? raw : `http://${raw}`);
    return { url: `${u.protocol}//${u.host}`, hasCredentials: u.username !== '' || u.password !== '' };
  } catch {
    return { url: '(an unparsable proxy URL)', hasCredentials: raw.includes('@') };
  }
}

/** core-rest-pipeline's NO_PROXY rule: `*`, an exact host, or `.suffix` (which also matches the bare domain). */
export function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return noProxy
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .some((p) => p === '*' || p === h || (p.startsWith('.') && (h.endsWith(p) || h === p.slice(1))));
}

let network: NetworkEnvironment = {};

/** The adapter sets the process's proxy settings once, before the first request. */
export function setNetworkEnvironment(n: NetworkEnvironment): void {
  network = n;
}

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

/**
 * The host a failed request went to. Only the URL's host is read from the request (the request
 * also carries the body, and so a value: never touched).
 */
function requestHost(error: unknown): string | undefined {
  const url = asRecord(asRecord(error)?.request)?.url;
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The proxy this request went through, if any. */
function proxyInPlay(error: unknown): (NonNullable<NetworkEnvironment['proxy']> & { host?: string }) | undefined {
  const p = network.proxy;
  if (!p) return undefined;
  const host = requestHost(error);
  if (host !== undefined && bypassesProxy(host, network.noProxy?.value)) return undefined;
  return { ...p, ...(host !== undefined ? { host } : {}) };
}

/** "(in play: HTTPS_PROXY=http://proxy:3128, NO_PROXY=localhost)" */
function variablesInPlay(): string {
  const parts: string[] = [];
  if (network.proxy) parts.push(`${network.proxy.variable}=${network.proxy.url}`);
  parts.push(network.noProxy ? `${network.noProxy.variable}=${network.noProxy.value}` : 'NO_PROXY not set');
  return `(in play: ${parts.join(', ')})`;
}

/** A response with nothing of Key Vault's: no error body, no request id. */
function notFromKeyVault(error: unknown, f: ErrorFacts): boolean {
  return (
    f.serviceCodes.length === 0 &&
    f.requestId === undefined &&
    responseHeader(error, 'x-ms-keyvault-service-version') === undefined
  );
}

/** Causes that are the proxy's, or the network's, when a proxy is configured; undefined when not. */
function proxyCause(error: unknown, f: ErrorFacts): string | undefined {
  const p = proxyInPlay(error);
  if (!p) return undefined;
  const to = p.host ? ` to ${p.host}` : '';
  const via = `the HTTPS proxy ${p.url}`;
  const inPlay = variablesInPlay();
  if (f.statusCode === 407) {
    return p.hasCredentials
      ? `${via} refused the credentials in ${p.variable} for the tunnel${to} (407 Proxy Authentication Required): check the user name and password in that URL ${inPlay}`
      : `${via} wants credentials for the tunnel${to} (407 Proxy Authentication Required): put them in ${p.variable} as http://USER:PASSWORD@host:port, from a secret ${inPlay}`;
  }
  if (f.statusCode !== undefined && f.statusCode !== 401 && notFromKeyVault(error, f)) {
    return `${via} refused the tunnel${to} (${f.statusCode}; the answer came from the proxy, not from Key Vault): ask for ${p.host ?? 'the vault host'} to be allowed on the proxy, or list it in NO_PROXY if the runner reaches it directly ${inPlay}`;
  }
  if (f.code !== undefined && TLS_FAILED_CODES.has(f.code)) {
    return `the TLS certificate presented for ${p.host ?? 'the vault'} is not trusted (${f.code}); the connection goes through ${via}, which may be inspecting TLS: point NODE_EXTRA_CA_CERTS at the proxy's CA certificate (PEM) ${inPlay}`;
  }
  if (f.code === 'ECONNREFUSED') {
    return `connection refused (ECONNREFUSED): nothing answers at ${via}; check ${p.variable} ${inPlay}`;
  }
  if (f.code !== undefined && HOST_NOT_FOUND_CODES.has(f.code)) {
    return `host not found (${f.code}) on the way through ${via}: check that the proxy's name resolves, and the vault's name ${inPlay}`;
  }
  if (isStall(f) || (f.code !== undefined && CONNECTION_FAILED_CODES.has(f.code))) {
    return `the connection${to} through ${via} ${isStall(f) ? 'stalled: no answer in time' : `failed (${f.code})`}: check that the proxy lets the runner reach the vault ${inPlay}`;
  }
  if (f.statusCode === undefined && !(f.name !== undefined && IDENTITY_ERRORS.has(f.name))) {
    // e.g. the SDK's TypeError on the empty answer of a proxy that wants credentials (407).
    return `could not reach ${p.host ?? 'the vault'} through ${via} (${[f.name, f.code].filter(Boolean).join(' ') || typeof error}); the answer was not Key Vault's, as when a proxy refuses the tunnel or wants credentials (407): check ${p.variable} and NO_PROXY ${inPlay}`;
  }
  return undefined;
}

/** An abandoned request: the SDK's abort (our per-call timeout) or a socket timeout. */
function isStall(f: ErrorFacts): boolean {
  return f.name === 'AbortError' || f.name === 'TimeoutError' || f.code === 'ETIMEDOUT' || f.code === 'ESOCKETTIMEDOUT';
}

/** Azure DevOps: the agent's proxy is not the SDK's; say so on any network failure. */
function agentProxyHint(): string {
  return network.agentProxy && !network.proxy
    ? `; the agent has a proxy (${network.agentProxy}, Agent.ProxyUrl) but the Azure SDK does not use it: set HTTPS_PROXY (and NO_PROXY) for the step`
    : '';
}

function cause(error: unknown, f: ErrorFacts, op: StoreOperation, { identity, label }: DescribeContext): string {
  const has = (code: string) => hasErrorCode(f, code);
  const who = identity ?? "the pipeline's identity";
  const OFFICER = officer(who);

  // A sign-in failure can carry a status of its own (the Azure DevOps OIDC endpoint answers 404 for a connection the
  // stage may not use): that answer is the identity endpoint's, not a proxy's, unless the proxy asked for credentials
  // or the connection itself failed.
  const signIn = isSignInFailure(error) || (f.name !== undefined && IDENTITY_ERRORS.has(f.name));
  if (!signIn || f.statusCode === undefined || f.statusCode === 407) {
    const viaProxy = proxyCause(error, f);
    if (viaProxy) return viaProxy;
  }

  if (signIn) {
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
    return `connection refused (ECONNREFUSED): nothing answers at the vault URL; check vault-url (and, for the local emulator, that it is running)${agentProxyHint()}`;
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

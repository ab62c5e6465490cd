// The network path: which proxy the Azure SDK uses (from HTTPS_PROXY, NO_PROXY…), and the causes that are the
// proxy's or the network's, named with the proxy (scheme, host, port; never its credentials), the host and the
// variables in play.
import { asRecord, responseHeader, type ErrorFacts } from './error-facts.js';
import { isSignInFailure } from './sign-in-failure.js';
import { CONNECTION_FAILED_CODES, HOST_NOT_FOUND_CODES, TLS_FAILED_CODES } from './network-errors.js';

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

/**
 * The host a failed request went to. Only the URL's host is read from the request (the request
 * also carries the body, and so a value: never touched).
 */
export function requestHost(error: unknown): string | undefined {
  const url = asRecord(asRecord(error)?.request)?.url;
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The proxy this request went through, if any. */
export function proxyInPlay(
  error: unknown,
): (NonNullable<NetworkEnvironment['proxy']> & { host?: string }) | undefined {
  const p = network.proxy;
  if (!p) return undefined;
  const host = requestHost(error);
  if (host !== undefined && bypassesProxy(host, network.noProxy?.value)) return undefined;
  return { ...p, ...(host !== undefined ? { host } : {}) };
}

/** For a failure with no answer at all (timeouts, a silent vault): the proxy the vault's requests go through, if
 * any, so a stalled tunnel is not taken for a silent vault. '' when requests to `host` go direct. */
export function viaProxyNote(host: string): string {
  const p = network.proxy;
  if (!p || bypassesProxy(host, network.noProxy?.value)) return '';
  return ` (the requests to ${host} go through the HTTPS proxy ${p.url}: check that it lets the runner reach the vault ${variablesInPlay()})`;
}

/** "(in play: HTTPS_PROXY=http://proxy:3128, NO_PROXY=localhost)" */
export function variablesInPlay(): string {
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
export function proxyCause(error: unknown, f: ErrorFacts): string | undefined {
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
  if (f.statusCode === undefined && !isSignInFailure(error)) {
    // e.g. the SDK's TypeError on the empty answer of a proxy that wants credentials (407).
    return `could not reach ${p.host ?? 'the vault'} through ${via} (${[f.name, f.code].filter(Boolean).join(' ') || typeof error}); the answer was not Key Vault's, as when a proxy refuses the tunnel or wants credentials (407): check ${p.variable} and NO_PROXY ${inPlay}`;
  }
  return undefined;
}

/** An abandoned request: the SDK's abort (our per-call timeout) or a socket timeout. */
export function isStall(f: ErrorFacts): boolean {
  return f.name === 'AbortError' || f.name === 'TimeoutError' || f.code === 'ETIMEDOUT' || f.code === 'ESOCKETTIMEDOUT';
}

/** Azure DevOps: the agent's proxy is not the SDK's; say so on any network failure. */
export function agentProxyHint(): string {
  return network.agentProxy && !network.proxy
    ? `; the agent has a proxy (${network.agentProxy}, Agent.ProxyUrl) but the Azure SDK does not use it: set HTTPS_PROXY (and NO_PROXY) for the step`
    : '';
}

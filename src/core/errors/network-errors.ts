// Node's network error codes, once: which ones a retry can fix (the scheduler) and what each group tells the user
// to check (describe-error). Node system errors: https://nodejs.org/api/errors.html#common-system-errors

/** A retry can fix these. ECONNREFUSED and ENOTFOUND are left out on purpose: they mean a wrong URL or a stopped
 * server, and half a minute of retries would only hide that. EAI_AGAIN is a DNS server's "try again". */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

/** The name did not resolve. */
export const HOST_NOT_FOUND_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** The connection failed or broke: the transient ones, and unreachable networks. */
export const CONNECTION_FAILED_CODES: ReadonlySet<string> = new Set([
  ...[...TRANSIENT_NETWORK_CODES].filter((c) => !HOST_NOT_FOUND_CODES.has(c)),
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The server's certificate was not trusted. */
export const TLS_FAILED_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// What a retry can fix, how long to wait, and the errors of our own that a call can end with.
import { errorFacts, hasErrorCode, responseHeader } from '../errors/describe-error.js';
import { isSignInFailure } from '../errors/sign-in-failure.js';
import { TRANSIENT_NETWORK_CODES } from '../errors/network-errors.js';

export interface RetryPolicy {
  /**
   * Retries after the first attempt. 8: when 30 % of calls fail, a call fails all 6 attempts of
   * Key Vault's recommended 5 retries once in 1,400 (0.3^6), so a 600-call push of 300 secrets lost
   * one about a third of the time; all 9 attempts once in 50,000 (0.3^9), about 1 % of such pushes.
   * The run's deadline bounds the total.
   */
  maxRetries: number;
  /** First backoff after a 429 or a name still being deleted/recovered; doubles on each retry. */
  baseDelayMs: number;
  /** First backoff after a 5xx, a network error or a call timeout: these are not about load. */
  transientBaseDelayMs: number;
  /**
   * Longest backoff. Key Vault recommends 1, 2, 4, 8, 16 s after a 429. When other clients share
   * the vault, its window frees places as their calls age out, at any moment: a retry every few
   * seconds takes them as they come (a 429 costs the vault nothing: it is not counted), where 8 and
   * 16 s waits leave them unused and stretch the run (at 30 % random 429s, 300 new secrets took
   * 229 s with waits up to 16 s).
   */
  maxDelayMs: number;
  /** Backoff is scaled by a random factor in [1 - jitter, 1 + jitter] so parallel callers spread out. */
  jitter: number;
  /** Upper bound on a server's Retry-After we are willing to wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 8,
  baseDelayMs: 1_000,
  transientBaseDelayMs: 250,
  maxDelayMs: 4_000,
  jitter: 0.2,
  maxRetryAfterMs: 60_000,
};

/** Why a failed call is worth another attempt. */
export type RetryCause = 'throttled' | 'unavailable' | 'network' | 'busy' | 'timeout';

/** One request that got no answer within the call timeout (ours; it names no value). */
export class CallTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Key Vault did not answer within ${formatSeconds(timeoutMs)}`);
    this.name = 'CallTimeoutError';
  }
}

/** The run was stopped (cancelled, or its deadline passed) before or while this call ran. */
export class RunStoppedError extends Error {
  constructor(
    readonly why: string,
    /** True when the call had been sent: it may have reached the vault. */
    readonly inFlight: boolean,
  ) {
    super(why);
    this.name = 'RunStoppedError';
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** 5xx a retry can fix (501 and 505 cannot), plus 408 Request Timeout. */
const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);

export function retryCause(error: unknown): RetryCause | undefined {
  if (error instanceof CallTimeoutError || (error as { name?: unknown } | null)?.name === 'CallTimeoutError')
    return 'timeout';
  // A sign-in failure may carry any status (its identity endpoint's): @azure/identity retried it already.
  if (isSignInFailure(error)) return undefined;
  const facts = errorFacts(error);
  if (facts.statusCode === 429) return 'throttled';
  if (facts.statusCode !== undefined && RETRYABLE_STATUS.has(facts.statusCode)) return 'unavailable';
  // A delete or a recovery still in progress on the service: the name frees up in seconds.
  if (
    facts.statusCode === 409 &&
    (hasErrorCode(facts, 'ObjectIsBeingDeleted') || hasErrorCode(facts, 'ObjectIsBeingRecovered'))
  ) {
    return 'busy';
  }
  if (facts.statusCode === undefined && facts.code !== undefined && TRANSIENT_NETWORK_CODES.has(facts.code))
    return 'network';
  return undefined;
}

/** The server's requested wait, from retry-after-ms, x-ms-retry-after-ms or Retry-After (seconds or HTTP date). */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = responseHeader(error, name);
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  }
  const v = responseHeader(error, 'retry-after')?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

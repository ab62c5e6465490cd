// Runs the store's calls for one vault: a bounded number at a time, within the vault's rate limits,
// retrying what a retry can fix, and backing off (AIMD) when the vault throttles.
//
// Retry layering, decided deliberately: the Key Vault store builds its SecretClient with
// `retryOptions: { maxRetries: 0 }`, so this scheduler is the only retry layer. The SDK's default
// policy (3 retries) retries a 429 only when it carries Retry-After (the service often sends none:
// see docs/keyvault.md §3) and retries 5xx/network errors on its own schedule; on top of ours that
// would multiply attempts (4 × 6 requests for one secret) and hide throttling from the concurrency
// control below. One layer that sees every 429 can both back off and shrink concurrency.
import { errorFacts, hasErrorCode, responseHeader } from './describe-error.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Key Vault service limits per vault (and region) per 10 seconds: secret CREATE 300 (shared with key
 * and certificate imports), all other transactions 4,000.
 * Source: https://learn.microsoft.com/azure/key-vault/general/service-limits (include dated 2025-07-23).
 * The service does not say whether a new version of an existing secret counts as a CREATE: every set
 * is counted as one, to be safe.
 */
export const KEY_VAULT_RATE_LIMITS = { setsPer10s: 300, otherPer10s: 4_000, windowMs: 10_000 } as const;

/** Share of each limit this tool allows itself: other clients (the workspace, training jobs) use the vault too. */
export const RATE_SAFETY_MARGIN = 0.9;

/** `set` = writing a secret version; `other` = every other call (get, get deleted, recover, purge). */
export type CallKind = 'set' | 'other';

/** At most `calls` started within any `windowMs`. */
export interface RateBudget {
  calls: number;
  windowMs: number;
}

export const DEFAULT_BUDGETS: Record<CallKind, RateBudget> = {
  set: {
    calls: Math.floor(KEY_VAULT_RATE_LIMITS.setsPer10s * RATE_SAFETY_MARGIN),
    windowMs: KEY_VAULT_RATE_LIMITS.windowMs,
  },
  other: {
    calls: Math.floor(KEY_VAULT_RATE_LIMITS.otherPer10s * RATE_SAFETY_MARGIN),
    windowMs: KEY_VAULT_RATE_LIMITS.windowMs,
  },
};

export interface RetryPolicy {
  /** Retries after the first attempt. 5 gives the backoff Key Vault recommends: 1, 2, 4, 8, 16 s. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Backoff is scaled by a random factor in [1 - jitter, 1 + jitter] so parallel callers spread out. */
  jitter: number;
  /** Upper bound on a server's Retry-After we are willing to wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 16_000,
  jitter: 0.2,
  maxRetryAfterMs: 60_000,
};

/** Why a failed call is worth another attempt. */
export type RetryCause = 'throttled' | 'unavailable' | 'network' | 'busy';

export interface RetryEvent {
  label: string;
  cause: RetryCause;
  statusCode?: number;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
}

export interface SchedulerOptions {
  /** Calls in flight at once, at most (the adaptive limit starts here). Default 8. */
  maxConcurrency?: number;
  clock?: Clock;
  /** Random source in [0, 1) for jitter; tests pass a constant. */
  random?: () => number;
  budgets?: Partial<Record<CallKind, RateBudget>>;
  retry?: Partial<RetryPolicy>;
  onRetry?(event: RetryEvent): void;
  onConcurrencyChange?(limit: number, why: 'throttled' | 'recovered'): void;
}

export interface Scheduler {
  /** Runs `task` under the concurrency limit and the `kind` budget, retrying retryable failures. */
  run<T>(kind: CallKind, label: string, task: () => Promise<T>): Promise<T>;
  /** The current adaptive concurrency limit. */
  readonly concurrencyLimit: number;
}

/** Network failures a retry can fix. ECONNREFUSED and ENOTFOUND are left out on purpose: they mean a
 * wrong URL or a stopped emulator, and half a minute of retries would only hide that. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

/** 5xx a retry can fix (501 and 505 cannot), plus 408 Request Timeout. */
const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);

export function retryCause(error: unknown): RetryCause | undefined {
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

export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const maxConcurrency = Math.max(1, Math.floor(options.maxConcurrency ?? 8));
  const gate = new ConcurrencyGate(maxConcurrency);
  const windows: Record<CallKind, SlidingWindow> = {
    set: new SlidingWindow(options.budgets?.set ?? DEFAULT_BUDGETS.set, clock),
    other: new SlidingWindow(options.budgets?.other ?? DEFAULT_BUDGETS.other, clock),
  };

  // AIMD: halve on a throttle, +1 after a full round (limit) of successes. `epoch` counts decreases so
  // that the 429s of calls already in flight when we halved do not halve again.
  let epoch = 0;
  let successes = 0;
  const setLimit = (limit: number, why: 'throttled' | 'recovered') => {
    gate.setLimit(limit);
    options.onConcurrencyChange?.(limit, why);
  };
  const onThrottle = (startedInEpoch: number) => {
    successes = 0;
    if (startedInEpoch !== epoch) return;
    epoch++;
    const halved = Math.max(1, Math.floor(gate.limit / 2));
    if (halved !== gate.limit) setLimit(halved, 'throttled');
  };
  const onSuccess = () => {
    if (gate.limit >= maxConcurrency) return;
    if (++successes >= gate.limit) {
      successes = 0;
      setLimit(gate.limit + 1, 'recovered');
    }
  };

  const backoff = (error: unknown, attempt: number): number => {
    const serverWait = retryAfterMs(error, clock.now());
    if (serverWait !== undefined) return Math.min(serverWait, retry.maxRetryAfterMs);
    const base = Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
    return Math.round(base * (1 - retry.jitter + 2 * retry.jitter * random()));
  };

  return {
    get concurrencyLimit() {
      return gate.limit;
    },
    async run<T>(kind: CallKind, label: string, task: () => Promise<T>): Promise<T> {
      const maxAttempts = retry.maxRetries + 1;
      for (let attempt = 1; ; attempt++) {
        // A retry goes to the front of the queue: it has waited already.
        await gate.acquire(attempt > 1);
        const startedInEpoch = epoch;
        let failure: unknown;
        let cause: RetryCause | undefined;
        try {
          await windows[kind].take();
          const result = await task();
          onSuccess();
          return result;
        } catch (error) {
          failure = error;
          cause = retryCause(error);
          // Shrink before the slot is released, so the release does not admit a waiter at the old limit.
          if (cause === 'throttled') onThrottle(startedInEpoch);
        } finally {
          // Released during the backoff too, so a sleeping retry does not hold a slot.
          gate.release();
        }
        if (cause === undefined || attempt >= maxAttempts) throw failure;
        const delayMs = backoff(failure, attempt);
        const statusCode = errorFacts(failure).statusCode;
        options.onRetry?.({
          label,
          cause,
          attempt,
          maxAttempts,
          delayMs,
          ...(statusCode !== undefined ? { statusCode } : {}),
        });
        await clock.sleep(delayMs);
      }
    },
  };
}

/** A counting semaphore whose limit can move; waiters are served in order (retries first). */
class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public limit: number) {}

  acquire(first: boolean): Promise<void> {
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      if (first) this.waiting.unshift(resolve);
      else this.waiting.push(resolve);
    });
  }

  release(): void {
    this.active--;
    this.drain();
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.limit) {
      const next = this.waiting.shift();
      if (!next) return;
      this.active++;
      next();
    }
  }
}

/**
 * At most `calls` starts within any `windowMs` (a sliding log of start times). A plain token bucket
 * of the same size would let a full bucket plus its refill through in one window, twice the limit.
 */
class SlidingWindow {
  private readonly starts: number[] = [];

  constructor(
    private readonly budget: RateBudget,
    private readonly clock: Clock,
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.budget.windowMs) this.starts.shift();
      if (this.starts.length < this.budget.calls) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0]! + this.budget.windowMs - now);
    }
  }
}

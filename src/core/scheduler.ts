// Runs the store's calls for one vault: a bounded number at a time, within the vault's rate limits,
// retrying what a retry can fix, and backing off (AIMD) when the vault throttles.
//
// Retry layering, decided deliberately: the Key Vault store builds its SecretClient with
// `retryOptions: { maxRetries: 0 }`, so this scheduler is the only retry layer. The SDK's default
// policy (3 retries) retries a 429 only when it carries Retry-After (the service often sends none:
// see docs/keyvault.md §3) and retries 5xx/network errors on its own schedule; on top of ours that
// would multiply attempts (4 × 6 requests for one secret) and hide throttling from the concurrency
// control below. One layer that sees every 429 can both back off and shrink concurrency.
//
// Each call (one request, see ports.ts) is retried on its own, has its own timeout, and stops when
// the run's signal aborts (cancellation, the run's deadline): nothing here can wait forever.
import { errorFacts, hasErrorCode, responseHeader } from './describe-error.js';
import { setMaxListeners } from 'node:events';
import { isSignInFailure } from './sign-in-failure.js';
import { TRANSIENT_NETWORK_CODES } from './network-errors.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`; when `signal` aborts first, resolves early and lets the timer go (so a
   * stopped run leaves nothing that keeps the process alive). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Key Vault service limits per vault (and region) per 10 seconds: secret CREATE 300 (shared with key
 * and certificate imports), all other transactions 4,000.
 * Source: https://learn.microsoft.com/azure/key-vault/general/service-limits (include dated 2025-07-23).
 * The service does not say whether a new version of an existing secret counts as a CREATE: every set
 * is counted as one, to be safe.
 */
export const KEY_VAULT_RATE_LIMITS = { setsPer10s: 300, otherPer10s: 4_000, windowMs: 10_000 } as const;

/** `set` = writing a secret version; `other` = every other call (get, get deleted, recover, purge). */
export type CallKind = 'set' | 'other';

/** At most `calls` started within any `windowMs`. */
export interface RateBudget {
  calls: number;
  windowMs: number;
}

/**
 * The whole documented limit: holding back a share "for other clients" does not protect them (they
 * get no reservation from it) and costs a whole extra window on a 300-secret push. When the vault is
 * shared, its 429s tell us, and the retries and the concurrency control below react to them.
 */
export const DEFAULT_BUDGETS: Record<CallKind, RateBudget> = {
  set: {
    calls: KEY_VAULT_RATE_LIMITS.setsPer10s,
    windowMs: KEY_VAULT_RATE_LIMITS.windowMs,
  },
  other: {
    calls: KEY_VAULT_RATE_LIMITS.otherPer10s,
    windowMs: KEY_VAULT_RATE_LIMITS.windowMs,
  },
};

/** Concurrency the adaptive limit starts at (when the ceiling allows): it grows from here while the vault keeps up. */
export const INITIAL_CONCURRENCY = 8;

/** How long one request may take before it is abandoned (and retried). Default 30 s. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

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
  /** Calls in flight at once, at most. Default 32. The adaptive limit starts lower and grows to it. */
  maxConcurrency?: number;
  /** Where the adaptive limit starts. Default INITIAL_CONCURRENCY (or maxConcurrency, if lower). */
  initialConcurrency?: number;
  clock?: Clock;
  /** Random source in [0, 1) for jitter; tests pass a constant. */
  random?: () => number;
  budgets?: Partial<Record<CallKind, RateBudget>>;
  retry?: Partial<RetryPolicy>;
  /** Per attempt: a request without an answer by then is abandoned and retried. Default 30 s. */
  callTimeoutMs?: number;
  /** Aborting it stops the run: no call starts, calls in flight are abandoned. `reason` says why. */
  signal?: AbortSignal;
  onRetry?(event: RetryEvent): void;
  /**
   * Called when the vault has answered nothing (not even an error) for `silentMs` ≥ 3 call timeouts
   * and 5 calls in a row have timed out: it has stopped answering, and retrying every call 8 more
   * times would only make the run last longer. The engine stops the run. (At 30 % of calls never
   * answered, the last call of a run times out 5 times in a row once in 400 runs: 0.3^5.)
   */
  onUnresponsive?(silentMs: number): void;
  onConcurrencyChange?(limit: number, why: 'throttled' | 'recovered'): void;
}

/** What a task gets: the signal to pass to its request (aborted on the call's timeout or the run's stop). */
export interface Attempt {
  signal: AbortSignal;
}

export interface Scheduler {
  /** Runs `task` under the concurrency limit and the `kind` budget, retrying retryable failures. */
  run<T>(kind: CallKind, label: string, task: (attempt: Attempt) => Promise<T>, timeoutMs?: number): Promise<T>;
  /** The current adaptive concurrency limit. */
  readonly concurrencyLimit: number;
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

export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const maxConcurrency = Math.max(1, Math.floor(options.maxConcurrency ?? 32));
  const initial = Math.min(maxConcurrency, Math.max(1, Math.floor(options.initialConcurrency ?? INITIAL_CONCURRENCY)));
  const gate = new ConcurrencyGate(initial);
  const windows: Record<CallKind, SlidingWindow> = {
    set: new SlidingWindow(options.budgets?.set ?? DEFAULT_BUDGETS.set, clock),
    other: new SlidingWindow(options.budgets?.other ?? DEFAULT_BUDGETS.other, clock),
  };
  // Every waiting and running call listens to the run's signal: a signal of our own, linked to the
  // caller's by one listener, may have that many listeners without Node's leak warning on stderr.
  const runSignal = options.signal && linkedSignal(options.signal);
  const stopped = (inFlight: boolean) => new RunStoppedError(stopReason(runSignal), inFlight);
  if (runSignal) {
    const onAbort = () => gate.close(() => stopped(false));
    if (runSignal.aborted) onAbort();
    else runSignal.addEventListener('abort', onAbort, { once: true });
  }
  /** Resolves with `promise`, or rejects as soon as the run stops. */
  const unlessStopped = <T>(promise: Promise<T>): Promise<T> => {
    if (!runSignal) return promise;
    if (runSignal.aborted) return Promise.reject(stopped(false));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(stopped(false));
      runSignal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (v) => (runSignal.removeEventListener('abort', onAbort), resolve(v)),
        (e: unknown) => (runSignal.removeEventListener('abort', onAbort), reject(e)),
      );
    });
  };

  // The limit grows while the vault keeps up: +1 per success (doubling every round, like TCP's slow
  // start) until the first throttle, then +1 per round of successes; it halves on a throttle (AIMD),
  // down to half the starting limit. The rate windows, not the concurrency, keep us within the
  // vault's limits (and a 429 lowers their budget); halving further only starved the run when 429s
  // came at random (at 30 % random 429s it sat at 1). `epoch` counts decreases so that the 429s of
  // calls already in flight when we halved do not halve again.
  const floor = Math.max(1, Math.floor(initial / 2));
  let epoch = 0;
  let successes = 0;
  let slowStart = true;
  const setLimit = (limit: number, why: 'throttled' | 'recovered') => {
    gate.setLimit(limit);
    options.onConcurrencyChange?.(limit, why);
  };
  const onThrottle = (startedInEpoch: number) => {
    successes = 0;
    slowStart = false;
    if (startedInEpoch !== epoch) return;
    epoch++;
    const halved = Math.max(floor, Math.floor(gate.limit / 2));
    if (halved !== gate.limit) setLimit(halved, 'throttled');
  };
  const onSuccess = () => {
    if (gate.limit >= maxConcurrency) return;
    if (slowStart || ++successes >= gate.limit) {
      successes = 0;
      setLimit(gate.limit + 1, 'recovered');
    }
  };

  const backoff = (error: unknown, cause: RetryCause, attempt: number): number => {
    const serverWait = retryAfterMs(error, clock.now());
    if (serverWait !== undefined) return Math.min(serverWait, retry.maxRetryAfterMs);
    const first = cause === 'throttled' || cause === 'busy' ? retry.baseDelayMs : retry.transientBaseDelayMs;
    const base = Math.min(first * 2 ** (attempt - 1), retry.maxDelayMs);
    return Math.round(base * (1 - retry.jitter + 2 * retry.jitter * random()));
  };

  // Real time, as the call timeouts are: when the vault last answered anything.
  let lastAnswerAt = performance.now();
  let timeoutsSinceAnswer = 0;
  const silenceLimitMs = 3 * callTimeoutMs;
  const onTimeout = () => {
    const silentMs = performance.now() - lastAnswerAt;
    if (++timeoutsSinceAnswer >= 5 && silentMs >= silenceLimitMs) options.onUnresponsive?.(silentMs);
  };

  /** One attempt, abandoned after callTimeoutMs or when the run stops, whether or not the task listens. */
  const attemptOnce = <T>(task: (a: Attempt) => Promise<T>, timeoutMs: number): Promise<T> => {
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        runSignal?.removeEventListener('abort', onRunAbort);
      };
      const timer = setTimeout(() => {
        const error = new CallTimeoutError(timeoutMs);
        controller.abort(error);
        finish();
        reject(error);
        onTimeout();
      }, timeoutMs);
      const onRunAbort = () => {
        const error = stopped(true);
        controller.abort(error);
        finish();
        reject(error);
      };
      runSignal?.addEventListener('abort', onRunAbort, { once: true });
      const answered = () => {
        if (!controller.signal.aborted) {
          lastAnswerAt = performance.now();
          timeoutsSinceAnswer = 0;
        }
        finish();
      };
      task({ signal: controller.signal }).then(
        (v) => (answered(), resolve(v)),
        (e: unknown) => (answered(), reject(e)),
      );
    });
  };

  return {
    get concurrencyLimit() {
      return gate.limit;
    },
    async run<T>(
      kind: CallKind,
      label: string,
      task: (attempt: Attempt) => Promise<T>,
      timeoutMs = callTimeoutMs,
    ): Promise<T> {
      const maxAttempts = retry.maxRetries + 1;
      for (let attempt = 1; ; attempt++) {
        // A retry goes to the front of the queue: it has waited already.
        await gate.acquire(attempt > 1);
        const startedInEpoch = epoch;
        let failure: unknown;
        let cause: RetryCause | undefined;
        try {
          const slot = await unlessStopped(windows[kind].take(runSignal));
          if (runSignal?.aborted) throw stopped(false);
          try {
            const result = await attemptOnce(task, timeoutMs);
            onSuccess();
            return result;
          } finally {
            // Counted whatever the answer, a 429 too: the service says it does not count 429s,
            // but the emulator counts its injected ones, and counting them only makes us a little
            // more patient when the vault is shared.
            slot.settle();
          }
        } catch (error) {
          failure = error;
          cause = error instanceof RunStoppedError ? undefined : retryCause(error);
          // Shrink before the slot is released, so the release does not admit a waiter at the old limit.
          if (cause === 'throttled') onThrottle(startedInEpoch);
        } finally {
          // Released during the backoff too, so a sleeping retry does not hold a slot.
          gate.release();
        }
        if (cause === undefined || attempt >= maxAttempts) throw failure;
        const delayMs = backoff(failure, cause, attempt);
        const statusCode = errorFacts(failure).statusCode;
        options.onRetry?.({
          label,
          cause,
          attempt,
          maxAttempts,
          delayMs,
          ...(statusCode !== undefined ? { statusCode } : {}),
        });
        await unlessStopped(clock.sleep(delayMs, runSignal));
      }
    },
  };
}

/** A signal that aborts with `outer` (and its reason), with no limit on its listeners. */
function linkedSignal(outer: AbortSignal): AbortSignal {
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  if (outer.aborted) inner.abort(outer.reason);
  else outer.addEventListener('abort', () => inner.abort(outer.reason), { once: true });
  return inner.signal;
}

/** Why the run stopped, from the signal's reason (an Error's message, or a string). */
export function stopReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  if (typeof reason === 'string' && reason) return reason;
  return 'the run was cancelled';
}

/** A counting semaphore whose limit can move; waiters are served in order (retries first). */
class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private closedWith: (() => unknown) | undefined;

  constructor(public limit: number) {}

  acquire(first: boolean): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith());
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      if (first) this.waiting.unshift({ resolve, reject });
      else this.waiting.push({ resolve, reject });
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

  /** Refuses every waiter and every later acquire with `error()`. */
  close(error: () => unknown): void {
    this.closedWith = error;
    for (const w of this.waiting.splice(0)) w.reject(error());
  }

  private drain(): void {
    while (this.active < this.limit) {
      const next = this.waiting.shift();
      if (!next) return;
      this.active++;
      next.resolve();
    }
  }
}

/** A call's place in a rate window: settled when its answer came (or it was given up). */
interface WindowSlot {
  settle(): void;
}

/**
 * At most `calls` within any `windowMs`, where a call is dated by when its answer came, and a call
 * still waiting for its answer counts as now. The vault counts a request when it arrives, which is
 * after we start it and before we have its answer, unevenly (network, our own busy event loop):
 * dating by the start let the 301st write, started exactly 10 s after the 1st, reach the emulator
 * a little under 10 s after the 1st did and get a 429 (32 of them in a 1,000-secret push under
 * load). Dating by the answer cannot be early, and costs only the answer's trip back.
 * A sliding log like the emulator's `--throttle real` (and stricter than any fixed window); a plain
 * token bucket of the same size would let a full bucket plus its refill through in one window.
 */
class SlidingWindow {
  /** Answer times; undefined while the call is in flight. */
  private readonly entries: Array<{ at: number | undefined }> = [];
  private wake: Array<() => void> = [];

  constructor(
    private readonly budget: RateBudget,
    private readonly clock: Clock,
  ) {}

  async take(signal?: AbortSignal): Promise<WindowSlot> {
    for (;;) {
      // Stopped: the caller sees the stop and never sends; nothing to count.
      if (signal?.aborted) return { settle: () => undefined };
      const now = this.clock.now();
      const horizon = now - this.budget.windowMs;
      for (let i = this.entries.length - 1; i >= 0; i--) {
        const at = this.entries[i]!.at;
        if (at !== undefined && at <= horizon) this.entries.splice(i, 1);
      }
      if (this.entries.length < this.budget.calls) {
        const entry: { at: number | undefined } = { at: undefined };
        this.entries.push(entry);
        return {
          settle: () => {
            entry.at = this.clock.now();
            this.notify();
          },
        };
      }
      // Full: wait until the oldest answered call leaves the window, or any call is answered.
      const answered = this.entries.map((e) => e.at).filter((at): at is number => at !== undefined);
      const changed = new Promise<void>((resolve) => this.wake.push(resolve));
      const onAbort = () => this.notify();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await (answered.length > 0
          ? Promise.race([changed, this.clock.sleep(Math.min(...answered) + this.budget.windowMs - now, signal)])
          : changed);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = [];
    for (const w of wake) w();
  }
}

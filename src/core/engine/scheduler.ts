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
import { setMaxListeners } from 'node:events';
import { errorFacts } from '../errors/describe-error.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { DEFAULT_BUDGETS, SlidingWindow, type CallKind, type RateBudget } from './rate-limits.js';
import {
  CallTimeoutError,
  DEFAULT_RETRY,
  RunStoppedError,
  retryAfterMs,
  retryCause,
  type RetryCause,
  type RetryPolicy,
} from './retry-policy.js';

import { systemClock, type Clock } from './clock.js';

/** Concurrency the adaptive limit starts at (when the ceiling allows): it grows from here while the vault keeps up. */
export const INITIAL_CONCURRENCY = 8;

/** How long one request may take before it is abandoned (and retried). Default 30 s. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

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

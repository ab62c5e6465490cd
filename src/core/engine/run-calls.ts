// The store calls of one push, each run through the scheduler: reads, writes, recover and purge, with the
// bookkeeping every phase shares (the expiry each secret ends with, progress, a failure's message). The
// planning and applying phases (read-phase.ts, apply-phase.ts) see only this, never the scheduler.
import type { CallOptions, CurrentState, DeletedState, LiveState } from '../common/ports.js';
import type { PushRequest, SecretOutcome, SecretSpec } from '../common/types.js';
import type { EngineDeps } from './engine-deps.js';
import { decide, desiredProperties, type Decision } from './plan.js';
import { createScheduler, DEFAULT_CALL_TIMEOUT_MS, type Attempt } from './scheduler.js';
import { systemClock } from './clock.js';
import { CallTimeoutError, RunStoppedError, formatSeconds } from './retry-policy.js';
import type { CallKind } from './rate-limits.js';
import { describeError, pushPolicyNeeds, type DescribeContext, type StoreOperation } from '../errors/describe-error.js';
import { viaProxyNote } from '../errors/network-causes.js';
import { maskFragments } from '../common/mask.js';

/** Recover and purge poll the service until it has finished, so they get longer than one request. */
const POLLING_CALL_TIMEOUT_FACTOR = 4;

/** A failed store call, tagged with the operation for describeError. */
export class StepError extends Error {
  constructor(
    readonly operation: StoreOperation,
    readonly original: unknown,
  ) {
    super(operation);
    this.name = 'StepError';
  }
}

export interface RunCalls {
  read(name: string): Promise<LiveState>;
  readDeleted(name: string): Promise<DeletedState>;
  /** Writes the secret with the request's properties; the new version id. */
  write(spec: SecretSpec): Promise<string>;
  recover(name: string): Promise<void>;
  purge(name: string): Promise<void>;
  /** The plan's decision for a secret, on what the vault holds now. */
  decide(spec: SecretSpec, current: CurrentState): Decision;
  /** The outcome as reported: with the expiry the vault holds after this run; progress is told. */
  finished(outcome: SecretOutcome): SecretOutcome;
  /** The outcome failed by `error`, its message scrubbed of every value. */
  fail(outcome: SecretOutcome, error: unknown): SecretOutcome;
}

export function createRunCalls(
  req: PushRequest,
  deps: EngineDeps,
  signal: AbortSignal,
  stopRun: (why: Error) => void,
): RunCalls {
  const { store, logger, owner } = deps;
  const clock = deps.scheduler?.clock ?? systemClock;
  const callTimeoutMs = req.callTimeoutMs ?? deps.scheduler?.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const scheduler = createScheduler({
    ...deps.scheduler,
    maxConcurrency: req.maxConcurrency,
    callTimeoutMs,
    signal,
    onUnresponsive: (silentMs) => {
      deps.scheduler?.onUnresponsive?.(silentMs);
      stopRun(
        new Error(`Key Vault has not answered any request for ${formatSeconds(Math.round(silentMs / 100) * 100)}`),
      );
    },
    onRetry: (e) => {
      logger.info(
        `${e.label}: ${e.cause}${e.statusCode !== undefined ? ` (${e.statusCode})` : ''}, retrying in ` +
          `${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt + 1} of ${e.maxAttempts})`,
      );
      deps.scheduler?.onRetry?.(e);
      deps.onProgress?.({ kind: 'retry', name: e.label });
    },
    onConcurrencyChange: (limit, why) => {
      if (why === 'throttled') logger.info(`Key Vault is throttling: lowering concurrency to ${limit}`);
      else logger.debug(`Raising concurrency to ${limit}`);
      deps.scheduler?.onConcurrencyChange?.(limit, why);
    },
  });
  const now = () => new Date(clock.now());
  const opts = (a: Attempt): CallOptions => ({ abortSignal: a.signal });
  const pollingTimeout = callTimeoutMs * POLLING_CALL_TIMEOUT_FACTOR;

  /** Runs one store call through the scheduler; a failure becomes a StepError naming the operation. */
  const call = async <T>(
    kind: CallKind,
    operation: StoreOperation,
    name: string,
    task: (attempt: Attempt) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T> => {
    try {
      return await scheduler.run(kind, `${name} (${operation})`, task, timeoutMs);
    } catch (error) {
      throw new StepError(operation, error);
    }
  };
  // The expiry each secret has after this run, as last read or written (for expiry warnings).
  const expiries = new Map<string, Date | undefined>();
  // Values this run holds, to scrub from any message as a second line of defence (the SDK's
  // errors are read by code, not echoed, so none should ever get here).
  const scrub = makeScrubber(req.secrets.map((s) => s.value));
  const vaultHost = new URL(req.vaultUrl).hostname;

  return {
    read: async (name) => {
      const state = await call('other', 'read', name, (a) => store.read(name, opts(a)));
      expiries.set(name, state.kind === 'present' ? state.secret.expiresOn : undefined);
      return state;
    },
    readDeleted: (name) => call('other', 'read', name, (a) => store.readDeleted(name, opts(a))),
    // A retried write whose first attempt may have landed (no answer, a reset) can leave one extra
    // version with the same value and properties: never a wrong value, and a rerun finds it unchanged.
    // Reading before each retry to avoid that would add a request that can fail too.
    write: async (spec) => {
      const props = desiredProperties(req, owner, now());
      expiries.set(spec.name, props.expiresOn);
      const { version } = await call('set', 'write', spec.name, (a) =>
        store.write(spec.name, spec.value, props, opts(a)),
      );
      return version;
    },
    recover: (name) => call('other', 'recover', name, (a) => store.recover(name, opts(a)), pollingTimeout),
    purge: (name) => call('other', 'purge', name, (a) => store.purge(name, opts(a)), pollingTimeout),
    decide: (spec, current) => decide(spec, current, req, owner, now(), deps.label),
    finished: (o) => {
      const expiresOn = o.status === 'failed' ? undefined : expiries.get(o.name);
      deps.onProgress?.({ kind: 'done', name: o.name });
      return expiresOn ? { ...o, expiresOn } : o;
    },
    fail: (outcome, error) => {
      const operation = error instanceof StepError ? error.operation : 'write';
      const original = error instanceof StepError ? error.original : error;
      return {
        ...outcome,
        status: 'failed',
        error: scrub(explain(original, operation, { ...deps, policyNeeds: pushPolicyNeeds(req.onDeleted) }, vaultHost)),
      };
    },
  };
}

/** A failure's cause, for the secret's outcome: ours (stopped, timed out) or describeError's. */
function explain(error: unknown, operation: StoreOperation, ctx: DescribeContext, vaultHost: string): string {
  if (error instanceof RunStoppedError) {
    return error.inFlight
      ? `${operation} interrupted: ${error.why}; it may or may not have reached the vault, run again${viaProxyNote(vaultHost)}`
      : `not attempted: ${error.why}${viaProxyNote(vaultHost)}`;
  }
  if (error instanceof CallTimeoutError) {
    return `${operation} failed: ${error.message}, on every attempt: check the runner's network path to the vault, or raise the call timeout${viaProxyNote(vaultHost)}`;
  }
  return describeError(error, operation, ctx);
}

/** Replaces every value (and every line of a multi-line value) found in a message. */
function makeScrubber(values: string[]): (text: string) => string {
  // Very short fragments would scrub ordinary words; the platform masker still covers them.
  const fragments = [...new Set(values.flatMap(maskFragments))]
    .filter((f) => f.trim().length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text) => fragments.reduce((t, f) => t.split(f).join('***'), text);
}

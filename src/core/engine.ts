// Plan and apply: read every secret's current state, decide, log the plan, then (unless dry-run)
// apply each decision. Every store call goes through one scheduler (bounded, rate-budgeted,
// retrying each request on its own). A secret's failure is recorded on its outcome and never stops
// the others; a failed sign-in, a cancellation or the run's deadline stop them all, and every
// secret's outcome then says whether it was written.
//
// Requests per secret: an unchanged one costs one read; a new one a read (404) and a write. A real
// run does not look for a soft-deleted secret of the same name before writing: the write's 409
// ObjectIsDeletedButRecoverable says so, and only then is the deleted secret read for its owner and
// the on-deleted policy applied. A dry run writes nothing, so it reads the deleted secret of every
// name without a live one: its plan is exact.
import type { CallOptions, CurrentState, Logger, SecretStore } from './ports.js';
import type { Label } from './inputs.js';
import type { Owner, PushRequest, PushResult, SecretOutcome, SecretSpec } from './types.js';
import { decide, desiredProperties, type Decision } from './plan.js';
import {
  CallTimeoutError,
  DEFAULT_CALL_TIMEOUT_MS,
  RunStoppedError,
  createScheduler,
  formatSeconds,
  stopReason,
  systemClock,
  type Attempt,
  type CallKind,
  type SchedulerOptions,
} from './scheduler.js';
import {
  describeError,
  errorFacts,
  hasErrorCode,
  type DescribeContext,
  type StoreOperation,
} from './describe-error.js';
import { isSignInFailure } from './sign-in-failure.js';
import { maskFragments } from './mask.js';
import { viaProxyNote } from './network-causes.js';

/** The whole push stops after this long unless the request says otherwise. A push of 10,000 new
 * secrets takes about 6 minutes at the vault's limit of 300 writes per 10 s. */
export const DEFAULT_RUN_DEADLINE_MS = 15 * 60_000;

/** Recover and purge poll the service until it has finished, so they get longer than one request. */
const POLLING_CALL_TIMEOUT_FACTOR = 4;

export interface EngineDeps {
  store: SecretStore;
  logger: Logger;
  owner: Owner;
  /** Who is signed in (e.g. "client id … (GitHub OIDC)"), named in sign-in and permission errors. */
  identity?: string;
  /** Names inputs in reasons and errors the way the platform spells them. */
  label: Label;
  /** Aborted when the job is cancelled (SIGTERM): no request starts after it, and the result says what landed. */
  signal?: AbortSignal;
  /** Clock, budgets, retry policy; the concurrency limit, call timeout and deadline come from the request. */
  scheduler?: SchedulerOptions;
  /** Told of each secret finished (planned in a dry run) and each retry, for progress lines. */
  onProgress?(event: { kind: 'done' | 'retry'; name: string }): void;
}

/** A secret after step 1. */
interface Planned {
  spec: SecretSpec;
  outcome: SecretOutcome;
  /** Its read failed to sign in (not an answer from the vault). */
  signInFailed?: boolean;
}

/** A failed store call, tagged with the operation for describeError. */
class StepError extends Error {
  constructor(
    readonly operation: StoreOperation,
    readonly original: unknown,
  ) {
    super(operation);
    this.name = 'StepError';
  }
}

export async function pushSecrets(req: PushRequest, deps: EngineDeps): Promise<PushResult> {
  const deadlineMs = req.runDeadlineMs ?? DEFAULT_RUN_DEADLINE_MS;
  const stop = new AbortController();
  const deadline = setTimeout(
    () => stop.abort(new Error(`the run's deadline (${formatSeconds(deadlineMs)}) passed`)),
    deadlineMs,
  );
  const onCancel = () => stop.abort(deps.signal?.reason);
  if (deps.signal?.aborted) onCancel();
  else deps.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    return await plannedAndApplied(req, deps, stop.signal, (why) => stop.abort(why));
  } finally {
    clearTimeout(deadline);
    deps.signal?.removeEventListener('abort', onCancel);
  }
}

async function plannedAndApplied(
  req: PushRequest,
  deps: EngineDeps,
  signal: AbortSignal,
  stopRun: (why: Error) => void,
): Promise<PushResult> {
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
  const read = async (name: string) => {
    const state = await call('other', 'read', name, (a) => store.read(name, opts(a)));
    expiries.set(name, state.kind === 'present' ? state.secret.expiresOn : undefined);
    return state;
  };
  const readDeleted = (name: string) => call('other', 'read', name, (a) => store.readDeleted(name, opts(a)));
  const finished = (o: SecretOutcome): SecretOutcome => {
    const expiresOn = o.status === 'failed' ? undefined : expiries.get(o.name);
    deps.onProgress?.({ kind: 'done', name: o.name });
    return expiresOn ? { ...o, expiresOn } : o;
  };
  // A retried write whose first attempt may have landed (no answer, a reset) can leave one extra
  // version with the same value and properties: never a wrong value, and a rerun finds it unchanged.
  // Reading before each retry to avoid that would add a request that can fail too.
  const write = async (spec: SecretSpec): Promise<string> => {
    const props = desiredProperties(req, owner, now());
    expiries.set(spec.name, props.expiresOn);
    const { version } = await call('set', 'write', spec.name, (a) =>
      store.write(spec.name, spec.value, props, opts(a)),
    );
    return version;
  };
  const pollingTimeout = callTimeoutMs * POLLING_CALL_TIMEOUT_FACTOR;

  // Values this run holds, to scrub from any message as a second line of defence (the SDK's
  // errors are read by code, not echoed, so none should ever get here).
  const scrub = makeScrubber(req.secrets.map((s) => s.value));
  const vaultHost = new URL(req.vaultUrl).hostname;
  const fail = (outcome: SecretOutcome, error: unknown): SecretOutcome => {
    const operation = error instanceof StepError ? error.operation : 'write';
    const original = error instanceof StepError ? error.original : error;
    return { ...outcome, status: 'failed', error: scrub(explain(original, operation, deps, vaultHost)) };
  };

  // 1. Read and decide, every secret before any write. The first read goes alone: it signs in, so
  // a sign-in failure is found once, before anything else is sent, and fails every secret with
  // its own message instead of being taken for an answer about a secret.
  const readOne = async (spec: SecretSpec): Promise<Planned> => {
    const base = { name: spec.name, origin: spec.origin };
    let current: CurrentState;
    try {
      current = await read(spec.name);
      if (current.kind === 'not-live' && req.dryRun) current = await readDeleted(spec.name);
    } catch (error) {
      const outcome: SecretOutcome = {
        ...base,
        action: 'blocked',
        reason: 'could not read its current state',
        status: 'failed',
      };
      const signInFailed = error instanceof StepError && isSignInFailure(error.original);
      return { spec, outcome: fail(outcome, error), signInFailed };
    }
    const decision = decide(spec, current, req, owner, now(), deps.label);
    const outcome: SecretOutcome = {
      ...base,
      ...decision,
      status: decision.action === 'blocked' ? 'failed' : req.dryRun ? 'planned' : 'done',
      ...(decision.action === 'blocked' ? { error: decision.reason } : {}),
    };
    return { spec, outcome };
  };
  const planned: Planned[] = [];
  const [first, ...rest] = req.secrets;
  if (first) {
    const probe = await readOne(first);
    const signInFailure = firstSignInFailure(probe);
    planned.push(probe);
    if (signInFailure) {
      // Not one more request: every secret fails with the sign-in's own message.
      for (const spec of rest) {
        planned.push({
          spec,
          outcome: {
            name: spec.name,
            origin: spec.origin,
            action: 'blocked',
            reason: 'could not read its current state',
            status: 'failed',
            error: signInFailure,
          },
        });
      }
    } else {
      planned.push(...(await Promise.all(rest.map(readOne))));
    }
  }

  // 2. The plan: one line per secret, names and reasons only.
  logger.info(`${req.dryRun ? 'Plan (dry run, nothing will be written)' : 'Plan'}:`);
  for (const { outcome } of planned) {
    const cause = outcome.error && outcome.error !== outcome.reason ? ` (${outcome.error})` : '';
    logger.info(`  ${outcome.name}: ${outcome.action} — ${outcome.reason}${cause}`);
  }
  if (req.dryRun) return { vaultUrl: req.vaultUrl, dryRun: true, outcomes: planned.map((p) => finished(p.outcome)) };

  // 3. Apply.
  /** After a soft-deleted secret is found: recover then re-decide, or purge then create. */
  const applyDeleted = async (spec: SecretSpec, outcome: SecretOutcome, why: string): Promise<SecretOutcome> => {
    if (req.onDeleted === 'purge') {
      await call('other', 'purge', spec.name, (a) => store.purge(spec.name, opts(a)), pollingTimeout);
      const version = await write(spec);
      // Purged: nothing of the old secret is left, so what exists now was created by this run.
      return { ...outcome, action: 'create', reason: `${why}; purged and created anew`, status: 'done', version };
    }
    await call('other', 'recover', spec.name, (a) => store.recover(spec.name, opts(a)), pollingTimeout);
    const after: Decision = decide(spec, await read(spec.name), req, owner, now(), deps.label);
    const recovered = { ...outcome, action: 'recover' as const };
    switch (after.action) {
      case 'unchanged':
        return { ...recovered, reason: `${why}; recovered, and it matches (${after.reason})`, status: 'done' };
      case 'create':
      case 'update': {
        const version = await write(spec);
        return { ...recovered, reason: `${why}; recovered, then written (${after.reason})`, status: 'done', version };
      }
      case 'blocked':
        return {
          ...recovered,
          reason: `${why}; recovered, but not written`,
          status: 'failed',
          error: `recovered, but ${after.reason}`,
        };
      case 'recover':
        return {
          ...recovered,
          reason: `${why}; still soft-deleted after recovery`,
          status: 'failed',
          error: 'still soft-deleted after recovery: run again',
        };
    }
  };

  const apply = async ({ spec, outcome }: Planned): Promise<SecretOutcome> => {
    if (outcome.status === 'failed' || outcome.action === 'unchanged') return outcome;
    try {
      try {
        const version = await write(spec);
        return { ...outcome, status: 'done', version };
      } catch (error) {
        // Soft-deleted (the read only looked for a live secret), or deleted since: the on-deleted
        // policy decides, on what is there now, so the deleted secret's owner is checked before it
        // is recovered or purged. If the deleted secret cannot be read (no list permission), its
        // owner is unknown: recovery is still allowed (ownership is checked after it), purging is not.
        const foundDeleted =
          error instanceof StepError && hasErrorCode(errorFacts(error.original), 'ObjectIsDeletedButRecoverable');
        if (!foundDeleted) throw error;
        const seen = req.onDeleted === 'fail' ? { kind: 'absent' as const } : await readDeleted(spec.name);
        const current: CurrentState = seen.kind === 'absent' ? { kind: 'deleted' } : seen;
        const again = decide(spec, current, req, owner, now(), deps.label);
        if (again.action === 'blocked')
          return { ...outcome, action: 'blocked', reason: again.reason, status: 'failed', error: again.reason };
        const why =
          outcome.action === 'update'
            ? 'soft-deleted while this run was writing it'
            : 'soft-deleted (found by the write)';
        const target: SecretOutcome = { ...outcome, action: req.onDeleted === 'purge' ? 'create' : 'recover' };
        try {
          return await applyDeleted(spec, target, why);
        } catch (failure) {
          return fail(target, failure);
        }
      }
    } catch (error) {
      return fail(outcome, error);
    }
  };

  const outcomes = await Promise.all(planned.map(async (p) => finished(await apply(p))));
  for (const o of outcomes) {
    if (o.status === 'failed') logger.warning(`${o.name}: ${o.error ?? o.reason}`);
    else if (o.version)
      logger.info(
        `${o.name}: ${o.action === 'create' ? 'created' : o.action === 'update' ? 'updated' : 'recovered'}, version ${o.version}`,
      );
  }
  if (signal.aborted) {
    const written = outcomes.filter((o) => o.version).length;
    logger.warning(
      `Stopped: ${stopReason(signal)}. ${written} secret(s) written, ` +
        `${outcomes.filter((o) => o.status === 'failed').length} not (named above); a rerun completes the rest`,
    );
  }
  return { vaultUrl: req.vaultUrl, dryRun: false, outcomes };
}

/** The message of a secret that failed to sign in (the probe), if that is why it failed. */
function firstSignInFailure(probe: Planned): string | undefined {
  return probe.outcome.status === 'failed' && probe.outcome.error && probe.signInFailed
    ? probe.outcome.error
    : undefined;
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

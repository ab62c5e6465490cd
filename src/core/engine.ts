// Plan and apply: read every secret's current state, decide, log the plan, then (unless dry-run)
// apply each decision. Every store call goes through one scheduler (bounded, rate-budgeted,
// retrying). A secret's failure is recorded on its outcome and never stops the others.
import type { CurrentState, Logger, SecretStore } from './ports.js';
import type { Label } from './inputs.js';
import type { Owner, PushRequest, PushResult, SecretOutcome, SecretSpec } from './types.js';
import { decide, desiredProperties, type Decision } from './plan.js';
import { createScheduler, systemClock, type CallKind, type SchedulerOptions } from './scheduler.js';
import { describeError, errorFacts, hasErrorCode, type StoreOperation } from './describe-error.js';

export interface EngineDeps {
  store: SecretStore;
  logger: Logger;
  owner: Owner;
  /** Who is signed in (e.g. "client id … (GitHub OIDC)"), named in sign-in and permission errors. */
  identity?: string;
  /** Names inputs in reasons and errors the way the platform spells them. */
  label: Label;
  /** Clock, budgets, retry policy; the concurrency limit comes from the request. */
  scheduler?: SchedulerOptions;
  /** Told of each secret finished (planned in a dry run) and each retry, for progress lines. */
  onProgress?(event: { kind: 'done' | 'retry'; name: string }): void;
}

/** A secret after step 1; `deleted` when it was found soft-deleted (recover, or purge then create). */
interface Planned {
  spec: SecretSpec;
  outcome: SecretOutcome;
  deleted: boolean;
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
  const { store, logger, owner } = deps;
  const clock = deps.scheduler?.clock ?? systemClock;
  const scheduler = createScheduler({
    ...deps.scheduler,
    maxConcurrency: req.maxConcurrency,
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

  /** Runs one store call through the scheduler; a failure becomes a StepError naming the operation. */
  const call = async <T>(
    kind: CallKind,
    operation: StoreOperation,
    name: string,
    task: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await scheduler.run(kind, `${name} (${operation})`, task);
    } catch (error) {
      throw new StepError(operation, error);
    }
  };
  // The expiry each secret has after this run, as last read or written (for expiry warnings).
  const expiries = new Map<string, Date | undefined>();
  const read = async (name: string) => {
    const state = await call('other', 'read', name, () => store.read(name));
    expiries.set(name, state.kind === 'present' ? state.secret.expiresOn : undefined);
    return state;
  };
  const finished = (o: SecretOutcome): SecretOutcome => {
    const expiresOn = o.status === 'failed' ? undefined : expiries.get(o.name);
    deps.onProgress?.({ kind: 'done', name: o.name });
    return expiresOn ? { ...o, expiresOn } : o;
  };
  const write = async (spec: SecretSpec): Promise<string> => {
    const props = desiredProperties(req, owner, now());
    expiries.set(spec.name, props.expiresOn);
    const { version } = await call('set', 'write', spec.name, () => store.write(spec.name, spec.value, props));
    return version;
  };

  // Values this run holds, to scrub from any message as a second line of defence (the SDK's
  // errors are read by code, not echoed, so none should ever get here).
  const scrub = makeScrubber(req.secrets.map((s) => s.value));
  const fail = (outcome: SecretOutcome, error: unknown): SecretOutcome => {
    const message =
      error instanceof StepError
        ? describeError(error.original, error.operation, deps)
        : describeError(error, 'write', deps);
    return { ...outcome, status: 'failed', error: scrub(message) };
  };

  // 1. Read and decide, every secret before any write.
  const planned = await Promise.all(
    req.secrets.map(async (spec): Promise<Planned> => {
      const base = { name: spec.name, origin: spec.origin };
      let current: CurrentState;
      try {
        current = await read(spec.name);
      } catch (error) {
        const outcome: SecretOutcome = {
          ...base,
          action: 'blocked',
          reason: 'could not read its current state',
          status: 'failed',
        };
        return { spec, outcome: fail(outcome, error), deleted: false };
      }
      const decision = decide(spec, current, req, owner, now(), deps.label);
      const outcome: SecretOutcome = {
        ...base,
        ...decision,
        status: decision.action === 'blocked' ? 'failed' : req.dryRun ? 'planned' : 'done',
        ...(decision.action === 'blocked' ? { error: decision.reason } : {}),
      };
      return { spec, outcome, deleted: current.kind === 'deleted' };
    }),
  );

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
      await call('other', 'purge', spec.name, () => store.purge(spec.name));
      const version = await write(spec);
      // Purged: nothing of the old secret is left, so what exists now was created by this run.
      return { ...outcome, action: 'create', reason: `${why}; purged and created anew`, status: 'done', version };
    }
    await call('other', 'recover', spec.name, () => store.recover(spec.name));
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

  const apply = async ({ spec, outcome, deleted }: Planned): Promise<SecretOutcome> => {
    if (outcome.status === 'failed' || outcome.action === 'unchanged') return outcome;
    try {
      if (deleted) return await applyDeleted(spec, outcome, 'soft-deleted');
      try {
        const version = await write(spec);
        return { ...outcome, status: 'done', version };
      } catch (error) {
        // Deleted between our read and our write: the on-deleted policy decides, as it would have.
        const deletedMeanwhile =
          error instanceof StepError && hasErrorCode(errorFacts(error.original), 'ObjectIsDeletedButRecoverable');
        if (!deletedMeanwhile || req.onDeleted === 'fail') throw error;
        // Decide again on what is there now, so the deleted secret's owner is checked before it is
        // recovered or purged. If the deleted secret cannot be read (no list permission), its owner
        // is unknown: recovery is still allowed (ownership is checked after it), purging is not.
        const seen = await read(spec.name);
        const current: CurrentState = seen.kind === 'absent' ? { kind: 'deleted' } : seen;
        if (current.kind !== 'deleted') throw error;
        const again = decide(spec, current, req, owner, now(), deps.label);
        if (again.action === 'blocked')
          return { ...outcome, action: 'blocked', reason: again.reason, status: 'failed', error: again.reason };
        return await applyDeleted(spec, outcome, 'soft-deleted while this run was writing it');
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
  return { vaultUrl: req.vaultUrl, dryRun: false, outcomes };
}

/** Replaces every value (and every line of a multi-line value) found in a message. */
function makeScrubber(values: string[]): (text: string) => string {
  // Very short fragments would scrub ordinary words; the platform masker still covers them.
  const fragments = [...new Set(values.flatMap((v) => [v, ...v.split(/\r\n|\r|\n/)]))]
    .filter((f) => f.trim().length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text) => fragments.reduce((t, f) => t.split(f).join('***'), text);
}

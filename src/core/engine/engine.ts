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
import type { Logger } from '../common/ports.js';
import type { EngineDeps } from './engine-deps.js';
import type { PushRequest, PushResult, SecretOutcome } from '../common/types.js';
import { stopReason } from './scheduler.js';
import { formatSeconds } from './retry-policy.js';
import { createRunCalls } from './run-calls.js';
import { readAndDecide } from './read-phase.js';
import { apply } from './apply-phase.js';
import { SEE_BELOW } from '../errors/describe-error.js';

/** The whole push stops after this long unless the request says otherwise. A push of 10,000 new
 * secrets takes about 6 minutes at the vault's limit of 300 writes per 10 s. */
export const DEFAULT_RUN_DEADLINE_MS = 15 * 60_000;

export type { EngineDeps } from './engine-deps.js';

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
  const calls = createRunCalls(req, deps, signal, stopRun);
  // 1. Read and decide, every secret before any write.
  const planned = await readAndDecide(req, calls);
  // 2. The plan: one line per secret, names and reasons only.
  logPlan(
    deps.logger,
    req.dryRun,
    planned.map((p) => p.outcome),
  );
  if (req.dryRun)
    return { vaultUrl: req.vaultUrl, dryRun: true, outcomes: planned.map((p) => calls.finished(p.outcome)) };
  // 3. Apply.
  const outcomes = await Promise.all(planned.map(async (p) => calls.finished(await apply(req, calls, p))));
  logApplied(deps.logger, outcomes, signal);
  return { vaultUrl: req.vaultUrl, dryRun: false, outcomes };
}

function logPlan(logger: Logger, dryRun: boolean, outcomes: readonly SecretOutcome[]): void {
  logger.info(`${dryRun ? 'Plan (dry run, nothing will be written)' : 'Plan'}:`);
  for (const o of outcomes) {
    const failed = o.status === 'failed' && (o.error ?? o.reason) === o.reason;
    logger.info(`  ${o.name}: ${o.action} — ${failed ? SEE_BELOW : o.reason}`);
  }
}

const DONE_VERB = { create: 'created', update: 'updated', recover: 'recovered' } as const;

function logApplied(logger: Logger, outcomes: readonly SecretOutcome[], signal: AbortSignal): void {
  for (const o of outcomes) {
    // A secret blocked in the plan was named there; one that failed being written is named here, once.
    if (o.status === 'failed') {
      if (o.action !== 'blocked') logger.info(`${o.name}: ${o.action} failed (${SEE_BELOW})`);
    } else if (o.version)
      logger.info(`${o.name}: ${DONE_VERB[o.action as keyof typeof DONE_VERB] ?? 'recovered'}, version ${o.version}`);
  }
  if (signal.aborted) {
    const written = outcomes.filter((o) => o.version).length;
    logger.warning(
      `Stopped: ${stopReason(signal)}. ${written} secret(s) written, ` +
        `${outcomes.filter((o) => o.status === 'failed').length} not (named above); a rerun completes the rest`,
    );
  }
}

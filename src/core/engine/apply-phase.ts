// Step 3 of a push: apply each decision. A new secret is written without first looking for a soft-deleted one
// of the same name: the write's 409 ObjectIsDeletedButRecoverable says so, and only then is the deleted secret
// read for its owner and the on-deleted policy applied.
import type { CurrentState } from '../common/ports.js';
import type { PushRequest, SecretOutcome, SecretSpec } from '../common/types.js';
import { errorFacts, hasErrorCode } from '../errors/error-facts.js';
import { StepError, type RunCalls } from './run-calls.js';
import type { Planned } from './read-phase.js';

export async function apply(req: PushRequest, calls: RunCalls, { spec, outcome }: Planned): Promise<SecretOutcome> {
  if (outcome.status === 'failed' || outcome.action === 'unchanged') return outcome;
  try {
    const version = await calls.write(spec);
    return { ...outcome, status: 'done', version };
  } catch (error) {
    if (!(error instanceof StepError && hasErrorCode(errorFacts(error.original), 'ObjectIsDeletedButRecoverable'))) {
      return calls.fail(outcome, error);
    }
    try {
      return await foundDeleted(req, calls, spec, outcome);
    } catch (failure) {
      return calls.fail(outcome, failure);
    }
  }
}

/**
 * The write found the name soft-deleted (the read only looked for a live secret), or deleted since: the
 * on-deleted policy decides, on what is there now, so the deleted secret's owner is checked before it is
 * recovered or purged. If the deleted secret cannot be read (no list permission), its owner is unknown:
 * recovery is still allowed (ownership is checked after it), purging is not.
 */
async function foundDeleted(
  req: PushRequest,
  calls: RunCalls,
  spec: SecretSpec,
  outcome: SecretOutcome,
): Promise<SecretOutcome> {
  const seen = req.onDeleted === 'fail' ? { kind: 'absent' as const } : await calls.readDeleted(spec.name);
  const current: CurrentState = seen.kind === 'absent' ? { kind: 'deleted' } : seen;
  const again = calls.decide(spec, current);
  if (again.action === 'blocked')
    return { ...outcome, action: 'blocked', reason: again.reason, status: 'failed', error: again.reason };
  const why =
    outcome.action === 'update' ? 'soft-deleted while this run was writing it' : 'soft-deleted (found by the write)';
  const target: SecretOutcome = { ...outcome, action: req.onDeleted === 'purge' ? 'create' : 'recover' };
  try {
    return await applyDeleted(req, calls, spec, target, why);
  } catch (failure) {
    return calls.fail(target, failure);
  }
}

/** After a soft-deleted secret is found: recover then re-decide, or purge then create. */
async function applyDeleted(
  req: PushRequest,
  calls: RunCalls,
  spec: SecretSpec,
  outcome: SecretOutcome,
  why: string,
): Promise<SecretOutcome> {
  if (req.onDeleted === 'purge') {
    await calls.purge(spec.name);
    const version = await calls.write(spec);
    // Purged: nothing of the old secret is left, so what exists now was created by this run.
    return { ...outcome, action: 'create', reason: `${why}; purged and created anew`, status: 'done', version };
  }
  await calls.recover(spec.name);
  const after = calls.decide(spec, await calls.read(spec.name));
  const recovered = { ...outcome, action: 'recover' as const };
  switch (after.action) {
    case 'unchanged':
      return { ...recovered, reason: `${why}; recovered, and it matches (${after.reason})`, status: 'done' };
    case 'create':
    case 'update': {
      const version = await calls.write(spec);
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
}

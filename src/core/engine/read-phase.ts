// Step 1 of a push: read every secret's current state and decide, before any write. The first read goes
// alone: it signs in, so a sign-in failure is found once, before anything else is sent, and fails every
// secret with its own message instead of being taken for an answer about a secret.
import type { CurrentState } from '../common/ports.js';
import type { PushRequest, SecretOutcome, SecretSpec } from '../common/types.js';
import { isSignInFailure } from '../errors/sign-in-failure.js';
import { StepError, type RunCalls } from './run-calls.js';

/** A secret after step 1. */
export interface Planned {
  spec: SecretSpec;
  outcome: SecretOutcome;
  /** Its read failed to sign in (not an answer from the vault). */
  signInFailed?: boolean;
}

const UNREADABLE = { action: 'blocked', reason: 'could not read its current state', status: 'failed' } as const;

export async function readAndDecide(req: PushRequest, calls: RunCalls): Promise<Planned[]> {
  const [first, ...rest] = req.secrets;
  if (!first) return [];
  const probe = await readOne(first, req, calls);
  const signInFailure = probe.signInFailed ? probe.outcome.error : undefined;
  if (signInFailure === undefined) return [probe, ...(await Promise.all(rest.map((s) => readOne(s, req, calls))))];
  // Not one more request: every secret fails with the sign-in's own message.
  const unread = rest.map((spec) => ({
    spec,
    outcome: { name: spec.name, origin: spec.origin, ...UNREADABLE, error: signInFailure },
  }));
  return [probe, ...unread];
}

/** One secret's read (a dry run also reads a soft-deleted one, so its plan is exact) and decision. */
async function readOne(spec: SecretSpec, req: PushRequest, calls: RunCalls): Promise<Planned> {
  const base = { name: spec.name, origin: spec.origin };
  let current: CurrentState;
  try {
    current = await calls.read(spec.name);
    if (current.kind === 'not-live' && req.dryRun) current = await calls.readDeleted(spec.name);
  } catch (error) {
    const signInFailed = error instanceof StepError && isSignInFailure(error.original);
    const outcome = calls.fail({ ...base, ...UNREADABLE }, error);
    return { spec, outcome, signInFailed: signInFailed && outcome.error !== undefined };
  }
  const decision = calls.decide(spec, current);
  const outcome: SecretOutcome = {
    ...base,
    ...decision,
    status: decision.action === 'blocked' ? 'failed' : req.dryRun ? 'planned' : 'done',
    ...(decision.action === 'blocked' ? { error: decision.reason } : {}),
    ...(decision.action === 'unchanged' && current.kind === 'present' && { currentVersion: current.secret.version }),
  };
  return { spec, outcome };
}

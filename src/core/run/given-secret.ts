// One secret whose value the platform reads itself, and only once everything else is known: every input valid, the
// identity signed in and each target's vault found. A person typing a value at a prompt then never types it for a
// run that was bound to stop (a bad flag, no workspace, a sign-in that fails), and the prompt can say where the
// value goes. The value is masked the moment it is read, then checked like any other (empty, size).
import type { TokenCredential } from '@azure/core-auth';
import type { Masker } from '../common/ports.js';
import type { RawInputs } from '../inputs/inputs.js';
import type { PushIntent } from '../inputs/inputs.js';
import { Reader, type GivenSecret, type ParseContext } from '../inputs/input-reader.js';
import { readGivenSecret } from '../inputs/parse-secrets.js';
import { InputError } from '../inputs/input-error.js';
import { maskAll } from '../common/mask.js';
import { describeError } from '../errors/describe-error.js';
import { resolveTargets, type FleetDeps, type FleetResult, type ResolvedTarget } from './fleet.js';

/** Where the value will go, for the prompt: each target's vault, its workspace, the config file it came from. */
export interface GivenWhere {
  name: string;
  targets: { vaultUrl: string; workspace?: string; source?: string }[];
}

/** Reads the value (a prompt, a pipe, a file); throws to stop the run (e.g. the user cancelled). */
export type ReadGiven = (where: GivenWhere) => Promise<GivenSecret>;

export interface GivenDeps {
  raw: RawInputs;
  ctx: ParseContext;
  masker: Masker;
  fleet: FleetDeps;
}

/**
 * Resolves the targets, then reads the value. Returns the targets and the intent with its one secret, or a result
 * that failed without asking (a target not found, a failed sign-in).
 */
export async function readGivenAfterTargets(
  intent: PushIntent,
  name: string,
  read: ReadGiven,
  deps: GivenDeps,
): Promise<{ intent: PushIntent; resolved: ResolvedTarget[] } | { result: FleetResult }> {
  const resolved = await resolveTargets(intent.targets, deps.fleet);
  // A vault given by URL or name needs no lookup; signing in now still fails before the value is asked for.
  if (resolved.every((r) => r.spec.target.kind === 'vault')) {
    const error = await signInProblem(deps.fleet.credential, deps.fleet.cloud.resourceManagerAudience, deps.fleet);
    if (error !== undefined) for (const r of resolved) r.error ??= error;
  }
  const notFound = resolved.filter((r) => r.error !== undefined || r.vaultUrl === undefined);
  if (notFound.length > 0) {
    const targets = resolved.map((r) => ({
      target: r.spec.display,
      outcomes: [],
      deleted: [],
      error: r.error ?? 'not written: the value was not asked for, as another target failed',
    }));
    return { result: { mode: 'push', dryRun: intent.dryRun, secrets: [name], targets, expiring: [] } };
  }
  const given = await read({
    name,
    targets: resolved.map((r) => ({
      vaultUrl: r.vaultUrl!,
      ...(r.spec.target.kind === 'workspace' && { workspace: r.spec.target.workspaceName }),
      ...(r.spec.source !== undefined && { source: r.spec.source }),
    })),
  });
  if ('value' in given) maskAll([given.value], deps.masker);
  const r = new Reader(deps.raw, deps.ctx);
  const secrets = readGivenSecret(r, given, r.boolean('allow-empty'));
  if (r.problems.length > 0) throw new InputError(r.problems, [name]);
  return { intent: { ...intent, secrets }, resolved };
}

async function signInProblem(
  credential: TokenCredential,
  audience: string,
  deps: Pick<FleetDeps, 'label' | 'identity'>,
): Promise<string | undefined> {
  try {
    await credential.getToken(`${audience}/.default`);
    return undefined;
  } catch (error) {
    // Nothing was read yet: the cause alone ("could not sign in to Azure …"), without "read failed:".
    const said = describeError(error, 'read', { label: deps.label, ...(deps.identity && { identity: deps.identity }) });
    return said.replace(/^read failed: /, '');
  }
}

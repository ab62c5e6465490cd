// The one flow every adapter runs: parse → mask → validate → sign in → find the vaults → plan/apply (or list).
// Masking comes before anything can be logged or sent, and nothing is requested before every
// input (the sign-in inputs included) has been validated.
import type { TokenCredential } from '@azure/core-auth';
import type { Logger, Masker, SecretStore } from '../common/ports.js';
import type { Owner } from '../common/types.js';
import type { RawInputs } from '../inputs/inputs.js';
import type { Cloud } from '../azure/clouds.js';
import { parseRequest, type ParseContext } from '../inputs/parse-request.js';
import { maskAll } from '../common/mask.js';
import { InputError } from '../inputs/input-error.js';
import { createKeyVaultStore } from '../engine/keyvault-store.js';
import { pushFleet, type FleetDeps, type FleetResult } from './fleet.js';
import { listFleet, type ListResult } from './list-secrets.js';
import { scopedOwner } from '../common/ownership.js';
import { explainSignInFailures } from '../errors/sign-in-failure.js';
import type { ProgressSink } from '../engine/progress.js';
import { readGivenAfterTargets, type ReadGiven } from './given-secret.js';

/** How the adapter signs in, prepared (and checked) from its inputs without any request. */
export interface SignIn {
  /** Problems with the sign-in inputs: reported together with every other input problem. */
  problems: string[];
  /** Secrets of the sign-in itself (client secret, certificate): masked like values. */
  secrets: string[];
  /**
   * Builds the credential for the cloud the inputs chose; called only when every input is valid.
   * `client` goes into the credential's options (the User-Agent prefix of its Entra requests).
   */
  credential(cloud: Cloud, client: ClientOptions): TokenCredential;
  /** Who signs in, for messages, e.g. "client id 1234… (GitHub OIDC)". Never a secret. */
  identity?: string;
  /** What to do when the sign-in fails, in the platform's words (e.g. "run az login"). */
  fix?: string;
}

/** SDK client options every Azure client of a run gets. */
export interface ClientOptions {
  userAgentOptions?: { userAgentPrefix?: string };
}

export interface PushDeps extends ParseContext {
  /** Prefixed to the SDK's User-Agent on every Azure request (src/core/common/user-agent.ts). */
  userAgent?: string;
  logger: Logger;
  masker: Masker;
  signIn: SignIn;
  owner: Owner;
  /** Replaced only by tests of the flow itself. */
  createStore?: (vaultUrl: string, credential: TokenCredential) => SecretStore;
  /** Progress lines of a long run, in the platform's collapsible group (or a terminal bar). */
  progress?: ProgressSink;
  /** One secret (ParseContext.given holds its name) whose value is read once the targets are found. */
  readGiven?: ReadGiven;
  /** Aborted when the job is cancelled: the engine starts no more requests and says what landed. */
  signal?: AbortSignal;
  now?: Date;
}

/** What a run did: a push over its targets, or a listing of them. */
export type RunResult = FleetResult | ListResult;

export async function runPush(raw: RawInputs, deps: PushDeps): Promise<RunResult> {
  const parsed = parseRequest(raw, deps, deps.now);
  maskAll([...deps.signIn.secrets, ...parsed.values], deps.masker);
  const problems = [...parsed.problems, ...deps.signIn.problems, ...(deps.owner.problem ? [deps.owner.problem] : [])];
  if (!parsed.request || problems.length > 0) throw new InputError(problems, parsed.names);
  for (const note of parsed.notes) deps.logger.info(note);

  const intent = parsed.request;
  const client: ClientOptions = deps.userAgent ? { userAgentOptions: { userAgentPrefix: deps.userAgent } } : {};
  const credential = explainSignInFailures(deps.signIn.credential(intent.cloud, client), {
    ...(deps.signIn.fix !== undefined && { fix: deps.signIn.fix }),
    debug: deps.logger.debug,
  });
  if (deps.signIn.identity) deps.logger.info(`Signing in as ${deps.signIn.identity}`);
  const fleetDeps: FleetDeps = {
    credential,
    cloud: intent.cloud,
    logger: deps.logger,
    label: deps.label,
    ...(deps.signIn.identity && { identity: deps.signIn.identity }),
    owner: scopedOwner(deps.owner, intent.ownerScope),
    createStore:
      deps.createStore ??
      ((url, cred) => createKeyVaultStore(url, cred, deps.userAgent ? { userAgent: deps.userAgent } : {})),
    ...(deps.userAgent && { userAgent: deps.userAgent }),
    ...(deps.progress && { progress: deps.progress }),
    ...(deps.signal && { signal: deps.signal }),
    ...(deps.now && { now: deps.now }),
  };
  if (intent.mode === 'list') return listFleet(intent.targets, fleetDeps);
  if (deps.readGiven && deps.given) {
    const ready = await readGivenAfterTargets(intent, deps.given.name, deps.readGiven, {
      raw,
      ctx: deps,
      masker: deps.masker,
      fleet: fleetDeps,
    });
    if ('result' in ready) return ready.result;
    return pushFleet(ready.intent, fleetDeps, ready.resolved);
  }
  return pushFleet(intent, fleetDeps);
}

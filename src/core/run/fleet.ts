// A push to every target of a run. Each target's vault is found (workspace → vault over Resource Manager), targets
// that resolve to the same vault are pushed once, and every vault is pushed in parallel with its own scheduler and
// rate budget (pushSecrets makes one per call), then pruned when asked. A target's failure (no Reader, a firewall,
// throttling) is recorded on its result and never stops the others.
import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../azure/clouds.js';
import type { Label } from '../inputs/inputs.js';
import type { Logger, SecretStore } from '../common/ports.js';
import type { Owner, PushRequest, SecretOutcome, Target } from '../common/types.js';
import type { PushIntent } from '../inputs/inputs.js';
import type { TargetSpec } from '../common/types.js';
import { resolveWorkspace, type WorkspaceResolution } from '../targets/workspace-vault.js';
import type { ReadersReport } from '../readers/types.js';
import { readersStep } from '../readers/run-check.js';
import { pushSecrets } from '../engine/engine.js';
import { pruneVault, type PruneOutcome } from '../engine/prune.js';
import { Progress, tickEverySecond, type ProgressSink } from '../engine/progress.js';
import { expiringSoon, type ExpiryWarning } from './expiry.js';
import { isSignInFailure } from '../errors/sign-in-failure.js';
import { SEE_BELOW, signInCause } from '../errors/describe-error.js';

/** What happened in one target. */
export interface TargetResult {
  /** The target as given: SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE, or the vault URL. */
  target: string;
  /** Its vault, once found. */
  vaultUrl?: string;
  outcomes: SecretOutcome[];
  /** Secrets prune soft-deleted (or would, in a dry run). */
  deleted: PruneOutcome[];
  /** The target failed as a whole (its vault not found, prune could not list it): a cause a person can act on. */
  error?: string;
  /** Another target resolved to the same vault, which was pushed once, under that target. */
  sameVaultAs?: string;
  /** With `readers`: who can read the pushed secrets in this vault. */
  readers?: ReadersReport;
}

export interface FleetResult {
  mode: 'push';
  dryRun: boolean;
  /** The names of the input's secrets (a target that failed as a whole failed them all). */
  secrets: string[];
  targets: TargetResult[];
  /** Secrets this owner manages that expire within warn-expiry-days. */
  expiring: ExpiryWarning[];
  /** Set when the inputs had problems: nothing was requested, every secret name read failed. */
  problems?: string[];
  /** The run checked readers (each pushed target has its report). */
  readers?: boolean;
}

export interface FleetDeps {
  credential: TokenCredential;
  cloud: Cloud;
  logger: Logger;
  label: Label;
  identity?: string;
  /** Prefixed to the SDK's User-Agent on Resource Manager requests. */
  userAgent?: string;
  /** The owner with its scope, if any. */
  owner: Owner;
  createStore: (vaultUrl: string, credential: TokenCredential) => SecretStore;
  /** Progress lines for long runs; none without a sink. */
  progress?: ProgressSink;
  /** Aborted when the job is cancelled: no request starts after it, and each target says what landed. */
  signal?: AbortSignal;
  now?: Date;
}

/** A target's vault: a URL, or the cause it could not be found. */
export interface ResolvedTarget {
  spec: TargetSpec;
  vaultUrl?: string;
  error?: string;
  found?: WorkspaceResolution;
}

/** The vault of each target: a URL, or the cause it could not be found. */
export async function resolveTargets(
  targets: readonly TargetSpec[],
  deps: Pick<FleetDeps, 'credential' | 'cloud' | 'logger' | 'label' | 'identity' | 'userAgent'>,
): Promise<ResolvedTarget[]> {
  return Promise.all(
    targets.map(async (spec) => {
      try {
        const found = await vaultOf(spec.target, deps);
        return typeof found === 'string' ? { spec, vaultUrl: found } : { spec, vaultUrl: found.vaultUrl, found };
      } catch (error) {
        // A failed sign-in says who was tried and the fix, not the SDK's account of it (that is in the debug log).
        const message = isSignInFailure(error)
          ? signInCause(error, deps.identity)
          : error instanceof Error
            ? error.message
            : String(error);
        return { spec, error: message };
      }
    }),
  );
}

async function vaultOf(
  target: Target,
  deps: Pick<FleetDeps, 'credential' | 'cloud' | 'logger' | 'label' | 'identity' | 'userAgent'>,
): Promise<string | WorkspaceResolution> {
  if (target.kind === 'vault') return target.vaultUrl;
  return resolveWorkspace(target, {
    credential: deps.credential,
    cloud: deps.cloud,
    logger: deps.logger,
    label: deps.label,
    ...(deps.identity && { identity: deps.identity }),
    ...(deps.userAgent && { userAgent: deps.userAgent }),
  });
}

/** Marks every target whose vault an earlier target already has (origins compare case-insensitively). */
export function markSameVaults<T extends { spec: TargetSpec; vaultUrl?: string }>(
  resolved: readonly T[],
): (T & { sameVaultAs?: string })[] {
  const first = new Map<string, string>();
  return resolved.map((r) => {
    if (r.vaultUrl === undefined) return r;
    const key = r.vaultUrl.toLowerCase();
    const earlier = first.get(key);
    if (earlier !== undefined) return { ...r, sameVaultAs: earlier };
    first.set(key, r.spec.display);
    return r;
  });
}

/** `found`: the targets resolved already (the CLI's `set` finds them before it asks for the value). */
export async function pushFleet(intent: PushIntent, deps: FleetDeps, found?: ResolvedTarget[]): Promise<FleetResult> {
  const { targets, prune, warnExpiryDays } = intent;
  const options: Omit<PushRequest, 'vaultUrl'> = {
    secrets: intent.secrets,
    tags: intent.tags,
    ...(intent.contentType !== undefined && { contentType: intent.contentType }),
    ...(intent.expiresOn && { expiresOn: intent.expiresOn }),
    ...(intent.expiresInMs !== undefined && { expiresInMs: intent.expiresInMs }),
    ...(intent.notBefore && { notBefore: intent.notBefore }),
    onDeleted: intent.onDeleted,
    adoptUnowned: intent.adoptUnowned,
    dryRun: intent.dryRun,
    maxConcurrency: intent.maxConcurrency,
    ...(intent.callTimeoutMs !== undefined && { callTimeoutMs: intent.callTimeoutMs }),
    ...(intent.runDeadlineMs !== undefined && { runDeadlineMs: intent.runDeadlineMs }),
  };
  const several = targets.length > 1;
  const logFor = (display: string): Logger => (several ? prefixed(deps.logger, `[${display}] `) : deps.logger);

  const resolved = markSameVaults(found ?? (await resolveTargets(targets, deps)));
  // Only with `readers`: without it, no request of the check is sent.
  const check = intent.readers && readersStep(intent.readers, options.secrets, options.dryRun, deps);
  const progress = new Progress(
    resolved
      .filter((r) => r.vaultUrl !== undefined && !r.sameVaultAs)
      .map((r) => ({
        name: r.spec.display,
        total: options.secrets.length,
      })),
    deps.progress ?? { report: () => undefined },
  );
  const stopTicking = deps.progress ? tickEverySecond(progress) : () => undefined;

  const results = await Promise.all(
    resolved.map(async (r): Promise<TargetResult> => {
      const base = { target: r.spec.display, outcomes: [], deleted: [] };
      const logger = logFor(r.spec.display);
      if (r.vaultUrl === undefined) {
        logger.info(`${r.spec.display}: its vault is unknown (${SEE_BELOW})`);
        return { ...base, error: r.error ?? 'its vault was not found' };
      }
      if (r.sameVaultAs !== undefined) {
        logger.info(`${r.spec.display} is the same vault as ${r.sameVaultAs} (${r.vaultUrl}): pushed once`);
        return { ...base, vaultUrl: r.vaultUrl, sameVaultAs: r.sameVaultAs };
      }
      const pushed = await pushOne(r.spec.display, r.vaultUrl, { ...options, vaultUrl: r.vaultUrl }, prune, logger);
      // A target that failed before writing anything (sign-in, the vault unreachable) has nothing to check.
      // A cancelled run checks nothing more.
      if (!check || deps.signal?.aborted || (pushed.error !== undefined && pushed.outcomes.length === 0)) return pushed;
      const listNames = async () =>
        (await deps.createStore(r.vaultUrl!, deps.credential).list()).map((secret) => secret.name);
      return {
        ...pushed,
        ...(await check(r.spec.display, r.vaultUrl, r.found, logger, { outcomes: pushed.outcomes, listNames })),
      };
    }),
  );
  stopTicking();

  const expiring = expiringSoon(results, warnExpiryDays, deps.now ?? new Date());
  for (const w of expiring) {
    deps.logger.warning(
      `${w.name} in ${w.vaultUrl} expires on ${w.expiresOn.toISOString()} (${w.days < 1 ? 'within a day' : `in ${Math.floor(w.days)} day(s)`}): rotate it`,
    );
  }
  return {
    mode: 'push',
    dryRun: options.dryRun,
    secrets: options.secrets.map((s) => s.name),
    targets: results,
    expiring,
    ...(intent.readers && { readers: true }),
  };

  async function pushOne(
    display: string,
    vaultUrl: string,
    request: PushRequest,
    pruneToo: boolean,
    logger: Logger,
  ): Promise<TargetResult> {
    const base = { target: display, vaultUrl, outcomes: [] as SecretOutcome[], deleted: [] as PruneOutcome[] };
    try {
      logger.info(`${request.dryRun ? 'Planning' : 'Pushing'} ${request.secrets.length} secret(s) to ${vaultUrl}`);
      const store = deps.createStore(vaultUrl, deps.credential);
      const pushed = await pushSecrets(request, {
        store,
        logger,
        owner: deps.owner,
        label: deps.label,
        ...(deps.identity && { identity: deps.identity }),
        ...(deps.signal && { signal: deps.signal }),
        onProgress: (e) => (e.kind === 'done' ? progress.done(display) : progress.retry(display)),
      });
      const outcomes = pushed.outcomes;
      if (!pruneToo) return { ...base, outcomes };
      try {
        const deleted = await pruneVault(request.secrets, {
          store,
          logger,
          owner: deps.owner,
          label: deps.label,
          ...(deps.identity && { identity: deps.identity }),
          dryRun: request.dryRun,
          maxConcurrency: request.maxConcurrency,
        });
        return { ...base, outcomes, deleted };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.info(`Prune failed (${SEE_BELOW})`);
        return { ...base, outcomes, error: message };
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.info(`${display}: failed (${SEE_BELOW})`);
      return { ...base, error: message };
    }
  }
}

function prefixed(logger: Logger, prefix: string): Logger {
  return {
    debug: (m) => logger.debug(prefix + m),
    info: (m) => logger.info(prefix + m),
    warning: (m) => logger.warning(prefix + m),
  };
}

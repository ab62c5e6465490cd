// Prune: soft-delete, in one vault, the secrets this owner (and owner scope) wrote that are no longer in the input.
// Never an unowned secret, never another owner's or another scope's, never a certificate's; never purged, so each
// stays recoverable for the vault's retention (`az keyvault secret recover`). Selection is pure; the run lists the
// vault (properties only, never values) and sends one DELETE per retired secret.
import type { ListedSecret, Logger, SecretStore } from '../common/ports.js';
import type { Owner, SecretSpec } from '../common/types.js';
import type { Label } from '../inputs/inputs.js';
import { isOwnedBy } from '../common/ownership.js';
import { nameKey } from '../azure/names.js';
import { SEE_BELOW, describeError } from '../errors/describe-error.js';

/** One secret prune deleted (or would, in a dry run), or failed to. */
export interface PruneOutcome {
  name: string;
  status: 'planned' | 'done' | 'failed';
  reason: string;
  error?: string;
}

/** The listed secrets to delete: owned by exactly this owner id, and not among the names pushed. */
export function selectRetired(listed: ListedSecret[], pushed: readonly string[], owner: Owner): ListedSecret[] {
  const keep = new Set(pushed.map(nameKey));
  return listed
    .filter((s) => !s.managed && isOwnedBy(s.tags, owner) && !keep.has(nameKey(s.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface PruneDeps {
  store: SecretStore;
  logger: Logger;
  owner: Owner;
  label: Label;
  identity?: string;
  dryRun: boolean;
  /** Deletions in flight at once, at most. */
  maxConcurrency: number;
}

/** Thrown when the vault cannot be listed: the target's prune failed as a whole. */
export class PruneListError extends Error {
  override readonly name = 'PruneListError';
}

export async function pruneVault(secrets: readonly SecretSpec[], deps: PruneDeps): Promise<PruneOutcome[]> {
  // The parser refuses an empty input with prune set; this guard keeps a future caller from emptying a vault.
  if (secrets.length === 0) throw new PruneListError('prune refused: the input resolves to no secrets');
  let listed: ListedSecret[];
  try {
    listed = await deps.store.list();
  } catch (error) {
    throw new PruneListError(`prune: ${describeError(error, 'list', deps)}`);
  }
  const retired = selectRetired(
    listed,
    secrets.map((s) => s.name),
    deps.owner,
  );
  const reason = `written by ${deps.owner.id}, no longer in the input`;
  if (retired.length === 0) {
    deps.logger.info('Prune: nothing to delete');
    return [];
  }
  deps.logger.info(`Prune${deps.dryRun ? ' (dry run, nothing will be deleted)' : ''}:`);
  for (const s of retired) deps.logger.info(`  ${s.name}: delete — ${reason}`);
  if (deps.dryRun) return retired.map((s) => ({ name: s.name, status: 'planned', reason }));

  const outcomes = await mapLimited(retired, deps.maxConcurrency, async (s): Promise<PruneOutcome> => {
    try {
      await deps.store.remove(s.name);
      deps.logger.info(`${s.name}: soft-deleted (recoverable)`);
      return { name: s.name, status: 'done', reason };
    } catch (error) {
      const message = describeError(error, 'delete', deps);
      deps.logger.info(`${s.name}: not deleted (${SEE_BELOW})`);
      return { name: s.name, status: 'failed', reason, error: message };
    }
  });
  return outcomes;
}

/** Maps with at most `limit` calls in flight, keeping the order of `items`. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

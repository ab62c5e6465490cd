// List: what every target's vault holds, by name and properties only (a listing never carries a value), with whose
// each secret is: this owner's, another owner's or scope's, or unowned (the workspace's own, or written by hand).
import type { ListedSecret } from '../common/ports.js';
import type { Owner } from '../common/types.js';
import { OWNER_TAG, OWNERSHIP_TAG, OWNERSHIP_VALUE, isOwnedBy, tagValue } from '../common/ownership.js';
import { SEE_BELOW, describeError } from '../errors/describe-error.js';
import { markSameVaults, resolveTargets, type FleetDeps } from './fleet.js';
import type { TargetSpec } from '../common/types.js';

/** Whose a secret is: `ours`, `unowned`, or another owner id (another repository, pipeline or scope). */
export type OwnerClass = { kind: 'ours' } | { kind: 'unowned' } | { kind: 'other'; owner: string };

export interface ListedTarget {
  target: string;
  vaultUrl?: string;
  secrets: (ListedSecret & { owner: OwnerClass })[];
  error?: string;
  sameVaultAs?: string;
}

export interface ListResult {
  mode: 'list';
  targets: ListedTarget[];
}

export function classifyOwner(tags: Record<string, string>, owner: Owner): OwnerClass {
  if (isOwnedBy(tags, owner)) return { kind: 'ours' };
  if (tagValue(tags, OWNERSHIP_TAG) !== OWNERSHIP_VALUE) return { kind: 'unowned' };
  return { kind: 'other', owner: tagValue(tags, OWNER_TAG) || '(no owner tag)' };
}

export function describeOwner(o: OwnerClass): string {
  return o.kind === 'other' ? o.owner : o.kind;
}

export async function listFleet(targets: readonly TargetSpec[], deps: FleetDeps): Promise<ListResult> {
  const resolved = markSameVaults(await resolveTargets(targets, deps));
  const listed = await Promise.all(
    resolved.map(async (r): Promise<ListedTarget> => {
      const base = { target: r.spec.display, secrets: [] };
      if (r.vaultUrl === undefined) {
        deps.logger.info(`${r.spec.display}: its vault is unknown (${SEE_BELOW})`);
        return { ...base, error: r.error ?? 'its vault was not found' };
      }
      if (r.sameVaultAs !== undefined) return { ...base, vaultUrl: r.vaultUrl, sameVaultAs: r.sameVaultAs };
      deps.logger.info(`Listing the secrets of ${r.vaultUrl}`);
      try {
        const secrets = await deps.createStore(r.vaultUrl, deps.credential).list();
        return {
          ...base,
          vaultUrl: r.vaultUrl,
          secrets: secrets
            .map((s) => ({ ...s, owner: classifyOwner(s.tags, deps.owner) }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        };
      } catch (error) {
        const message = describeError(error, 'list', deps);
        deps.logger.info(`${r.spec.display}: not listed (${SEE_BELOW})`);
        return { ...base, vaultUrl: r.vaultUrl, error: message };
      }
    }),
  );
  return { mode: 'list', targets: listed };
}

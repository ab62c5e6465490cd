// Ownership tags. The Azure ML workspace keeps its own secrets (storage keys, connection strings) in
// the same vault, and other pipelines may push there too: a secret is overwritten only when it
// carries both of our tags with our owner id, unless the user asks to adopt unowned secrets.
import type { Owner } from './types.js';

/** Marks a secret as written by this tool. */
export const OWNERSHIP_TAG = 'managed-by';
export const OWNERSHIP_VALUE = 'aml-vault-push';
/** Which repository or project/pipeline wrote it (Owner.id). */
export const OWNER_TAG = 'aml-vault-push-owner';

/** The tags every version we write carries, on top of the user's tags. */
export function ownershipTags(owner: Owner): Record<string, string> {
  return { [OWNERSHIP_TAG]: OWNERSHIP_VALUE, [OWNER_TAG]: owner.id };
}

/** The value of a tag, its key compared case-insensitively (tag keys are not case-stable across tools). */
export function tagValue(tags: Record<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** True when both ownership tags are present and name this owner. */
export function isOwnedBy(tags: Record<string, string>, owner: Owner): boolean {
  return tagValue(tags, OWNERSHIP_TAG) === OWNERSHIP_VALUE && tagValue(tags, OWNER_TAG) === owner.id;
}

/** Why a secret is not ours, for the plan's reason: names the other owner, never a value. */
export function describeForeignOwner(tags: Record<string, string>): string {
  if (tagValue(tags, OWNERSHIP_TAG) !== OWNERSHIP_VALUE) {
    return `it exists without the ownership tag ${OWNERSHIP_TAG}=${OWNERSHIP_VALUE} (not written by this tool)`;
  }
  const other = tagValue(tags, OWNER_TAG);
  return other === undefined || other === ''
    ? `it is tagged ${OWNERSHIP_TAG}=${OWNERSHIP_VALUE} but has no ${OWNER_TAG} tag`
    : `it is owned by ${other}`;
}

/** The owner with its owner scope: `github.com/org/repo#scope`. Two scopes of one owner never own each other's. */
export function scopedOwner(owner: Owner, scope: string | undefined): Owner {
  return scope === undefined ? owner : { id: `${owner.id}#${scope}` };
}

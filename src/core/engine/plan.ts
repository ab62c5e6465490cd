// The plan: what to do with one secret, given what the vault holds now. Pure: no I/O, no clock
// (the caller passes `now`). Reasons name what differs, never a value.
import type { CurrentState, SecretProperties, StoredSecret } from '../common/ports.js';
import type { Action, Owner, PushRequest, SecretSpec } from '../common/types.js';
import { describeForeignOwner, isOwnedBy, ownershipTags } from '../common/ownership.js';
import { setting, type Label } from '../inputs/inputs.js';

export interface Decision {
  action: Action;
  reason: string;
}

/**
 * With expires-in, the expiry we expect on a version is its creation time + expires-in. The version's
 * created time comes from the service clock and our expiry from the runner's clock just before the
 * write, and both are stored in whole seconds: a minute of tolerance absorbs that, so a rerun finds
 * the secret unchanged instead of writing a new version because time has passed.
 */
export const EXPIRES_IN_TOLERANCE_MS = 60_000;

/** The request's fields that decide what a version should carry. */
export type PlanRequest = Pick<
  PushRequest,
  'contentType' | 'tags' | 'expiresOn' | 'expiresInMs' | 'notBefore' | 'onDeleted' | 'adoptUnowned'
>;

/** Tags a written version carries: the user's, then ours (ours win, so ownership cannot be spoofed by input). */
export function desiredTags(req: Pick<PushRequest, 'tags'>, owner: Owner): Record<string, string> {
  return { ...req.tags, ...ownershipTags(owner) };
}

/** Properties to write at time `now` (expires-in counts from the write). */
export function desiredProperties(req: PlanRequest, owner: Owner, now: Date): SecretProperties {
  const expiresOn =
    req.expiresOn ?? (req.expiresInMs !== undefined ? new Date(now.getTime() + req.expiresInMs) : undefined);
  return {
    ...(req.contentType !== undefined ? { contentType: req.contentType } : {}),
    tags: desiredTags(req, owner),
    ...(expiresOn ? { expiresOn } : {}),
    ...(req.notBefore ? { notBefore: req.notBefore } : {}),
  };
}

export function decide(
  spec: SecretSpec,
  current: CurrentState,
  req: PlanRequest,
  owner: Owner,
  now: Date,
  label: Label,
): Decision {
  switch (current.kind) {
    case 'absent':
      return { action: 'create', reason: 'not in the vault' };
    case 'not-live':
      // A real run does not ask whether a soft-deleted secret holds the name: the write's 409 says
      // so, and the on-deleted policy (with its ownership check) applies then.
      return { action: 'create', reason: 'no live secret in the vault' };
    case 'deleted':
      return decideDeleted(current.tags, req, owner, label);
    case 'disabled':
      return { action: 'blocked', reason: DISABLED_REASON };
    case 'present':
      return decidePresent(spec, current.secret, req, owner, now, label);
  }
}

const DISABLED_REASON =
  'its latest version is disabled, so its value and tags cannot be read to compare or to check ownership; ' +
  'enable that version (or delete the secret) and run again';

function decideDeleted(
  tags: Record<string, string> | undefined,
  req: PlanRequest,
  owner: Owner,
  label: Label,
): Decision {
  // Recovering or purging someone else's deleted secret is itself a change to it (a purge cannot be
  // undone), so ownership is checked first, on the deleted secret's tags.
  if (req.onDeleted !== 'fail' && !req.adoptUnowned) {
    if (tags && !isOwnedBy(tags, owner)) {
      return {
        action: 'blocked',
        reason: `soft-deleted, and not recovering or purging it: ${describeForeignOwner(tags)}; set ${setting(label, 'adopt-unowned', 'true')} to take it over`,
      };
    }
    if (!tags && req.onDeleted === 'purge') {
      return {
        action: 'blocked',
        reason: `soft-deleted, and its owner cannot be read, so it is not purged; recover or purge it yourself, or set ${setting(label, 'adopt-unowned', 'true')}`,
      };
    }
  }
  switch (req.onDeleted) {
    case 'recover':
      return {
        action: 'recover',
        reason: `soft-deleted; will recover it (${setting(label, 'on-deleted', 'recover')}), then write it if it differs`,
      };
    case 'purge':
      return {
        action: 'create',
        reason: `soft-deleted; will purge it (${setting(label, 'on-deleted', 'purge')}), then create it anew`,
      };
    case 'fail':
      return {
        action: 'blocked',
        reason: `soft-deleted; recover or purge it, or set ${label('on-deleted')} to recover or purge`,
      };
  }
}

function decidePresent(
  spec: SecretSpec,
  secret: StoredSecret,
  req: PlanRequest,
  owner: Owner,
  now: Date,
  label: Label,
): Decision {
  if (!secret.enabled) return { action: 'blocked', reason: DISABLED_REASON };
  const owned = isOwnedBy(secret.tags, owner);
  if (!owned && !req.adoptUnowned) {
    return {
      action: 'blocked',
      reason: `not overwriting it: ${describeForeignOwner(secret.tags)}; set ${setting(label, 'adopt-unowned', 'true')} to take it over`,
    };
  }
  const differences = differingFields(spec, secret, req, owner, now);
  const adopting = owned ? '' : `adopting it (${label('adopt-unowned')}): ${describeForeignOwner(secret.tags)}; `;
  if (differences.length === 0) return { action: 'unchanged', reason: `${adopting}same value and properties` };
  return { action: 'update', reason: `${adopting}differs: ${differences.join(', ')}` };
}

/** Names of the fields whose stored state differs from the request. */
export function differingFields(
  spec: SecretSpec,
  secret: StoredSecret,
  req: PlanRequest,
  owner: Owner,
  now: Date,
): string[] {
  const out: string[] = [];
  if (secret.value !== spec.value) out.push('value');
  if ((secret.contentType ?? '') !== (req.contentType ?? '')) out.push('content type');
  if (!sameTags(secret.tags, desiredTags(req, owner))) out.push('tags');
  if (!sameExpiry(secret, req, now)) out.push('expiry');
  if (!sameSecond(secret.notBefore, req.notBefore)) out.push('not-before');
  return out;
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function sameExpiry(secret: StoredSecret, req: PlanRequest, now: Date): boolean {
  if (req.expiresOn) return sameSecond(secret.expiresOn, req.expiresOn);
  if (req.expiresInMs === undefined) return secret.expiresOn === undefined;
  if (!secret.expiresOn) return false;
  const expected = (secret.createdOn ?? now).getTime() + req.expiresInMs;
  return Math.abs(secret.expiresOn.getTime() - expected) <= EXPIRES_IN_TOLERANCE_MS;
}

/** Key Vault stores dates as whole seconds (IntDate); the SDK truncates ours the same way. */
function sameSecond(a: Date | undefined, b: Date | undefined): boolean {
  if (!a || !b) return a === b;
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

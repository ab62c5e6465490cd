// Raw input strings → a validated PushRequest. Pure: the platform is reached only through ParseContext.
//
// Every problem is collected (nothing stops at the first), so a user fixes all of them in one go, and nothing is
// written while any is left. A problem names the input (by the platform's label) and the line or JSON key, and never
// contains a secret value: not the value, not a part of it, not the text of a malformed secrets-json. Parts of a
// `secrets` line that fail the syntax check are not echoed either: they may be a value pasted where a variable's name
// belongs; the line number says where to look.

import { Reader, type ParseContext } from './input-reader.js';
import { readGivenSecret, readSecrets } from './parse-secrets.js';
import { readCloud } from './parse-target.js';
import { readTargets } from './parse-targets.js';
import { readReaders } from './parse-readers.js';
import { pruneRefusal, readOwnerScope, readWarnExpiryDays } from './parse-fleet.js';
import { readContentType, readExpiry, readMaxConcurrency, readTags, readTimeLimits } from './parse-properties.js';
import { NAME_TRANSFORMS, DEFAULT_NAME_TRANSFORM } from '../azure/names.js';
import type { OnDeleted } from '../common/types.js';
import type { PushIntent, RawInputs } from './inputs.js';

export type { ParseContext } from './input-reader.js';

export interface Parsed {
  /** Present only when there are no problems. */
  request?: PushIntent;
  /** Every secret value read, also those with problems: the caller masks them all before it reports anything. */
  values: string[];
  /** Every problem found, each naming its input and line or key, never a value. */
  problems: string[];
  /** Every vault secret name read (valid ones, problems or not): a run stopped by problems reports them as failed. */
  names: string[];
  /** Choices worth a line in the log (the workspace config used), names and paths only. */
  notes: string[];
}

export function parseRequest(raw: RawInputs, ctx: ParseContext, now: Date = new Date()): Parsed {
  const r = new Reader(raw, ctx);

  // Options the secrets depend on come first.
  const transform = r.choice('name-transform', NAME_TRANSFORMS, DEFAULT_NAME_TRANSFORM);
  const allowEmpty = r.boolean('allow-empty');
  const adoptUnowned = r.boolean('adopt-unowned');
  const dryRun = r.boolean('dry-run');

  const mode = r.choice('mode', ['push', 'list'] as const, 'push');
  const prune = r.boolean('prune');
  // Listing needs no secrets: only where to look, and whose they are.
  const secrets =
    mode === 'list'
      ? []
      : ctx.given !== undefined
        ? readGivenSecret(r, ctx.given, allowEmpty)
        : readSecrets(r, transform, allowEmpty, prune ? pruneRefusal(r) : '');
  const cloud = readCloud(r);
  const targets = readTargets(r, cloud);
  const readers = readReaders(r, targets, mode);
  const ownerScope = readOwnerScope(r);
  const warnExpiryDays = readWarnExpiryDays(r);
  const contentType = readContentType(r);
  const tags = readTags(r);
  const expiry = readExpiry(r, now);
  const onDeleted = r.choice<OnDeleted>('on-deleted', ['recover', 'fail', 'purge'], 'recover');
  const maxConcurrency = readMaxConcurrency(r);
  const timeLimits = readTimeLimits(r);

  const names = [...new Set(r.names)];
  if (r.problems.length > 0 || targets === undefined)
    return { values: r.values, problems: r.problems, names, notes: r.notes };
  const request: PushIntent = {
    targets,
    cloud,
    mode,
    ...(ownerScope !== undefined && { ownerScope }),
    prune,
    warnExpiryDays,
    ...(readers && { readers }),
    secrets,
    ...(contentType !== undefined && { contentType }),
    tags,
    ...expiry,
    onDeleted,
    adoptUnowned,
    dryRun,
    maxConcurrency,
    ...timeLimits,
  };
  return { request, values: r.values, problems: [], names, notes: r.notes };
}

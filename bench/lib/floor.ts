// The floor of a push: the least wall time any client could need for a case, given the vault's
// documented limits and the round trips one secret needs. Pure functions; bench/README.md defines the
// terms ("The floor"). run.mjs loads this file through esbuild (see loadLib there), and
// test/bench/floor.test.ts tests it.

/** Key Vault's limits per vault per 10 s (https://learn.microsoft.com/azure/key-vault/general/service-limits). */
export interface VaultLimits {
  /** Secret sets (creates, new versions) per window: 300. */
  sets: number;
  /** All other calls (reads included) per window: 4,000. */
  other: number;
  windowMs: number;
}

export const REAL_LIMITS: VaultLimits = { sets: 300, other: 4000, windowMs: 10_000 };

/**
 * The time the set limit forces between a vault's first write and its last: `writes` sets, at most
 * `limits.sets` in any window. Writes 1–300 can go at once; write 301 must wait until write 1 is a full
 * window old, and so on. So the last write starts at (⌈W ÷ 300⌉ − 1) × 10 s. This holds for a sliding
 * window (the emulator's, and the strictest reading of "per 10 seconds") and for a fixed window that
 * starts with the first write. A fixed window that happened to end just after the first write would let
 * a client save up to one window; the service does not say which it uses, so the floor does not count
 * on that luck.
 */
export function setWaitMs(writes: number, limits: VaultLimits = REAL_LIMITS): number {
  assertCount(writes, 'writes');
  if (writes === 0) return 0;
  return (Math.ceil(writes / limits.sets) - 1) * limits.windowMs;
}

/**
 * The time the other-calls limit takes for `calls` calls when it is read as a steady rate:
 * 4,000 per 10 s = 400 per second, so the last of C calls starts (C − 1) ÷ 400 s after the first.
 * This is a convention, not a hard bound: the service would accept a burst of up to 4,000 at once.
 */
export function otherSpreadMs(calls: number, limits: VaultLimits = REAL_LIMITS): number {
  assertCount(calls, 'calls');
  if (calls === 0) return 0;
  return ((calls - 1) * limits.windowMs) / limits.other;
}

/** (a): the larger of the two limits' times, for one vault (each vault has its own limits). */
export function limitsMs(perVault: { writes: number; otherCalls: number }, limits: VaultLimits = REAL_LIMITS): number {
  return Math.max(setWaitMs(perVault.writes, limits), otherSpreadMs(perVault.otherCalls, limits));
}

/** (b): one secret's chain of round trips, each at least the added latency. */
export function chainMs(roundTrips: number, latencyMs: number): number {
  assertCount(roundTrips, 'roundTrips');
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be ≥ 0, got ${latencyMs}`);
  return roundTrips * latencyMs;
}

export interface FloorInput {
  /** The process's own start and sign-in, measured in the same run (see bench/README.md). */
  startMs: number;
  /** New secrets per vault. Vaults are pushed at once, each under its own limits. */
  newSecretsPerVault: number;
  latencyMs: number;
  limits?: VaultLimits;
}

export interface Floor {
  floorMs: number;
  startMs: number;
  /** (a) */
  limitsMs: number;
  setWaitMs: number;
  otherSpreadMs: number;
  /** (b) */
  chainMs: number;
}

/**
 * Round trips one new secret needs at the least: read it (to learn it is absent, or unchanged), then
 * write it. The sign-in's own round trips (token, auth challenge) are in the start time.
 */
export const NEW_SECRET_ROUND_TRIPS = 2;

/**
 * floor = start + max((a), (b)) for `newSecretsPerVault` new secrets in each vault:
 * (a) the limits, with one set and one other call (the read) per new secret, and
 * (b) one new secret's chain of round trips.
 */
export function floor({ startMs, newSecretsPerVault: n, latencyMs, limits = REAL_LIMITS }: FloorInput): Floor {
  if (!(startMs >= 0)) throw new RangeError(`startMs must be ≥ 0, got ${startMs}`);
  const sets = setWaitMs(n, limits);
  const other = otherSpreadMs(n, limits);
  const a = Math.max(sets, other);
  const b = chainMs(n === 0 ? 0 : NEW_SECRET_ROUND_TRIPS, latencyMs);
  return { floorMs: startMs + Math.max(a, b), startMs, limitsMs: a, setWaitMs: sets, otherSpreadMs: other, chainMs: b };
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

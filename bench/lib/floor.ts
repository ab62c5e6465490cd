// The floor of a push: the least wall time any client could need for a case, given the vault's
// documented limits and the round trips one secret needs. Pure functions; bench/README.md defines the
// terms ("The floor"). The bench compiles this file with esbuild and loads it (bench/lib/runners.mjs,
// bundleHelpers); test/bench/floor.test.ts tests it.

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
 * The time a limit of `perWindow` calls in any window forces between a vault's first call of that kind
 * and its last, for `calls` calls: calls 1 to `perWindow` can go at once (the service accepts a burst);
 * call `perWindow` + 1 must wait until call 1 is a full window old, and so on. So the last call starts
 * at (⌈C ÷ perWindow⌉ − 1) windows after the first. This holds for a sliding window (the emulator's,
 * and the strictest reading of "per 10 seconds") and for a fixed window that starts with the first
 * call. A fixed window that happened to end just after the first call would let a client save up to
 * one window; the service does not say which it uses, so the floor does not count on that luck.
 */
function burstWaitMs(calls: number, perWindow: number, windowMs: number, what: string): number {
  assertCount(calls, what);
  if (calls === 0) return 0;
  return (Math.ceil(calls / perWindow) - 1) * windowMs;
}

/** The set limit's wait for `writes` sets, 300 per window: 300 → 0 s, 301 → 10 s, 1,000 → 30 s. */
export function setWaitMs(writes: number, limits: VaultLimits = REAL_LIMITS): number {
  return burstWaitMs(writes, limits.sets, limits.windowMs, 'writes');
}

/**
 * The other-calls limit's wait for `calls` calls (reads included), 4,000 per window, counted as the
 * burst the service accepts, the same way as the sets: 4,000 → 0 s, 4,001 → 10 s.
 */
export function otherSpreadMs(calls: number, limits: VaultLimits = REAL_LIMITS): number {
  return burstWaitMs(calls, limits.other, limits.windowMs, 'calls');
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

/** A run of one side, as the bench checks it against the floor. */
export interface FloorRun {
  ms: number;
  /** Secrets the run failed: a run that gave up on some did not do the work the floor is for. */
  failed: number;
  errors: readonly string[];
}

/**
 * The runs (0-based) that did all their work and still took less than the floor: each is a failed
 * check of the bench, since the floor would then not be one.
 */
export function runsBelowFloor(runs: readonly FloorRun[], floorMs: number): number[] {
  return runs.flatMap((r, i) => (r.failed === 0 && r.errors.length === 0 && r.ms < floorMs ? [i] : []));
}

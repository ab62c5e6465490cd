// Fault injection: a seeded PRNG decides which data-plane calls fail, so a test that fixes the seed
// and the call order gets the same failures every run.

/** `reset` drops the connection; `stall` (alias `hang`) reads the request and never answers,
 * until the client gives up. */
export type FaultStatus = 429 | 500 | 503 | 'reset' | 'stall';
export const FAULT_STATUSES: readonly FaultStatus[] = [429, 500, 503, 'reset', 'stall'];
export const DEFAULT_SEED = 20250701;

/** mulberry32: tiny, fast, good enough for sampling (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private next: () => number;

  constructor(seed = DEFAULT_SEED) {
    this.next = mulberry32(seed);
  }

  reseed(seed: number): void {
    this.next = mulberry32(seed);
  }

  /** One draw per eligible call: true means "fail this one". Rate 0 never draws (keeps the sequence). */
  shouldFail(rate: number): boolean {
    if (rate <= 0) return false;
    return this.next() < rate;
  }
}

export function parseFaultStatus(v: unknown): FaultStatus {
  const s = String(v).trim().toLowerCase();
  if (s === 'reset' || s === 'stall') return s;
  if (s === 'hang') return 'stall';
  const n = Number(s);
  if (n === 429 || n === 500 || n === 503) return n;
  throw new Error(`invalid fault status "${String(v)}": expected 429, 500, 503, reset or stall`);
}

// Per-vault throttling with a sliding window, so "N+1 calls within the window" is throttled no matter
// where a fixed window would have started (deterministic tests). Requests that get 429 do not count,
// as the service documents ("Failed requests that return a 429 do not count towards the throttle limits", learn.microsoft.com/azure/key-vault/general/overview-throttling).
import { REAL_THROTTLE } from '../common/limits.js';

export type RequestClass = 'set' | 'other';

export interface ThrottleLimits {
  sets: number;
  other: number;
  windowMs: number;
}

export class SlidingWindowThrottle {
  private readonly admitted: Record<RequestClass, number[]> = { set: [], other: [] };

  /** True when the call may proceed (and is counted); false when it must get 429. */
  admit(kind: RequestClass, limits: ThrottleLimits, nowMs = Date.now()): boolean {
    const times = this.admitted[kind];
    while (times.length > 0 && times[0]! <= nowMs - limits.windowMs) times.shift();
    const limit = kind === 'set' ? limits.sets : limits.other;
    if (times.length >= limit) return false;
    times.push(nowMs);
    return true;
  }

  reset(): void {
    this.admitted.set = [];
    this.admitted.other = [];
  }
}

/** `real` | `none` | `off` | `sets=N,other=M[,window=SECONDS]` → limits (null = no throttling). */
export function parseThrottle(spec: string): ThrottleLimits | null {
  const s = spec.trim().toLowerCase();
  if (s === 'none' || s === 'off' || s === '') return null;
  if (s === 'real') return { ...REAL_THROTTLE };
  const limits: ThrottleLimits = {
    sets: Number.POSITIVE_INFINITY,
    other: Number.POSITIVE_INFINITY,
    windowMs: REAL_THROTTLE.windowMs,
  };
  for (const part of s.split(',')) {
    const m = /^(sets|other|window)=(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!m) throw new Error(`invalid throttle "${spec}": expected real, none or sets=N,other=M[,window=SECONDS]`);
    const n = Number(m[2]);
    if (m[1] === 'sets') limits.sets = Math.floor(n);
    else if (m[1] === 'other') limits.other = Math.floor(n);
    else if (n > 0) limits.windowMs = n * 1000;
    else throw new Error(`invalid throttle "${spec}": window must be > 0`);
  }
  return limits;
}

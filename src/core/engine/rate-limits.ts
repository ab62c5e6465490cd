// The vault's rate limits and the sliding window that keeps a scheduler within them.
import type { Clock } from './clock.js';

/**
 * Key Vault service limits per vault (and region) per 10 seconds: secret CREATE 300 (shared with key
 * and certificate imports), all other transactions 4,000.
 * Source: https://learn.microsoft.com/azure/key-vault/general/service-limits (include dated 2025-07-23).
 * The service does not say whether a new version of an existing secret counts as a CREATE: every set
 * is counted as one, to be safe.
 */
export const KEY_VAULT_RATE_LIMITS = { setsPer10s: 300, otherPer10s: 4_000, windowMs: 10_000 } as const;

/** `set` = writing a secret version; `other` = every other call (get, get deleted, recover, purge). */
export type CallKind = 'set' | 'other';

/** At most `calls` started within any `windowMs`. */
export interface RateBudget {
  calls: number;
  windowMs: number;
}

/**
 * The whole documented limit: holding back a share "for other clients" does not protect them (they
 * get no reservation from it) and costs a whole extra window on a 300-secret push. When the vault is
 * shared, its 429s tell us, and the retries and the concurrency control below react to them.
 */
export const DEFAULT_BUDGETS: Record<CallKind, RateBudget> = {
  set: {
    calls: KEY_VAULT_RATE_LIMITS.setsPer10s,
    windowMs: KEY_VAULT_RATE_LIMITS.windowMs,
  },
  other: {
    calls: KEY_VAULT_RATE_LIMITS.otherPer10s,
    windowMs: KEY_VAULT_RATE_LIMITS.windowMs,
  },
};

/** A call's place in a rate window: settled when its answer came (or it was given up). */
export interface WindowSlot {
  settle(): void;
}

/**
 * At most `calls` within any `windowMs`, where a call is dated by when its answer came, and a call
 * still waiting for its answer counts as now. The vault counts a request when it arrives, which is
 * after we start it and before we have its answer, unevenly (network, our own busy event loop):
 * dating by the start let the 301st write, started exactly 10 s after the 1st, reach the emulator
 * a little under 10 s after the 1st did and get a 429 (32 of them in a 1,000-secret push under
 * load). Dating by the answer cannot be early, and costs only the answer's trip back.
 * A sliding log like the emulator's `--throttle real` (and stricter than any fixed window); a plain
 * token bucket of the same size would let a full bucket plus its refill through in one window.
 */
export class SlidingWindow {
  /** Answer times; undefined while the call is in flight. */
  private readonly entries: Array<{ at: number | undefined }> = [];
  private wake: Array<() => void> = [];

  constructor(
    private readonly budget: RateBudget,
    private readonly clock: Clock,
  ) {}

  async take(signal?: AbortSignal): Promise<WindowSlot> {
    for (;;) {
      // Stopped: the caller sees the stop and never sends; nothing to count.
      if (signal?.aborted) return { settle: () => undefined };
      const now = this.clock.now();
      const horizon = now - this.budget.windowMs;
      for (let i = this.entries.length - 1; i >= 0; i--) {
        const at = this.entries[i]!.at;
        if (at !== undefined && at <= horizon) this.entries.splice(i, 1);
      }
      if (this.entries.length < this.budget.calls) {
        const entry: { at: number | undefined } = { at: undefined };
        this.entries.push(entry);
        return {
          settle: () => {
            entry.at = this.clock.now();
            this.notify();
          },
        };
      }
      // Full: wait until the oldest answered call leaves the window, or any call is answered.
      const answered = this.entries.map((e) => e.at).filter((at): at is number => at !== undefined);
      const changed = new Promise<void>((resolve) => this.wake.push(resolve));
      const onAbort = () => this.notify();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await (answered.length > 0
          ? Promise.race([changed, this.clock.sleep(Math.min(...answered) + this.budget.windowMs - now, signal)])
          : changed);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = [];
    for (const w of wake) w();
  }
}

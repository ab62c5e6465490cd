// What binds a fleet case where ours is far from its floor, from figures measured in the same run:
// our concurrency (the CLI's own log of its limit over time: 8 at the start, +1 per success up to
// --max-concurrency, 32 by default, halved on a 429) and the CPU of the client and of the emulator.
// Pure functions; bench/lib/fleet.mjs feeds them, test/bench/binds.test.ts tests them.

/** A change of our CLI's concurrency limit, as its --verbose log says, timed from the spawn. */
export interface ConcurrencyEvent {
  atMs: number;
  /** "" for one vault; "[name] " when one process pushes to several (each has its own limit). */
  target: string;
  limit: number;
  why: 'raised' | 'lowered';
}

const EVENT = /^(?:debug: )?(.*?)(Raising concurrency to|Key Vault is throttling: lowering concurrency to) (\d+)\s*$/;

/** Collects the concurrency events from a child's stderr, fed chunk by chunk as it arrives. */
export class ConcurrencyLog {
  readonly events: ConcurrencyEvent[] = [];
  private partial = '';

  feed(chunk: string, atMs: number): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      const m = EVENT.exec(line);
      if (m)
        this.events.push({
          atMs,
          target: m[1]!,
          limit: Number(m[3]),
          why: m[2]!.startsWith('Raising') ? 'raised' : 'lowered',
        });
    }
  }
}

export interface Ramp {
  /** Where the limit started (the CLI's initial concurrency). */
  from: number;
  /** The highest limit reached. */
  max: number;
  /** The first change, from the spawn; null: it never moved. */
  firstAtMs: number | null;
  /** When the last target first reached its highest limit, from the spawn; null: it never moved. */
  maxAtMs: number | null;
  /** Times a 429 halved the limit. */
  lowered: number;
}

export function rampOf(events: readonly ConcurrencyEvent[], initial: number): Ramp {
  let max = initial;
  let maxAtMs: number | null = null;
  const byTarget = new Map<string, { max: number; at: number }>();
  for (const e of events) {
    const t = byTarget.get(e.target);
    if (!t || e.limit > t.max) byTarget.set(e.target, { max: e.limit, at: e.atMs });
  }
  for (const t of byTarget.values()) {
    if (t.max > max) max = t.max;
  }
  for (const t of byTarget.values()) if (t.max === max) maxAtMs = Math.max(maxAtMs ?? 0, t.at);
  return {
    from: initial,
    firstAtMs: events[0]?.atMs ?? null,
    max,
    maxAtMs: max === initial ? null : maxAtMs,
    lowered: events.filter((e) => e.why === 'lowered').length,
  };
}

export interface BindsInput {
  oursMs: number;
  floorMs: number;
  startMs: number;
  latencyMs: number;
  vaults: number;
  /** Every request ours sent in a run (median), all vaults. */
  requests: number;
  /** The highest concurrency limit our CLI reached per vault (measured), or null. */
  cap: number | null;
  /** Our CLI's CPU for a run (median), and for the start probe (median): ms, or null where not measured. */
  oursCpuMs: number | null;
  startCpuMs: number | null;
  /** The emulator's CPU during one of our runs (median), or null. */
  emulatorCpuMs: number | null;
}

export interface Binds {
  /** ours ÷ floor above FAR. */
  far: boolean;
  /** Our wall time beyond the start. */
  aboveStartMs: number;
  /** The least time our cap allows for our requests at this latency: requests per vault × latency ÷ cap. */
  capMs: number | null;
  /** Our CLI's CPU beyond the start's. */
  cpuMs: number | null;
  emulatorCpuMs: number | null;
  /** The largest of the three, or "unclear" when none was measured above 0. */
  binds: 'concurrency cap' | 'client CPU' | 'emulator CPU' | 'unclear';
  /** That one's time ÷ aboveStartMs: below 1, the rest is waiting (on a loaded machine, for a CPU). */
  share: number | null;
}

/** "Far from the floor": above this ratio the report says what binds. */
export const FAR = 1.5;

export function whatBinds(x: BindsInput): Binds {
  const aboveStartMs = Math.max(0, x.oursMs - x.startMs);
  const capMs = x.cap !== null && x.cap > 0 ? ((x.requests / x.vaults) * x.latencyMs) / x.cap : null;
  const cpuMs = x.oursCpuMs !== null && x.startCpuMs !== null ? Math.max(0, x.oursCpuMs - x.startCpuMs) : null;
  const candidates: [Binds['binds'], number | null][] = [
    ['concurrency cap', capMs],
    ['client CPU', cpuMs],
    ['emulator CPU', x.emulatorCpuMs],
  ];
  let binds: Binds['binds'] = 'unclear';
  let best = 0;
  for (const [what, ms] of candidates)
    if (ms !== null && ms > best) {
      binds = what;
      best = ms;
    }
  const share = binds === 'unclear' || aboveStartMs === 0 ? null : best / aboveStartMs;
  return { far: x.oursMs > FAR * x.floorMs, aboveStartMs, capMs, cpuMs, emulatorCpuMs: x.emulatorCpuMs, binds, share };
}

// Progress of a long run: every ~5 s, how many secrets are done of the total, per target, how fast, and how many
// retries. Time comes from an injectable clock and ticks are driven from outside (a timer in production, the test
// itself in unit tests), so nothing here sleeps. Names only; the counts never say anything about a value.

export interface ProgressClock {
  now(): number;
}

/** One progress report: a headline, a line per target, and the share done (for a progress bar). */
export interface ProgressReport {
  title: string;
  details: string[];
  fraction: number;
}

/** Where reports go: a collapsible group on the CI platforms, a bar or plain lines on the CLI. */
export interface ProgressSink {
  report(report: ProgressReport): void;
  /** The run is over (a terminal bar ends its line). */
  finish?(): void;
}

export const PROGRESS_INTERVAL_MS = 5_000;

interface Counter {
  name: string;
  total: number;
  done: number;
  retries: number;
}

export class Progress {
  private readonly counters = new Map<string, Counter>();
  private readonly started: number;
  private lastAt: number;
  private lastDone = 0;

  constructor(
    targets: readonly { name: string; total: number }[],
    private readonly sink: ProgressSink,
    private readonly clock: ProgressClock = { now: () => Date.now() },
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {
    for (const t of targets) this.counters.set(t.name, { ...t, done: 0, retries: 0 });
    this.started = this.lastAt = clock.now();
  }

  done(target: string): void {
    const c = this.counters.get(target);
    if (c) c.done = Math.min(c.total, c.done + 1);
  }

  retry(target: string): void {
    const c = this.counters.get(target);
    if (c) c.retries++;
  }

  /** Reports when an interval has passed since the start or the last report; returns whether it did. */
  tick(): boolean {
    const now = this.clock.now();
    if (now - this.lastAt < this.intervalMs) return false;
    this.sink.report(this.snapshot(now));
    return true;
  }

  /** Ends the run: a terminal bar ends its line. Only when something was reported. */
  finish(): void {
    if (this.lastAt !== this.started) this.sink.finish?.();
  }

  private snapshot(now: number): ProgressReport {
    const all = [...this.counters.values()];
    const total = all.reduce((n, c) => n + c.total, 0);
    const done = all.reduce((n, c) => n + c.done, 0);
    const retries = all.reduce((n, c) => n + c.retries, 0);
    const rate = (done - this.lastDone) / ((now - this.lastAt) / 1000);
    this.lastAt = now;
    this.lastDone = done;
    const elapsed = Math.round((now - this.started) / 1000);
    const title =
      `Progress: ${done}/${total} secrets done${all.length > 1 ? ` in ${all.length} targets` : ''}, ` +
      `${rate.toFixed(1)}/s, ${plural(retries, 'retry', 'retries')}, ${elapsed} s`;
    const details = all.map((c) => `${c.name}: ${c.done}/${c.total}, ${plural(c.retries, 'retry', 'retries')}`);
    return { title, details, fraction: total === 0 ? 1 : done / total };
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Ticks `progress` every second until the returned stop function is called; the timer never keeps Node alive. */
export function tickEverySecond(progress: Progress): () => void {
  const timer = setInterval(() => progress.tick(), 1_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    progress.finish();
  };
}

/** A text bar for a terminal: `[#########-----------]  45%`. */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

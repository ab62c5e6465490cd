// Virtual time for scheduler and engine tests. sleep() records the request and parks the caller on a
// virtual timer; once everything runnable has run (a setImmediate turn), the earliest timer fires and
// the clock jumps to its time. Nothing really waits, and concurrent sleepers see consistent time.
import type { Clock } from '../../src/core/engine/clock.js';

export interface FakeClock extends Clock {
  /** Every sleep requested, in order of request. */
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let t = start;
  let seq = 0;
  let pumping = false;
  const sleeps: number[] = [];
  const timers: Array<{ at: number; seq: number; fire: () => void }> = [];

  const pump = () => {
    if (pumping) return;
    pumping = true;
    setImmediate(() => {
      pumping = false;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      if (!next) return;
      t = Math.max(t, next.at);
      next.fire();
      if (timers.length > 0) pump();
    });
  };

  return {
    sleeps,
    now: () => t,
    advance(ms) {
      t += ms;
    },
    sleep(ms) {
      sleeps.push(ms);
      return new Promise((resolve) => {
        timers.push({ at: t + Math.max(0, ms), seq: seq++, fire: resolve });
        pump();
      });
    },
  };
}

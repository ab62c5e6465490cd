import { ConcurrencyLog, FAR, rampOf, whatBinds } from '../../bench/lib/binds.js';
import type { BindsInput } from '../../bench/lib/binds.js';
import {
  cpuPerRequest,
  ownTicks,
  processCpuMs,
  waitedChildrenCpuMs,
  waitedChildrenTicks,
} from '../../bench/lib/cpu.js';

describe("bench: our CLI's concurrency over time, from its --verbose log", () => {
  it('reads raises and 429 halvings, per target, across chunk boundaries, and nothing else', () => {
    const log = new ConcurrencyLog();
    log.feed('Signing in as X\ndebug: Raising concurr', 100);
    log.feed('ency to 9\ndebug: azure:core info Raising concurrency to 99 maybe\n', 120);
    log.feed(
      'debug: [fleet-b] Raising concurrency to 9\n[fleet-b] Key Vault is throttling: lowering concurrency to 4\n',
      150,
    );
    log.feed('debug: Raising concurrency to 10', 160); // no newline yet
    expect(log.events).toEqual([
      { atMs: 120, target: '', limit: 9, why: 'raised' },
      { atMs: 150, target: '[fleet-b] ', limit: 9, why: 'raised' },
      { atMs: 150, target: '[fleet-b] ', limit: 4, why: 'lowered' },
    ]);
  });

  it('finds the highest limit and when the slowest target first reached it', () => {
    const ev = (atMs: number, limit: number, target = '') => ({ atMs, target, limit, why: 'raised' as const });
    expect(rampOf([ev(10, 9), ev(20, 31), ev(30, 32), ev(40, 32)], 8)).toEqual({
      from: 8,
      firstAtMs: 10,
      max: 32,
      maxAtMs: 30,
      lowered: 0,
    });
    expect(rampOf([ev(10, 32, 'a'), ev(50, 32, 'b'), ev(20, 20, 'c')], 8)).toEqual({
      from: 8,
      firstAtMs: 10,
      max: 32,
      maxAtMs: 50,
      lowered: 0,
    });
    expect(rampOf([], 8)).toEqual({ from: 8, firstAtMs: null, max: 8, maxAtMs: null, lowered: 0 });
  });
});

describe('bench: what binds a case far from its floor', () => {
  const base: BindsInput = {
    oursMs: 900,
    floorMs: 240,
    startMs: 180,
    latencyMs: 30,
    vaults: 1,
    requests: 601,
    cap: 32,
    oursCpuMs: 500,
    startCpuMs: 200,
    emulatorCpuMs: 250,
  };

  it('at 30 ms: the cap (601 requests × 30 ms ÷ 32 in flight) explains more than our CPU', () => {
    const b = whatBinds(base);
    expect(b.far).toBe(true);
    expect(b.aboveStartMs).toBe(720);
    expect(b.capMs).toBeCloseTo(563.4375, 6);
    expect(b.cpuMs).toBe(300);
    expect(b.binds).toBe('concurrency cap');
  });

  it('at 0 ms: the cap costs nothing, the CPU binds; three vaults share one process but each has its cap', () => {
    const at0 = { ...base, oursMs: 600, latencyMs: 0 };
    expect(whatBinds(at0).capMs).toBe(0);
    expect(whatBinds(at0).binds).toBe('client CPU');
    expect(whatBinds({ ...at0, emulatorCpuMs: 400 }).binds).toBe('emulator CPU');
    expect(whatBinds({ ...base, vaults: 3, requests: 1803 }).capMs).toBeCloseTo(563.4375, 6);
  });

  it('names the largest, with its share of the time above the start; unclear only when nothing was measured', () => {
    const loaded = whatBinds({ ...base, oursMs: 2000, latencyMs: 0, oursCpuMs: 900, emulatorCpuMs: 300 });
    expect(loaded.binds).toBe('client CPU');
    expect(loaded.share).toBeCloseTo(700 / 1820, 9);
    expect(whatBinds(base).share).toBeCloseTo(563.4375 / 720, 9);
    expect(whatBinds({ ...base, cap: null, oursCpuMs: null, emulatorCpuMs: null })).toMatchObject({
      binds: 'unclear',
      share: null,
    });
    expect(whatBinds({ ...base, oursMs: FAR * 240 }).far).toBe(false);
    expect(whatBinds({ ...base, oursMs: FAR * 240 + 1 }).far).toBe(true);
  });
});

describe("bench: CPU time from /proc's stat lines", () => {
  // proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
  const line = '4242 (node (x) y) S 1 2 3 4 5 6 7 8 9 10 111 22 333 44 20 0 1 0';

  it('takes utime + stime, and cutime + cstime, counting from the last ")"', () => {
    expect(ownTicks(line)).toBe(133);
    expect(waitedChildrenTicks(line)).toBe(377);
    expect(waitedChildrenCpuMs(() => line)).toBe(3770);
    expect(processCpuMs(4242, () => line)).toBe(1330);
  });

  it('gives null, not a guess, where it cannot read', () => {
    expect(waitedChildrenCpuMs(() => 'garbage')).toBeNull();
    expect(
      processCpuMs(1, () => {
        throw new Error('no /proc');
      }),
    ).toBeNull();
    expect(cpuPerRequest(null, 10)).toBeNull();
    expect(cpuPerRequest(100, 0)).toBeNull();
    expect(cpuPerRequest(100, 400)).toBe(0.25);
  });

  it('reads this process on Linux', () => {
    if (process.platform !== 'linux') return;
    expect(waitedChildrenCpuMs()).toBeGreaterThanOrEqual(0);
    expect(processCpuMs(process.pid)).toBeGreaterThan(0);
  });
});

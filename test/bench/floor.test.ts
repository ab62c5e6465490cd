import {
  REAL_LIMITS,
  chainMs,
  floor,
  limitsMs,
  otherSpreadMs,
  runsBelowFloor,
  setWaitMs,
} from '../../bench/lib/floor.js';

describe('bench floor: the time the vault limits force', () => {
  it('lets the first 300 sets go at once and makes each further 300 wait one 10 s window', () => {
    expect(setWaitMs(0)).toBe(0);
    expect(setWaitMs(1)).toBe(0);
    expect(setWaitMs(300)).toBe(0);
    expect(setWaitMs(301)).toBe(10_000);
    expect(setWaitMs(600)).toBe(10_000);
    expect(setWaitMs(601)).toBe(20_000);
    expect(setWaitMs(1000)).toBe(30_000);
  });

  it('counts the other-calls limit as a burst: the first 4,000 go at once, the 4,001st waits one window', () => {
    expect(otherSpreadMs(0)).toBe(0);
    expect(otherSpreadMs(1)).toBe(0);
    expect(otherSpreadMs(300)).toBe(0);
    expect(otherSpreadMs(1000)).toBe(0);
    expect(otherSpreadMs(4000)).toBe(0);
    expect(otherSpreadMs(4001)).toBe(10_000);
    expect(otherSpreadMs(8000)).toBe(10_000);
    expect(otherSpreadMs(8001)).toBe(20_000);
  });

  it('takes the larger of the two limits', () => {
    expect(limitsMs({ writes: 300, otherCalls: 300 })).toBe(0);
    expect(limitsMs({ writes: 1000, otherCalls: 1000 })).toBe(30_000);
    expect(limitsMs({ writes: 300, otherCalls: 4001 })).toBe(10_000);
    expect(limitsMs({ writes: 301, otherCalls: 8001 })).toBe(20_000);
  });

  it('follows other limits given to it', () => {
    expect(setWaitMs(25, { ...REAL_LIMITS, sets: 10, windowMs: 1000 })).toBe(2000);
    expect(otherSpreadMs(10, { ...REAL_LIMITS, other: 10, windowMs: 1000 })).toBe(0);
    expect(otherSpreadMs(11, { ...REAL_LIMITS, other: 10, windowMs: 1000 })).toBe(1000);
  });

  it('counts a chain as round trips × latency', () => {
    expect(chainMs(2, 30)).toBe(60);
    expect(chainMs(2, 0)).toBe(0);
  });

  it('is start + max(limits, chain)', () => {
    expect(floor({ startMs: 400, newSecretsPerVault: 1000, latencyMs: 30 })).toEqual({
      floorMs: 30_400,
      startMs: 400,
      limitsMs: 30_000,
      setWaitMs: 30_000,
      otherSpreadMs: 0,
      chainMs: 60,
    });
    // 300 new secrets: 300 sets and 300 reads fit in one window, so at 0 ms the floor is the start alone.
    expect(floor({ startMs: 150, newSecretsPerVault: 300, latencyMs: 0 })).toEqual({
      floorMs: 150,
      startMs: 150,
      limitsMs: 0,
      setWaitMs: 0,
      otherSpreadMs: 0,
      chainMs: 0,
    });
    // ... and at 30 ms the chain (read, then write) binds.
    expect(floor({ startMs: 150, newSecretsPerVault: 300, latencyMs: 30 }).floorMs).toBe(210);
    // One set over the window: a whole window more.
    expect(floor({ startMs: 150, newSecretsPerVault: 301, latencyMs: 30 }).floorMs).toBe(10_150);
    // Few secrets at high latency: the chain binds.
    const few = floor({ startMs: 400, newSecretsPerVault: 2, latencyMs: 30 });
    expect(few.limitsMs).toBe(0);
    expect(few.floorMs).toBe(460);
    // Nothing to push: the start alone.
    expect(floor({ startMs: 400, newSecretsPerVault: 0, latencyMs: 30 }).floorMs).toBe(400);
  });

  it('finds the runs that did all their work below the floor (a failed check), not those that gave up', () => {
    const run = (ms: number, failed = 0, errors: string[] = []) => ({ ms, failed, errors });
    expect(
      runsBelowFloor([run(500), run(499.9), run(300, 2), run(100, 0, ['no JSON result']), run(1000)], 500),
    ).toEqual([1]);
    expect(runsBelowFloor([], 500)).toEqual([]);
  });

  it('refuses nonsense', () => {
    expect(() => setWaitMs(-1)).toThrow(RangeError);
    expect(() => setWaitMs(1.5)).toThrow(RangeError);
    expect(() => otherSpreadMs(-1)).toThrow(RangeError);
    expect(() => chainMs(2, -1)).toThrow(RangeError);
    expect(() => floor({ startMs: Number.NaN, newSecretsPerVault: 1, latencyMs: 0 })).toThrow(RangeError);
  });
});

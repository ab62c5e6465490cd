import { createScheduler, type SchedulerOptions } from '../../../src/core/engine/scheduler.js';
import { CallTimeoutError, RunStoppedError, retryAfterMs, retryCause } from '../../../src/core/engine/retry-policy.js';
import { DEFAULT_BUDGETS } from '../../../src/core/engine/rate-limits.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { tagSignInFailures } from '../../../src/core/errors/sign-in-failure.js';
import { networkError, restError } from '../../helpers/fake-store.js';

const throttled = (headers?: Record<string, string>) =>
  restError({
    statusCode: 429,
    code: 'Throttled',
    message: 'Request was not processed because too many requests were received.',
    ...(headers ? { headers } : {}),
  });

/** A task that fails with the given errors in turn, then returns 'ok'. */
function flaky(errors: Error[]) {
  let calls = 0;
  const task = async () => {
    calls++;
    const e = errors.shift();
    if (e) throw e;
    return 'ok';
  };
  return { task, calls: () => calls };
}

function setup(options: SchedulerOptions = {}) {
  const clock = fakeClock();
  const scheduler = createScheduler({ clock, random: () => 0.5, ...options });
  return { clock, scheduler };
}

describe('retryCause', () => {
  it.each([
    [throttled(), 'throttled'],
    [restError({ statusCode: 503, code: 'ServiceUnavailable' }), 'unavailable'],
    [restError({ statusCode: 500 }), 'unavailable'],
    [restError({ statusCode: 408 }), 'unavailable'],
    [restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsBeingDeleted' }), 'busy'],
    [restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsBeingRecovered' }), 'busy'],
    [networkError('ECONNRESET'), 'network'],
    [networkError('ETIMEDOUT'), 'network'],
    [networkError('ECONNREFUSED'), undefined],
    [networkError('ENOTFOUND'), undefined],
    [restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsDeletedButRecoverable' }), undefined],
    [restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' }), undefined],
    [restError({ statusCode: 404, code: 'SecretNotFound' }), undefined],
    [restError({ statusCode: 501 }), undefined],
    [Object.assign(new Error('no'), { name: 'CredentialUnavailableError' }), undefined],
    ['a string', undefined],
  ])('%#: %s → %s', (error, cause) => {
    expect(retryCause(error)).toBe(cause);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it.each([
    [{ 'Retry-After': '3' }, 3000],
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'x-ms-retry-after-ms': '250' }, 250],
    [{ 'retry-after': new Date(now + 5000).toUTCString() }, 5000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(retryAfterMs(throttled(headers), now)).toBe(expected);
  });

  it('reads HttpHeaders-like objects (get)', () => {
    const error = Object.assign(new Error('x'), {
      statusCode: 429,
      response: { headers: { get: (n: string) => (n === 'retry-after' ? '2' : undefined) } },
    });
    expect(retryAfterMs(error, now)).toBe(2000);
  });
});

describe('scheduler retries', () => {
  it('backs off 1-2-4 s on 429 without Retry-After, then succeeds', async () => {
    const { clock, scheduler } = setup();
    const t = flaky([throttled(), throttled(), throttled()]);
    await expect(scheduler.run('set', 'A', t.task)).resolves.toBe('ok');
    expect(t.calls()).toBe(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('gives up after 8 retries (1, 2, 4 s, then 4 s) and throws the last error', async () => {
    const { clock, scheduler } = setup();
    const error = throttled();
    const t = flaky(Array.from({ length: 12 }, () => error));
    await expect(scheduler.run('other', 'A', t.task)).rejects.toBe(error);
    expect(t.calls()).toBe(9);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000]);
  });

  it('honours Retry-After (capped)', async () => {
    const { clock, scheduler } = setup({ retry: { maxRetryAfterMs: 10_000 } });
    const t = flaky([
      throttled({ 'Retry-After': '3' }),
      throttled({ 'retry-after-ms': '120' }),
      throttled({ 'Retry-After': '600' }),
    ]);
    await scheduler.run('set', 'A', t.task);
    expect(clock.sleeps).toEqual([3000, 120, 10_000]);
  });

  it.each([
    [0, [800, 1600]],
    [0.999999, [1200, 2400]],
  ])('jitters the backoff ±20%% (random %s)', async (r, expected) => {
    const { clock, scheduler } = setup({ random: () => r });
    await scheduler.run('set', 'A', flaky([throttled(), throttled()]).task);
    expect(clock.sleeps).toEqual(expected);
  });

  it.each([
    ['503, after 250 ms (not about load)', restError({ statusCode: 503 }), 250],
    ['ECONNRESET, after 250 ms', networkError('ECONNRESET'), 250],
    [
      '409 ObjectIsBeingDeleted, after 1 s (the service needs time)',
      restError({ statusCode: 409, code: 'Conflict', innerCode: 'ObjectIsBeingDeleted' }),
      1000,
    ],
  ])('retries %s', async (_title, error, delay) => {
    const { clock, scheduler } = setup();
    const t = flaky([error]);
    await expect(scheduler.run('other', 'A', t.task)).resolves.toBe('ok');
    expect(clock.sleeps).toEqual([delay]);
  });

  it.each([
    ['403', restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByRbac' })],
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['a plain Error', new Error('bug')],
  ])('does not retry %s', async (_title, error) => {
    const { clock, scheduler } = setup();
    const t = flaky([error]);
    await expect(scheduler.run('other', 'A', t.task)).rejects.toBe(error);
    expect(t.calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('reports each retry', async () => {
    const events: unknown[] = [];
    const { scheduler } = setup({ onRetry: (e) => events.push(e) });
    await scheduler.run('set', 'DB (write)', flaky([throttled()]).task);
    expect(events).toEqual([
      { label: 'DB (write)', cause: 'throttled', statusCode: 429, attempt: 1, maxAttempts: 9, delayMs: 1000 },
    ]);
  });
});

describe('scheduler concurrency', () => {
  it('runs at most maxConcurrency at once', async () => {
    const { scheduler } = setup({ maxConcurrency: 3 });
    let inFlight = 0;
    let max = 0;
    const task = async () => {
      max = Math.max(max, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => scheduler.run('other', `s${i}`, task)));
    expect(max).toBe(3);
  });

  it('halves once per burst of 429s, then adds one per round of successes (AIMD)', async () => {
    const changes: Array<[number, string]> = [];
    const { scheduler } = setup({ maxConcurrency: 8, onConcurrencyChange: (l, why) => changes.push([l, why]) });
    // The first 8 calls (one full wave in flight together) are throttled once; everything after succeeds.
    let started = 0;
    let inFlight = 0;
    const maxInFlightAfterThrottle: number[] = [];
    const task = async () => {
      const n = ++started;
      inFlight++;
      if (n > 8) maxInFlightAfterThrottle.push(inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (n <= 8) throw throttled();
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => scheduler.run('set', `s${i}`, task)));
    // One halving for the whole wave (8 → 4), not 8 → 4 → 2 → 1.
    expect(changes[0]).toEqual([4, 'throttled']);
    expect(changes.filter(([, why]) => why === 'throttled')).toHaveLength(1);
    // Recovery: +1 at a time, back up to the maximum, never beyond.
    const recovered = changes.slice(1).map(([l]) => l);
    expect(recovered).toEqual([5, 6, 7, 8]);
    expect(Math.max(...maxInFlightAfterThrottle)).toBeLessThanOrEqual(8);
    expect(maxInFlightAfterThrottle[0]).toBeLessThanOrEqual(4);
    expect(scheduler.concurrencyLimit).toBe(8);
  });

  it('under sustained throttling, halves down to half the starting limit and never below', async () => {
    const limits: number[] = [];
    const { scheduler } = setup({
      maxConcurrency: 32,
      initialConcurrency: 32,
      onConcurrencyChange: (l) => limits.push(l),
    });
    let calls = 0;
    const task = async () => {
      await new Promise((r) => setImmediate(r));
      // The vault refuses the first 100 calls.
      if (calls++ < 100) throw throttled();
    };
    await Promise.all(Array.from({ length: 32 }, (_, i) => scheduler.run('set', `s${i}`, task)));
    expect(limits[0]).toBe(16);
    expect(Math.min(...limits)).toBe(16);
  });
});

describe('scheduler rate budgets', () => {
  it('starts at most `calls` per window, per kind', async () => {
    const { clock, scheduler } = setup({ maxConcurrency: 50, budgets: { set: { calls: 3, windowMs: 1000 } } });
    const t0 = clock.now();
    const starts: number[] = [];
    const others: number[] = [];
    await Promise.all([
      ...Array.from({ length: 7 }, (_, i) =>
        scheduler.run('set', `s${i}`, async () => void starts.push(clock.now() - t0)),
      ),
      ...Array.from({ length: 7 }, (_, i) =>
        scheduler.run('other', `o${i}`, async () => void others.push(clock.now() - t0)),
      ),
    ]);
    expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    expect(others).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('dates a call by its answer: a call in flight holds its place until answered, plus the window', async () => {
    const { clock, scheduler } = setup({ maxConcurrency: 10, budgets: { set: { calls: 2, windowMs: 1000 } } });
    const t0 = clock.now();
    const starts: number[] = [];
    const task = async () => {
      starts.push(clock.now() - t0);
      await clock.sleep(500); // the answer comes 500 ms after the start
    };
    await Promise.all(Array.from({ length: 3 }, (_, i) => scheduler.run('set', `s${i}`, task)));
    expect(starts).toEqual([0, 0, 1500]);
  });

  it('the default set budget starts the full 300 writes at once, and never 301 within 10 s of answers', async () => {
    const { clock, scheduler } = setup({ maxConcurrency: 64 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 700 }, (_, i) => scheduler.run('set', `s${i}`, async () => void starts.push(clock.now()))),
    );
    expect(DEFAULT_BUDGETS.set.calls).toBe(300);
    const t0 = starts[0]!;
    // The whole limit in the first window: nothing held back.
    expect(starts.filter((t) => t === t0)).toHaveLength(300);
    for (let i = 0; i + 300 < starts.length; i++) {
      expect(starts[i + 300]! - starts[i]!).toBeGreaterThanOrEqual(10_000);
    }
    expect(starts.at(-1)! - t0).toBe(2 * 10_000);
  });
});

describe('scheduler growth', () => {
  it('starts at 8 and grows while the vault keeps up, to the ceiling and no further', async () => {
    const limits: number[] = [];
    const { scheduler } = setup({ maxConcurrency: 32, onConcurrencyChange: (l) => limits.push(l) });
    expect(scheduler.concurrencyLimit).toBe(8);
    let inFlight = 0;
    let max = 0;
    const task = async () => {
      max = Math.max(max, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 200 }, (_, i) => scheduler.run('other', `s${i}`, task)));
    expect(limits).toEqual(Array.from({ length: 24 }, (_, i) => 9 + i));
    expect(max).toBe(32);
    expect(scheduler.concurrencyLimit).toBe(32);
  });
});

describe('scheduler: timeouts and stopping', () => {
  const never = () => new Promise<never>(() => {});

  it('abandons an attempt that gets no answer within the call timeout, aborts its signal, and retries it', async () => {
    const { scheduler } = setup({ callTimeoutMs: 20, retry: { maxRetries: 1 } });
    const signals: AbortSignal[] = [];
    const error = await scheduler
      .run('other', 'A', ({ signal }) => {
        signals.push(signal);
        return never();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(retryCause(error)).toBe('timeout');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });

  it('a stopped run starts nothing more, and abandons what is in flight, saying which is which', async () => {
    const stop = new AbortController();
    const { scheduler } = setup({ maxConcurrency: 1, initialConcurrency: 1, signal: stop.signal });
    let started = 0;
    const inFlight = scheduler.run('set', 'A', () => (started++, never())).catch((e: unknown) => e);
    const waiting = scheduler.run('set', 'B', () => (started++, never())).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    stop.abort(new Error('cancelled (SIGTERM)'));
    const [a, b] = await Promise.all([inFlight, waiting]);
    expect(started).toBe(1);
    expect(a).toMatchObject({ name: 'RunStoppedError', why: 'cancelled (SIGTERM)', inFlight: true });
    expect(b).toMatchObject({ name: 'RunStoppedError', why: 'cancelled (SIGTERM)', inFlight: false });
    await expect(scheduler.run('set', 'C', async () => 'ran')).rejects.toBeInstanceOf(RunStoppedError);
  });

  it('reports a vault that answers nothing: five timeouts in a row, three call timeouts of silence', async () => {
    const silences: number[] = [];
    const { scheduler } = setup({ callTimeoutMs: 10, onUnresponsive: (ms) => silences.push(ms) });
    await scheduler.run('other', 'A', () => never()).catch(() => undefined);
    // Nine attempts, each timed out; the fifth and later are past both thresholds.
    expect(silences).toHaveLength(5);
    expect(silences.every((ms) => ms >= 30)).toBe(true);
  });

  it('an answer, even an error, resets the count', async () => {
    const silences: number[] = [];
    const { scheduler } = setup({ callTimeoutMs: 10, onUnresponsive: (ms) => silences.push(ms) });
    let calls = 0;
    const task = () => (++calls % 4 === 0 ? Promise.reject(restError({ statusCode: 503 })) : never());
    await scheduler.run('other', 'A', task).catch(() => undefined);
    expect(calls).toBe(9);
    expect(silences).toEqual([]);
  });

  it('a sign-in failure is not retried, whatever status it carries', async () => {
    const { scheduler } = setup();
    const error = await tagSignInFailures({
      getToken: async () => {
        throw Object.assign(new Error('OIDC endpoint: 503'), { name: 'AuthenticationError', statusCode: 503 });
      },
    })
      .getToken('scope')
      .catch((e: unknown) => e);
    const t = flaky([error as Error]);
    await expect(scheduler.run('other', 'A', t.task)).rejects.toBe(error);
    expect(t.calls()).toBe(1);
  });
});

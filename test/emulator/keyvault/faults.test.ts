// Faults and limits: the service's throttling (real limits and test-sized ones), Retry-After, seeded
// fault injection (429/500/503/connection reset/no answer) and added latency.
import { Agent, request } from 'node:https';
import { mulberry32 } from '../../../emulator/keyvault/faults.js';
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, caOf, raw, rejection, sdkClient, vaultToken } from '../support.js';

const THROTTLED =
  'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached';
const emulators: Emulator[] = [];
async function start(args: string[]): Promise<Emulator> {
  const emu = await startEmulator(args);
  emulators.push(emu);
  return emu;
}
afterAll(() => Promise.all(emulators.map((e) => e.stop())));

describe('throttling', () => {
  test('--throttle real: 300 sets in 10 s pass, the 301st is 429 Throttled without Retry-After; reads still pass', async () => {
    const emu = await start(['--throttle', 'real', '--quiet']);
    const token = await vaultToken(emu);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const put = (i: number) =>
      raw(emu, `${emu.vaultUrl}/secrets/s${i}?api-version=${API}`, {
        method: 'PUT',
        token,
        agent,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ value: `v${i}` }),
      });
    const started = Date.now();
    const results = [];
    for (let batch = 0; batch < 300; batch += 50)
      results.push(...(await Promise.all(Array.from({ length: 50 }, (_, k) => put(batch + k)))));
    expect(Date.now() - started).toBeLessThan(9000); // all 300 inside one window, or the test proves nothing
    expect(results.map((r) => r.status)).toEqual(Array(300).fill(200));
    const over = await put(300);
    agent.destroy();
    expect(over.status).toBe(429);
    expect(over.json).toEqual({ error: { code: 'Throttled', message: THROTTLED } });
    expect(over.headers['retry-after']).toBeUndefined();
    // "other" calls have their own budget (4,000)
    expect((await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);
    // and the SDK surfaces a 429 without Retry-After at once, as RestError 429 Throttled
    const err = await rejection(sdkClient(emu).setSecret('one-more', 'v'));
    expect(err.statusCode).toBe(429);
    expect(err.code).toBe('Throttled');
    expect(err.message).toBe(THROTTLED);
  });

  test('--throttle sets=N,other=M counts sets and other calls separately; none lifts it', async () => {
    const emu = await start(['--throttle', 'sets=2,other=3']);
    const token = await vaultToken(emu);
    const put = (n: string) =>
      raw(emu, `${emu.vaultUrl}/secrets/${n}?api-version=${API}`, {
        method: 'PUT',
        token,
        headers: { 'Content-Type': 'application/json' },
        body: '{"value":"v"}',
      });
    const get = () => raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token });
    expect([
      (await put('a')).status,
      (await put('b')).status,
      (await put('c')).status,
      (await put('d')).status,
    ]).toEqual([200, 200, 429, 429]);
    expect([(await get()).status, (await get()).status, (await get()).status, (await get()).status]).toEqual([
      200, 200, 200, 429,
    ]);
    await emu.configure({ throttle: 'none' });
    expect((await put('e')).status).toBe(200);
  });

  test('--retry-after 1 on 429s lets the SDK retry and succeed once the window has passed', async () => {
    const emu = await start(['--throttle', 'sets=1,other=100,window=1', '--retry-after', '1']);
    const client = sdkClient(emu);
    await client.setSecret('first', 'v');
    await emu.clearRequests();
    const started = Date.now();
    await client.setSecret('second', 'v');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const log = (await emu.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(log[0]).toBe('PUT /secrets/second 429');
    expect(log.at(-1)).toBe('PUT /secrets/second 200');
    const token = await vaultToken(emu);
    await raw(emu, `${emu.vaultUrl}/secrets/third?api-version=${API}`, {
      method: 'PUT',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"value":"v"}',
    });
    const throttled = await raw(emu, `${emu.vaultUrl}/secrets/fourth?api-version=${API}`, {
      method: 'PUT',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"value":"v"}',
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
  });
});

describe('fault injection', () => {
  test('--fault-rate with --seed fails a deterministic subset (the PRNG sequence), the same on every run', async () => {
    const pattern = async (emu: Emulator) => {
      const token = await vaultToken(emu);
      const out: number[] = [];
      for (let i = 0; i < 40; i++)
        out.push((await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token })).status);
      return out;
    };
    const a = await pattern(await start(['--fault-rate', '0.3', '--fault-status', '503', '--seed', '7']));
    const b = await pattern(await start(['--fault-rate', '0.3', '--fault-status', '503', '--seed', '7']));
    const rng = mulberry32(7);
    const expected = Array.from({ length: 40 }, () => (rng() < 0.3 ? 503 : 200));
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(37);
  });

  test('fault statuses 500, 503 and 429 have the service envelope; unauthenticated challenges are never faulted', async () => {
    const emu = await start(['--fault-rate', '1', '--fault-status', '500']);
    const token = await vaultToken(emu);
    const url = `${emu.vaultUrl}/secrets?api-version=${API}`;
    expect((await raw(emu, url)).status).toBe(401);
    const r500 = await raw(emu, url, { token });
    expect(r500.status).toBe(500);
    expect(r500.json.error.code).toBe('InternalServerError');
    await emu.configure({ faultStatus: 503 });
    const r503 = await raw(emu, url, { token });
    expect(r503.status).toBe(503);
    expect(r503.json.error.code).toBe('ServiceUnavailable');
    await emu.configure({ faultStatus: 429, retryAfter: 2 });
    const r429 = await raw(emu, url, { token });
    expect(r429.status).toBe(429);
    expect(r429.json.error).toEqual({ code: 'Throttled', message: THROTTLED });
    expect(r429.headers['retry-after']).toBe('2');
    // with retries off the SDK reports the injected status
    const err = await rejection(sdkClient(emu, emu.vaultUrl, { retryOptions: { maxRetries: 0 } }).getSecret('x'));
    expect(err.statusCode).toBe(429);
  });

  test('fault status reset drops the connection; the log records status 0; the emulator keeps serving', async () => {
    const emu = await start(['--fault-rate', '1', '--fault-status', 'reset']);
    const token = await vaultToken(emu);
    await emu.clearRequests();
    const err = await rejection(raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token }));
    expect(['ECONNRESET', 'EPIPE']).toContain(err.code);
    const sdkErr = await rejection(sdkClient(emu, emu.vaultUrl, { retryOptions: { maxRetries: 0 } }).getSecret('x'));
    expect(sdkErr.statusCode).toBeUndefined();
    expect((await emu.requests())[0]).toEqual({
      service: 'vault',
      method: 'GET',
      path: '/secrets',
      status: 0,
      vault: 'default',
    });
    await emu.configure({ faultRate: 0 });
    expect((await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);
  });

  test('fault status stall never answers: the client gives up, the write did not happen, the log records status 0', async () => {
    const emu = await start(['--fault-rate', '1', '--fault-status', 'stall']);
    const client = sdkClient(emu, emu.vaultUrl, { retryOptions: { maxRetries: 0 } });
    await vaultToken(emu); // the emulator is up and signs in; faults apply to authenticated vault calls only
    const aborted = await rejection(client.setSecret('stalled', 'v', { abortSignal: AbortSignal.timeout(300) }));
    expect(aborted.name).toBe('AbortError');
    await emu.configure({ faultRate: 0 });
    // The request closed without a response, after the client gave up (not before).
    const stalled = (await emu.requests()).find((r) => r.method === 'PUT' && r.status !== 401);
    expect(stalled).toMatchObject({ path: '/secrets/stalled', status: 0 });
    expect((await rejection(client.getSecret('stalled'))).statusCode).toBe(404);
  });

  test('fault status hang reads the request and never answers: the client times out; the log records status 0 when it leaves; the emulator keeps serving', async () => {
    const emu = await start(['--fault-rate', '1', '--fault-status', 'hang']);
    const token = await vaultToken(emu);
    await emu.clearRequests();
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const req = request(
        `${emu.vaultUrl}/secrets?api-version=${API}`,
        { headers: { Authorization: `Bearer ${token}` }, ca: caOf(emu), agent: false, timeout: 1500 },
        (res) => resolve(`answered ${res.statusCode}`),
      );
      req.on('timeout', () => {
        req.destroy();
        resolve('timed out');
      });
      req.on('error', () => undefined);
      req.end();
    });
    expect(outcome).toBe('timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    // The emulator logs the request once the client has closed the connection.
    let log = await emu.requests();
    for (let i = 0; i < 50 && log.length === 0; i++) log = await emu.requests();
    expect(log).toEqual([{ service: 'vault', method: 'GET', path: '/secrets', status: 0, vault: 'default' }]);
    await emu.configure({ faultRate: 0 });
    expect((await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);
  });

  test('the SDK retries injected 503s (seeded half rate) and gets through', async () => {
    const emu = await start(['--fault-rate', '0.5', '--fault-status', '503', '--seed', '3']);
    const client = sdkClient(emu, emu.vaultUrl, {
      retryOptions: { maxRetries: 10, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    });
    await client.setSecret('retried', 'value');
    expect((await client.getSecret('retried')).value).toBe('value');
    const statuses = (await emu.requests()).map((r) => r.status);
    expect(statuses).toContain(503);
  });
});

describe('latency', () => {
  test('--latency-ms N delays every data-plane response by at least N ms', async () => {
    const emu = await start(['--latency-ms', '250']);
    const token = await vaultToken(emu);
    for (const opts of [{ token }, {}]) {
      const t0 = performance.now();
      const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, opts);
      expect([200, 401]).toContain(res.status);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(245);
    }
    const client = sdkClient(emu);
    const t1 = performance.now();
    await client.setSecret('slow', 'v'); // 401 challenge + PUT: two delayed responses
    expect(performance.now() - t1).toBeGreaterThanOrEqual(490);
    await emu.configure({ latencyMs: 0 });
    const t2 = performance.now();
    await client.getSecret('slow');
    expect(performance.now() - t2).toBeLessThan(245);
  });
});

// Bad input never crashes the emulator: api-version checks, malformed/mistyped/oversize bodies,
// unknown paths and methods, then a seeded fuzz of random requests (loopback only) after which the
// emulator still serves the real SDK.
import { connect } from 'node:tls';
import { Agent, request } from 'node:https';
import { mulberry32 } from '../../../emulator/keyvault/faults.js';
import { SUPPORTED_API_VERSIONS } from '../../../emulator/keyvault/api-versions.js';
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, caOf, raw, sdkClient, vaultToken } from '../support.js';

let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator(['--quiet']);
  token = await vaultToken(emu);
});
afterAll(() => emu.stop());

const put = (body: string | Buffer, contentType?: string, name = 'target') =>
  raw(emu, `${emu.vaultUrl}/secrets/${name}?api-version=${API}`, {
    method: 'PUT',
    token,
    body,
    headers: contentType ? { 'Content-Type': contentType } : {},
  });

describe('api-version', () => {
  test.each(SUPPORTED_API_VERSIONS.map((v) => [v]))('%s is accepted', async (v) => {
    expect((await raw(emu, `${emu.vaultUrl}/secrets?api-version=${v}`, { token })).status).toBe(200);
  });

  test("the SDK's percent-encoded parameter name (api%2Dversion) is understood", async () => {
    expect((await raw(emu, `${emu.vaultUrl}/secrets?api%2Dversion=${API}`, { token })).status).toBe(200);
  });

  test.each([['9.9'], ['7.7'], ['2024-01-01'], ['7.4-preview.1']])(
    'unknown %s is 400 BadParameter with the service message',
    async (v) => {
      const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${v}`, { token });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        error: {
          code: 'BadParameter',
          message: `The specified version (${v}) is not recognized. Consider using the latest supported version (2026-04-01).`,
        },
      });
    },
  );

  test('a missing api-version is 400 BadParameter', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets`, { token });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BadParameter');
  });

  test('SDK clients pinned to older service versions work (7.0, 7.4, 7.6)', async () => {
    for (const serviceVersion of ['7.0', '7.4', '7.6'] as const) {
      const client = sdkClient(emu, emu.vaultUrl, { serviceVersion });
      await client.setSecret(`pinned-${serviceVersion.replace('.', '-')}`, 'v');
    }
    const paths = (await emu.requests()).filter((r) => r.path.startsWith('/secrets/pinned-') && r.status === 200);
    expect(paths).toHaveLength(3);
  });
});

describe('bodies', () => {
  test('malformed JSON is 400 BadParameter', async () => {
    const res = await put('{"value": "x"', 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.error).toEqual({ code: 'BadParameter', message: 'The request body is not valid JSON.' });
  });

  test.each([['text/plain'], ['application/x-www-form-urlencoded'], [undefined]])(
    'content type %s is 400 BadParameter',
    async (ct) => {
      const res = await put('{"value":"x"}', ct);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('BadParameter');
    },
  );

  test('application/json with a charset is fine', async () => {
    expect((await put('{"value":"x"}', 'application/json; charset=utf-8')).status).toBe(200);
  });

  test.each([['[]'], ['null'], ['"value"'], ['42'], ['']])(
    'a body that is not a JSON object (%s) is 400',
    async (body) => {
      const res = await put(body, 'application/json');
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('BadParameter');
    },
  );

  test('an oversize body (300 kB) is 400 BadParameter and the connection stays usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const big = JSON.stringify({ value: 'x'.repeat(300 * 1024) });
    const res = await raw(emu, `${emu.vaultUrl}/secrets/big?api-version=${API}`, {
      method: 'PUT',
      token,
      agent,
      body: big,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BadParameter');
    expect(res.json.error.message).toMatch(/too large/);
    const after = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token, agent });
    expect(after.status).toBe(200);
    agent.destroy();
  });

  test('a client that disconnects half-way through a body is logged with status 0 and does not disturb the emulator', async () => {
    await emu.clearRequests();
    await new Promise<void>((resolve) => {
      const req = request(`${emu.vaultUrl}/secrets/half?api-version=${API}`, {
        method: 'PUT',
        ca: caOf(emu),
        agent: false,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': 1000 },
      });
      req.on('error', () => resolve());
      req.write('{"value":"only a part', () => setTimeout(() => req.destroy(), 50));
    });
    for (let i = 0; i < 50 && (await emu.requests()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await emu.requests()).toEqual([
      { service: 'vault', method: 'PUT', path: '/secrets/half', status: 0, vault: 'default' },
    ]);
    expect((await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token })).status).toBe(200);
  });

  test('a restore body without a blob is 400', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets/restore?api-version=${API}`, {
      method: 'POST',
      token,
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });
});

describe('paths and methods', () => {
  test.each([['/keys'], ['/secrets/a/b/c'], ['/'], ['/deletedsecrets/a/b'], ['/secrets//x'], ['/certificates/x']])(
    'unknown path %s is 404 with a JSON error',
    async (path) => {
      const res = await raw(emu, `${emu.vaultUrl}${path}?api-version=${API}`, { token });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('NotFound');
    },
  );

  test('an unsupported method on a known path is 405 with Allow', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, {
      method: 'POST',
      token,
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.json.error.code).toBe('MethodNotAllowed');
  });

  test('a name that is not valid percent-encoding is 400 invalid name', async () => {
    const res = await raw(emu, `${emu.vaultUrl}/secrets/%E0%A4%A?api-version=${API}`, { token });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('The request URI contains an invalid name: %E0%A4%A');
  });
});

describe('fuzz', () => {
  test('400 seeded random requests and raw garbage: every answer is a well-formed response below 500; the emulator still serves', async () => {
    const rnd = mulberry32(424242);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const randomText = (n: number) =>
      Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join('');
    const methods = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];
    const paths = [
      '/secrets',
      '/secrets/',
      '/secrets/fuzz',
      '/secrets/fuzz/',
      '/secrets/fuzz/versions',
      '/secrets/fuzz/backup',
      '/secrets/restore',
      '/deletedsecrets',
      '/deletedsecrets/fuzz',
      '/deletedsecrets/fuzz/recover',
      '/secrets/%00',
      '/secrets/..%2F..',
      '/a/b/c/d',
      '/secrets/' + 'y'.repeat(300),
      '/secrets/fuzz/0123456789abcdef0123456789abcdef',
    ];
    const queries = [
      '',
      `?api-version=${API}`,
      '?api-version=7.3&maxresults=3',
      '?api-version=',
      `?api-version=${API}&maxresults=99`,
      `?api-version=${API}&$skiptoken=%%%`,
      '?' + randomText(20),
    ];
    const bodies = () =>
      pick([
        undefined,
        '',
        '{',
        '{"value":"fuzzed"}',
        '{"value":1}',
        JSON.stringify({ value: 'v', tags: { a: 'b' }, attributes: { enabled: false } }),
        '[1,2]',
        randomText(200),
        Buffer.from(Array.from({ length: 64 }, () => Math.floor(rnd() * 256))),
      ]);
    const auths = [
      undefined,
      `Bearer ${token}`,
      `Bearer ${token}`,
      `Bearer ${token}`,
      `Bearer ${token}`,
      'Bearer',
      'Bearer x.y.z',
      'Basic abc',
      `Bearer ${token}x`,
    ];
    const contentTypes = [
      undefined,
      'application/json',
      'text/plain',
      'application/json; charset=utf-8',
      'multipart/form-data; boundary=x',
    ];

    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const statuses: number[] = [];
    const problems: string[] = [];
    for (let i = 0; i < 400; i++) {
      const method = pick(methods);
      const path = pick(paths) + pick(queries);
      const body = method === 'GET' || method === 'HEAD' ? undefined : bodies();
      const headers: Record<string, string> = {};
      const auth = pick(auths);
      if (auth) headers.Authorization = auth;
      const ct = pick(contentTypes);
      if (ct) headers['Content-Type'] = ct;
      if (rnd() < 0.1) headers['x-ms-client-request-id'] = randomText(30);
      try {
        const res = await raw(emu, `${emu.vaultUrl}${path}`, { method, headers, body, agent });
        statuses.push(res.status);
        if (res.status >= 500) problems.push(`${method} ${path} → ${res.status} ${res.text}`);
        if (res.status >= 400 && method !== 'HEAD' && !(res.json && typeof res.json.error?.code === 'string'))
          problems.push(`${method} ${path} → ${res.status} without the error envelope: ${res.text.slice(0, 100)}`);
      } catch (err) {
        problems.push(`${method} ${path} → ${(err as Error).message}`);
      }
    }
    agent.destroy();
    expect(problems).toEqual([]);
    // the fuzz reached the operations, not just the front door
    for (const s of [200, 400, 401, 404, 405]) expect(statuses).toContain(s);

    // Garbage below HTTP: bytes that are not a request, over TLS and over plain TCP.
    const port = Number(new URL(emu.vaultUrl).port);
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port, ca: caOf(emu), servername: 'localhost' }, () => {
          s.write(Buffer.from(Array.from({ length: 200 }, () => Math.floor(rnd() * 256))));
          s.end();
        });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
    }
    await new Promise<void>((resolve) => {
      const req = request(`${emu.vaultUrl}/secrets?api-version=${API}`, {
        ca: caOf(emu),
        agent: false,
        headers: { 'Content-Length': '5', 'Transfer-Encoding': 'chunked' },
      });
      req.on('error', () => resolve());
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.end();
    });

    // Still serving: the real SDK, and the admin API.
    const client = sdkClient(emu);
    await client.setSecret('after-fuzz', 'alive');
    expect((await client.getSecret('after-fuzz')).value).toBe('alive');
    const log = await emu.requests();
    expect(log.length).toBeGreaterThan(300); // requests the HTTP parser refused (method FOO) never reach the log
    expect(log.at(-1)).toEqual({
      service: 'vault',
      method: 'GET',
      path: '/secrets/after-fuzz/',
      status: 200,
      vault: 'default',
      userAgent: expect.stringMatching(/^azsdk-js-keyvault-secrets\//),
    });
  });
});

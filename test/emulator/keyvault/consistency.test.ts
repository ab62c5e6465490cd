// Eventual consistency (--consistency-delay-ms): the real vault finishes a delete, a recover and a
// purge some seconds after it answers. Until then the change is not visible and a set is refused
// with 409. Each check polls until the state changes and measures when it did: it must not change
// before the delay, and it must change.
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, raw, sdkClient, unique, vaultToken } from '../support.js';

const DELAY_MS = 1200;
let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator(['--consistency-delay-ms', String(DELAY_MS), '--quiet']);
  token = await vaultToken(emu);
});
afterAll(() => emu.stop());

const url = (path: string) => `${emu.vaultUrl}${path}?api-version=${API}`;
const get = (path: string) => raw(emu, url(path), { token });
const put = (name: string, value = 'v') =>
  raw(emu, url(`/secrets/${name}`), {
    method: 'PUT',
    token,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ value }),
  });
const post = (path: string) => raw(emu, url(path), { method: 'POST', token });
const del = (path: string) => raw(emu, url(path), { method: 'DELETE', token });

/** Polls `path` until it answers `status`; returns the statuses seen before and when it changed. */
async function until(path: string, status: number, since: number): Promise<{ before: number[]; afterMs: number }> {
  const before: number[] = [];
  for (;;) {
    const res = await get(path);
    if (res.status === status) return { before, afterMs: Date.now() - since };
    before.push(res.status);
    if (Date.now() - since > DELAY_MS * 10) throw new Error(`${path} never answered ${status}: ${before.join(',')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('after a delete: the deleted secret answers 404 first, a set and a recover get 409 ObjectIsBeingDeleted, then it is listed', async () => {
  const name = unique('del');
  expect((await put(name)).status).toBe(200);
  const t0 = Date.now();
  expect((await del(`/secrets/${name}`)).status).toBe(200);
  expect((await get(`/deletedsecrets/${name}`)).status).toBe(404);
  const set = await put(name);
  expect([set.status, set.json.error.code, set.json.error.innererror.code]).toEqual([
    409,
    'Conflict',
    'ObjectIsBeingDeleted',
  ]);
  expect((await post(`/deletedsecrets/${name}/recover`)).json.error.innererror.code).toBe('ObjectIsBeingDeleted');
  const seen = await until(`/deletedsecrets/${name}`, 200, t0);
  expect(seen.before.length).toBeGreaterThan(0);
  expect(new Set(seen.before)).toEqual(new Set([404]));
  expect(seen.afterMs).toBeGreaterThanOrEqual(DELAY_MS);
  // Once listed, it is the ordinary soft-deleted state.
  expect((await put(name)).json.error.innererror.code).toBe('ObjectIsDeletedButRecoverable');
});

test('after a recover: the secret answers 404 and a set gets 409 ObjectIsBeingRecovered until it is back, with its value', async () => {
  const name = unique('rec');
  await put(name, 'kept');
  await del(`/secrets/${name}`);
  await until(`/deletedsecrets/${name}`, 200, Date.now());
  const t0 = Date.now();
  expect((await post(`/deletedsecrets/${name}/recover`)).status).toBe(200);
  expect((await get(`/secrets/${name}`)).status).toBe(404);
  const set = await put(name);
  expect([set.status, set.json.error.innererror.code]).toEqual([409, 'ObjectIsBeingRecovered']);
  const seen = await until(`/secrets/${name}`, 200, t0);
  expect(seen.afterMs).toBeGreaterThanOrEqual(DELAY_MS);
  expect((await get(`/secrets/${name}`)).json.value).toBe('kept');
});

test('after a purge: the deleted secret is still listed and a set gets 409 until the purge finishes; then the name is free', async () => {
  const name = unique('purge');
  await put(name);
  await del(`/secrets/${name}`);
  await until(`/deletedsecrets/${name}`, 200, Date.now());
  const t0 = Date.now();
  expect((await del(`/deletedsecrets/${name}`)).status).toBe(204);
  expect((await get(`/deletedsecrets/${name}`)).status).toBe(200);
  expect((await put(name)).json.error.innererror.code).toBe('ObjectIsBeingDeleted');
  const seen = await until(`/deletedsecrets/${name}`, 404, t0);
  expect(seen.afterMs).toBeGreaterThanOrEqual(DELAY_MS);
  expect((await put(name, 'fresh')).status).toBe(200);
});

test("the SDK's pollers wait it out: beginDeleteSecret sees 404s before the deleted secret, beginRecoverDeletedSecret 404s before the secret", async () => {
  const client = sdkClient(emu, emu.vaultUrl);
  const name = unique('sdk');
  await client.setSecret(name, 'v');
  await emu.clearRequests();
  await (await client.beginDeleteSecret(name, { intervalInMs: 100 })).pollUntilDone();
  const deletes = (await emu.requests('vault')).map((r) => `${r.method} ${r.path} ${r.status}`);
  expect(deletes[0]).toBe(`DELETE /secrets/${name} 200`);
  expect(deletes.filter((l) => l === `GET /deletedsecrets/${name} 404`).length).toBeGreaterThan(0);
  expect(deletes.at(-1)).toBe(`GET /deletedsecrets/${name} 200`);
  await emu.clearRequests();
  await (await client.beginRecoverDeletedSecret(name, { intervalInMs: 100 })).pollUntilDone();
  const recovers = (await emu.requests('vault')).map((r) => `${r.method} ${r.path} ${r.status}`);
  expect(recovers).toContain(`POST /deletedsecrets/${name}/recover 200`);
  expect(recovers.filter((l) => l === `GET /secrets/${name}/ 404`).length).toBeGreaterThan(0);
  expect(recovers.at(-1)).toBe(`GET /secrets/${name}/ 200`);
  expect((await client.getSecret(name)).value).toBe('v');
});

test('0 (the default) finishes at once; the setting changes at run time', async () => {
  await emu.configure({ consistencyDelayMs: 0 });
  try {
    const name = unique('now');
    await put(name);
    await del(`/secrets/${name}`);
    expect((await get(`/deletedsecrets/${name}`)).status).toBe(200);
    expect((await post(`/deletedsecrets/${name}/recover`)).status).toBe(200);
    expect((await get(`/secrets/${name}`)).status).toBe(200);
  } finally {
    await emu.configure({ consistencyDelayMs: DELAY_MS });
  }
});

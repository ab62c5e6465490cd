// Several vaults at once (each on its own port, fully isolated) and the admin API: request log and
// runtime configuration.
import { startEmulator } from '../helpers/emulator.js';
import type { Emulator } from '../helpers/emulator.js';
import { API, caOf, raw, rejection, sdkClient, vaultToken } from './support.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator(['--vault', 'second', '--vault', 'third-vault']);
});
afterAll(() => emu.stop());

test('the start line lists every vault on its own localhost port; vaultUrl is the default vault', () => {
  expect(Object.keys(emu.vaults)).toEqual(['default', 'second', 'third-vault']);
  expect(emu.vaultUrl).toBe(emu.vaults.default);
  const ports = Object.values(emu.vaults).map((u) => {
    expect(u).toMatch(/^https:\/\/localhost:\d+$/);
    return new URL(u).port;
  });
  expect(new Set(ports).size).toBe(3);
});

test('vaults are isolated: same name, different values; a secret in one is missing in the others', async () => {
  const a = sdkClient(emu, emu.vaults.default);
  const b = sdkClient(emu, emu.vaults.second);
  const c = sdkClient(emu, emu.vaults['third-vault']);
  await a.setSecret('shared-name', 'in default');
  await b.setSecret('shared-name', 'in second');
  await a.setSecret('only-default', 'x');
  expect((await a.getSecret('shared-name')).value).toBe('in default');
  expect((await b.getSecret('shared-name')).value).toBe('in second');
  expect((await rejection(b.getSecret('only-default'))).statusCode).toBe(404);
  expect((await rejection(c.getSecret('shared-name'))).statusCode).toBe(404);
  const inSecond: string[] = [];
  for await (const p of b.listPropertiesOfSecrets()) inSecond.push(p.name);
  expect(inSecond).toEqual(['shared-name']);
  expect((await b.getSecret('shared-name')).properties.id).toContain(emu.vaults.second);
});

test('a backup from one vault restores into another', async () => {
  const a = sdkClient(emu, emu.vaults.default);
  const c = sdkClient(emu, emu.vaults['third-vault']);
  await a.setSecret('travels', 'far');
  const blob = await a.backupSecret('travels');
  await c.restoreSecretBackup(blob!);
  expect((await c.getSecret('travels')).value).toBe('far');
});

test('the request log: method, path without query, status (401 challenges included), vault and User-Agent', async () => {
  await emu.clearRequests();
  expect(await emu.requests()).toEqual([]);
  const sdk = expect.stringMatching(/^azsdk-js-keyvault-secrets\//) as unknown as string;
  const client = sdkClient(emu, emu.vaults.second); // a new client meets one challenge
  await client.getSecret('shared-name');
  await raw(emu, `${emu.vaults['third-vault']}/nope?api-version=${API}&x=1`, { token: await vaultToken(emu) });
  expect(await emu.requests()).toEqual([
    { service: 'vault', method: 'GET', path: '/secrets/shared-name/', status: 401, vault: 'second', userAgent: sdk },
    { service: 'vault', method: 'GET', path: '/secrets/shared-name/', status: 200, vault: 'second', userAgent: sdk },
    // A request without a User-Agent header is recorded without one.
    { service: 'vault', method: 'GET', path: '/nope', status: 404, vault: 'third-vault' },
  ]);
  await emu.clearRequests();
  expect(await emu.requests()).toEqual([]);
});

test('config can target one vault; the others keep their settings', async () => {
  await emu.configure({ vault: 'second', firewall: 'deny' });
  try {
    expect((await rejection(sdkClient(emu, emu.vaults.second).getSecret('shared-name'))).statusCode).toBe(403);
    expect((await sdkClient(emu, emu.vaults.default).getSecret('shared-name')).value).toBe('in default');
    const current = await raw(emu, `${emu.adminUrl}/config`);
    expect(current.json.second.firewall).toBe('deny');
    expect(current.json.default.firewall).toBe('allow');
    expect(current.json.default.rbac).toBe('officer');
  } finally {
    await emu.configure({ firewall: 'allow' });
  }
  expect((await sdkClient(emu, emu.vaults.second).getSecret('shared-name')).value).toBe('in second');
});

test('bad config is refused with 400 and changes nothing', async () => {
  for (const body of [
    { vault: 'nope', rbac: 'user' },
    { rbac: 'admin' },
    { faultRate: 2 },
    { faultStatus: 418 },
    { throttle: 'lots' },
    { colour: 'red' },
    { secretRoles: { a: 'god' } },
  ]) {
    await expect(emu.configure(body)).rejects.toThrow(/400/);
  }
  const res = await raw(emu, `${emu.adminUrl}/config`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{not json',
  });
  expect(res.status).toBe(400);
  expect((await sdkClient(emu, emu.vaults.default).getSecret('shared-name')).value).toBe('in default');
});

test('config accepts every documented key', async () => {
  await emu.configure({
    vault: 'third-vault',
    rbac: 'user',
    firewall: 'allow',
    latencyMs: 0,
    faultRate: 0,
    faultStatus: 'reset',
    retryAfter: 'none',
    throttle: { sets: 10, other: 20 },
    seed: 5,
    secretRoles: { travels: 'officer' },
  });
  const current = (await raw(emu, `${emu.adminUrl}/config`)).json['third-vault'];
  expect(current).toMatchObject({
    rbac: 'user',
    faultStatus: 'reset',
    retryAfter: null,
    throttle: { sets: 10, other: 20, windowMs: 10000 },
    secretRoles: { travels: 'officer' },
  });
  await emu.configure({ vault: 'third-vault', rbac: 'officer', throttle: null, secretRoles: {} });
});

test('the admin API lives only on the control port; vault ports do not serve it', async () => {
  const onVault = await raw(emu, `${emu.vaultUrl}/admin/requests`);
  expect(onVault.status).toBe(401); // just another unauthenticated data-plane path
  const unknown = await raw(emu, `${emu.adminUrl}/nothing-here`);
  expect(unknown.status).toBe(404);
  expect(caOf(emu).toString()).toContain('BEGIN CERTIFICATE');
});

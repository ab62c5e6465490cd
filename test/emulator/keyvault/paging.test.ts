// Paging of list / list versions / list deleted: maxresults 1..25, absolute same-origin nextLink,
// null on the last page — driven through the SDK (byPage) and checked on the wire.
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, raw, sdkClient, vaultToken } from '../support.js';

let emu: Emulator;
let token: string;
const NAMES = Array.from({ length: 30 }, (_, i) => `page-${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  emu = await startEmulator();
  token = await vaultToken(emu);
  const client = sdkClient(emu);
  for (const n of NAMES) await client.setSecret(n, `value of ${n}`);
});
afterAll(() => emu.stop());

test('the SDK pages through 30 secrets with maxPageSize 7: pages of 7,7,7,7,2 and every name once', async () => {
  const client = sdkClient(emu);
  await emu.clearRequests();
  const sizes: number[] = [];
  const names: string[] = [];
  for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 7 })) {
    sizes.push(page.length);
    names.push(...page.map((p) => p.name));
  }
  expect(sizes).toEqual([7, 7, 7, 7, 2]);
  expect(names).toEqual(NAMES);
  expect((await emu.requests()).filter((r) => r.status === 200).map((r) => r.path)).toEqual(Array(5).fill('/secrets'));
});

test('without maxresults a page holds 25; nextLink is absolute on the same origin and null on the last page', async () => {
  const first = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token });
  expect(first.status).toBe(200);
  expect(first.json.value).toHaveLength(25);
  expect(first.json.value[0]).toEqual({
    id: `${emu.vaultUrl}/secrets/page-00`,
    attributes: expect.objectContaining({ enabled: true, recoveryLevel: 'Recoverable+Purgeable' }),
  });
  expect(first.json.value[0]).not.toHaveProperty('value');
  const next = first.json.nextLink as string;
  expect(next.startsWith(`${emu.vaultUrl}/secrets?api-version=${API}&$skiptoken=`)).toBe(true);
  const second = await raw(emu, next, { token });
  expect(second.json.value.map((s: { id: string }) => s.id.split('/').pop())).toEqual(NAMES.slice(25));
  expect(second.text).toContain('"nextLink":null');
});

test('nextLink keeps the origin the client used (127.0.0.1 here)', async () => {
  const port = new URL(emu.vaultUrl).port;
  const res = await raw(emu, `https://127.0.0.1:${port}/secrets?api-version=${API}&maxresults=3`, { token });
  expect(res.json.nextLink.startsWith(`https://127.0.0.1:${port}/secrets?`)).toBe(true);
  expect(res.json.nextLink).toContain('maxresults=3');
  expect(res.json.value[0].id).toBe(`https://127.0.0.1:${port}/secrets/page-00`);
});

test('following nextLink verbatim with maxresults=1 visits every secret exactly once', async () => {
  let link: string | null = `${emu.vaultUrl}/secrets?api-version=${API}&maxresults=1`;
  const seen: string[] = [];
  let pages = 0;
  while (link && pages < 100) {
    const res: Awaited<ReturnType<typeof raw>> = await raw(emu, link, { token });
    expect(res.json.value.length).toBeLessThanOrEqual(1);
    seen.push(...res.json.value.map((s: { id: string }) => s.id.split('/').pop()));
    link = res.json.nextLink;
    pages++;
  }
  expect(seen).toEqual(NAMES);
  expect(pages).toBe(30);
});

test.each([['0'], ['26'], ['-1'], ['abc'], ['2.5'], ['']])('maxresults=%s is 400 BadParameter', async (v) => {
  const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}&maxresults=${v}`, { token });
  expect(res.status).toBe(400);
  expect(res.json.error.code).toBe('BadParameter');
});

test('maxresults 1 and 25 are the bounds; a forged $skiptoken is 400', async () => {
  expect(
    (await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}&maxresults=25`, { token })).json.value,
  ).toHaveLength(25);
  expect(
    (await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}&maxresults=1`, { token })).json.value,
  ).toHaveLength(1);
  const bad = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}&$skiptoken=not-a-token`, { token });
  expect(bad.status).toBe(400);
  expect(bad.json.error.code).toBe('BadParameter');
});

test('versions page too (27 versions, maxresults 25 → 2 pages); versions of a missing secret are an empty list', async () => {
  const client = sdkClient(emu);
  const ids: string[] = [];
  for (let i = 0; i < 27; i++) ids.push((await client.setSecret('many-versions', `v${i}`)).properties.version!);
  const sizes: number[] = [];
  const listed: string[] = [];
  for await (const page of client.listPropertiesOfSecretVersions('many-versions').byPage({ maxPageSize: 25 })) {
    sizes.push(page.length);
    listed.push(...page.map((p) => p.version!));
  }
  expect(sizes).toEqual([25, 2]);
  expect(listed).toEqual(ids);
  const res = await raw(emu, `${emu.vaultUrl}/secrets/many-versions/versions?api-version=${API}&maxresults=25`, {
    token,
  });
  expect(res.json.value[0].id).toBe(`${emu.vaultUrl}/secrets/many-versions/${ids[0]}`);
  expect(res.json.nextLink).toMatch(new RegExp(`^${emu.vaultUrl}/secrets/many-versions/versions\\?`));

  let missing = 0;
  for await (const _ of client.listPropertiesOfSecretVersions('no-such-secret')) missing++;
  expect(missing).toBe(0);
  const empty = await raw(emu, `${emu.vaultUrl}/secrets/no-such-secret/versions?api-version=${API}`, { token });
  expect(empty.json).toEqual({ value: [], nextLink: null });
});

test('deleted secrets page as well (26 deleted, pages of 10)', async () => {
  const client = sdkClient(emu);
  const doomed = NAMES.slice(0, 26);
  for (const n of doomed) await (await client.beginDeleteSecret(n)).pollUntilDone();
  const sizes: number[] = [];
  const names: string[] = [];
  for await (const page of client.listDeletedSecrets().byPage({ maxPageSize: 10 })) {
    sizes.push(page.length);
    names.push(...page.map((d) => d.name));
  }
  expect(sizes).toEqual([10, 10, 6]);
  expect(names).toEqual(doomed);
  const res = await raw(emu, `${emu.vaultUrl}/deletedsecrets?api-version=${API}&maxresults=2`, { token });
  const item = res.json.value[0];
  expect(item.id).toBe(`${emu.vaultUrl}/secrets/page-00`);
  expect(item.recoveryId).toBe(`${emu.vaultUrl}/deletedsecrets/page-00`);
  expect(item.scheduledPurgeDate - item.deletedDate).toBe(7_776_000);
  // the remaining live secrets are still listed
  const live: string[] = [];
  for await (const p of client.listPropertiesOfSecrets()) live.push(p.name);
  expect(live).toEqual([...NAMES.slice(26), 'many-versions'].sort());
});

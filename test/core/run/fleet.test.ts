// A run over several targets with in-memory vaults: each vault pushed once and in parallel, one failing vault does not
// stop the others, prune per vault, expiry warnings from what the push read or wrote.
import { pushFleet, type FleetDeps } from '../../../src/core/run/fleet.js';
import { listFleet } from '../../../src/core/run/list-secrets.js';
import { ownershipTags } from '../../../src/core/common/ownership.js';
import type { Logger } from '../../../src/core/common/ports.js';
import type { PushIntent } from '../../../src/core/inputs/inputs.js';
import type { TargetSpec } from '../../../src/core/common/types.js';
import { CLOUDS } from '../../../src/core/azure/clouds.js';
import { labeller } from '../../../src/core/inputs/inputs.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { FakeStore, restError } from '../../helpers/fake-store.js';

const owner = { id: 'github.com/contoso/train' };
const NOW = new Date(Date.UTC(2026, 0, 1));
const DAY = 86_400_000;
const vault = (url: string, display = url): TargetSpec => ({ target: { kind: 'vault', vaultUrl: url }, display });

function setup(urls: string[]) {
  const clock = fakeClock(NOW.getTime());
  const stores = new Map(urls.map((u) => [u.toLowerCase(), new FakeStore(clock)]));
  const lines: string[] = [];
  const logger: Logger = { debug: () => undefined, info: (m) => lines.push(m), warning: (m) => lines.push(`W ${m}`) };
  const created: string[] = [];
  const deps: FleetDeps = {
    credential: { getToken: () => Promise.resolve(null) },
    cloud: CLOUDS.AzureCloud,
    logger,
    label: labeller('github'),
    owner,
    createStore: (url) => {
      created.push(url);
      return stores.get(url.toLowerCase())!;
    },
    now: NOW,
  };
  return { stores, lines, deps, created, store: (u: string) => stores.get(u.toLowerCase())! };
}

function intent(targets: TargetSpec[], patch: Partial<PushIntent> = {}): PushIntent {
  return {
    targets,
    cloud: CLOUDS.AzureCloud,
    mode: 'push',
    prune: false,
    warnExpiryDays: 30,
    secrets: [
      { name: 'A', value: 'value-a', origin: 'secrets line 1 (A)' },
      { name: 'B', value: 'value-b', origin: 'secrets line 2 (B)' },
    ],
    tags: {},
    onDeleted: 'recover',
    adoptUnowned: false,
    dryRun: false,
    maxConcurrency: 4,
    ...patch,
  };
}

const K1 = 'https://kv1.vault.azure.net';
const K2 = 'https://kv2.vault.azure.net';
const K3 = 'https://kv3.vault.azure.net';

it('pushes every vault; a vault behind a firewall fails alone; the same vault twice is pushed once', async () => {
  const { store, deps, lines, created } = setup([K1, K2, K3]);
  const firewall = restError({ statusCode: 403, code: 'Forbidden', innerCode: 'ForbiddenByFirewall' });
  for (const n of ['A', 'B']) store(K2).fail(n, '*', firewall);
  const result = await pushFleet(
    intent([vault(K1), vault(K2), vault(K3), vault('https://KV1.vault.azure.net', 'sub/rg/ws-sharing-kv1')]),
    deps,
  );
  expect(created).toEqual([K1, K2, K3]);
  expect(result.targets.map((t) => [t.target, t.outcomes.map((o) => o.status)])).toEqual([
    [K1, ['done', 'done']],
    [K2, ['failed', 'failed']],
    [K3, ['done', 'done']],
    ['sub/rg/ws-sharing-kv1', []],
  ]);
  expect(result.targets[3]!.sameVaultAs).toBe(K1);
  expect(lines).toContain(
    `[sub/rg/ws-sharing-kv1] sub/rg/ws-sharing-kv1 is the same vault as ${K1} (https://KV1.vault.azure.net): pushed once`,
  );
  expect(store(K1).latest('A')?.value).toBe('value-a');
  expect(store(K3).latest('B')?.value).toBe('value-b');
  expect(lines.join('\n')).not.toMatch(/value-a|value-b/);
});

it('prunes this owner’s retired secrets in every vault, and only those', async () => {
  const { store, deps } = setup([K1, K2]);
  for (const u of [K1, K2]) {
    store(u).seed('old', { value: 'x', tags: ownershipTags(owner) });
    store(u).seed('not-ours', { value: 'x' });
  }
  const result = await pushFleet(intent([vault(K1), vault(K2)], { prune: true }), deps);
  expect(result.targets.map((t) => t.deleted.map((d) => [d.name, d.status]))).toEqual([
    [['old', 'done']],
    [['old', 'done']],
  ]);
  for (const u of [K1, K2]) {
    expect(store(u).latest('old')).toBeUndefined();
    expect(store(u).latest('not-ours')).toBeDefined();
  }
});

it('warns about our secrets expiring within the window, from what the push read or wrote', async () => {
  const { store, deps, lines } = setup([K1]);
  store(K1).seed('A', { value: 'value-a', tags: ownershipTags(owner), expiresOn: new Date(NOW.getTime() + 3 * DAY) });
  const result = await pushFleet(
    intent([vault(K1)], { expiresOn: new Date(NOW.getTime() + 3 * DAY), warnExpiryDays: 7 }),
    deps,
  );
  expect(result.targets[0]!.outcomes.map((o) => [o.name, o.action])).toEqual([
    ['A', 'unchanged'],
    ['B', 'create'],
  ]);
  expect(result.expiring.map((w) => [w.name, Math.round(w.days)])).toEqual([
    ['A', 3],
    ['B', 3],
  ]);
  expect(lines.filter((l) => l.startsWith('W '))).toEqual([
    `W A in ${K1} expires on 2026-01-04T00:00:00.000Z (in 3 day(s)): rotate it`,
    `W B in ${K1} expires on 2026-01-04T00:00:00.000Z (in 3 day(s)): rotate it`,
  ]);
  const off = await pushFleet(
    intent([vault(K1)], { expiresOn: new Date(NOW.getTime() + 3 * DAY), warnExpiryDays: 0 }),
    deps,
  );
  expect(off.expiring).toEqual([]);
});

it('lists every vault with whose each secret is, never a value', async () => {
  const { store, deps } = setup([K1]);
  store(K1).seed('ours', { value: 'secret-1', tags: ownershipTags(owner), contentType: 'text/plain' });
  store(K1).seed('theirs', { value: 'secret-2', tags: ownershipTags({ id: 'github.com/contoso/train#nightly' }) });
  store(K1).seed('plain', { value: 'secret-3' });
  const result = await listFleet([vault(K1)], deps);
  expect(result.targets[0]!.secrets.map((s) => [s.name, s.owner])).toEqual([
    ['ours', { kind: 'ours' }],
    ['plain', { kind: 'unowned' }],
    ['theirs', { kind: 'other', owner: 'github.com/contoso/train#nightly' }],
  ]);
  expect(JSON.stringify(result)).not.toMatch(/secret-\d/);
});

// The Key Vault store against the real emulator over HTTPS, through the real SDK and a real
// ManagedIdentityCredential (the emulator's identity endpoint). The pure parts come first.
import { ManagedIdentityCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { createKeyVaultStore } from '../../../src/core/engine/keyvault-store.js';
import { isLoopbackHost } from '../../../src/core/azure/vault-host.js';
import { describeError } from '../../../src/core/errors/describe-error.js';
import { createScheduler, type RetryEvent } from '../../../src/core/engine/scheduler.js';
import type { SecretStore } from '../../../src/core/common/ports.js';
import { startEmulator, useEmulatorEnv, type Emulator } from '../../helpers/emulator.js';
import { vaultClient } from '../../helpers/vault-client.js';
import { labeller } from '../../../src/core/inputs/inputs.js';

const onGitHub = { label: labeller('github') };

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['127.0.0.1.nip.io', false],
    ['localhost.evil.com', false],
    ['myvault.localhost', false],
    ['myvault.vault.azure.net', false],
    ['[::2]', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('createKeyVaultStore', () => {
  const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  it.each(['http://localhost:8443', 'ftp://kv.vault.azure.net', 'not a url'])('refuses %s', (url) => {
    expect(() => createKeyVaultStore(url, credential)).toThrow(/https|not a URL/);
  });
  it('accepts https', () => {
    expect(() => createKeyVaultStore('https://kv.vault.azure.net', credential)).not.toThrow();
  });
});

describe('the store against the emulator', () => {
  let emulator: Emulator;
  let store: SecretStore;
  let admin: SecretClient;
  let n = 0;
  /** A fresh name per test, so tests do not see each other's secrets. */
  const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;

  beforeAll(async () => {
    emulator = await startEmulator(['--quiet']);
    // Managed identity reads its endpoint from the environment when the credential is constructed.
    useEmulatorEnv(emulator);
    store = createKeyVaultStore(emulator.vaultUrl, new ManagedIdentityCredential(), {
      userAgent: 'aml-vault-push-test',
      pollIntervalMs: 50,
    });
    admin = vaultClient(emulator);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  afterEach(async () => {
    await emulator.configure({ firewall: 'allow', secretRoles: {} });
  });

  async function softDelete(name: string) {
    const poller = await admin.beginDeleteSecret(name, { intervalInMs: 50 });
    await poller.pollUntilDone();
  }

  it('lists the properties of every secret across pages, never a value', async () => {
    const prefix = fresh('listed');
    const names = Array.from({ length: 27 }, (_, i) => `${prefix}-${i}`);
    for (const name of names) await admin.setSecret(name, `listed-value-${name}`, { tags: { team: 'ml' } });
    await admin.setSecret(names[0]!, 'v2', { contentType: 'text/plain', expiresOn: new Date('2030-01-01T00:00:00Z') });
    await emulator.clearRequests();
    const listed = (await store.list()).filter((s) => s.name.startsWith(prefix));
    expect(listed.map((s) => s.name).sort()).toEqual([...names].sort());
    expect(listed.find((s) => s.name === names[0])).toMatchObject({
      enabled: true,
      contentType: 'text/plain',
      expiresOn: new Date('2030-01-01T00:00:00Z'),
      updatedOn: expect.any(Date),
    });
    expect(listed.find((s) => s.name === names[1])!.tags).toEqual({ team: 'ml' });
    expect(JSON.stringify(listed)).not.toMatch(/listed-value|v2/);
    // More than one page (25 a page): the SDK followed nextLink.
    expect((await emulator.requests('vault')).filter((r) => r.method === 'GET').length).toBeGreaterThan(1);
  });

  it('remove soft-deletes with one DELETE, without waiting on the poller; the secret stays recoverable', async () => {
    const name = fresh('removed');
    await admin.setSecret(name, 'x');
    await emulator.clearRequests();
    await store.remove(name);
    const sent = (await emulator.requests('vault')).filter((r) => r.status !== 401);
    expect(sent.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/secrets/${name}`]);
    await expect(store.readDeleted(name)).resolves.toMatchObject({ kind: 'deleted' });
    await store.recover(name);
    await expect(store.read(name)).resolves.toMatchObject({ kind: 'present' });
  });

  it('reads an absent secret: one GET for the live secret, one for the deleted one, each on its own', async () => {
    const name = fresh('absent');
    await store.read('warm-up'); // the sign-in's challenge round trip, before the count
    await emulator.clearRequests();
    await expect(store.read(name)).resolves.toEqual({ kind: 'not-live' });
    expect((await emulator.requests()).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404']);
    await expect(store.readDeleted(name)).resolves.toEqual({ kind: 'absent' });
    expect((await emulator.requests()).map((r) => `${r.method} ${r.path.split('/')[1]} ${r.status}`)).toEqual([
      'GET secrets 404',
      'GET deletedsecrets 404',
    ]);
  });

  it('writes a version with properties and reads it back', async () => {
    const name = fresh('present');
    const expiresOn = new Date('2027-01-01T00:00:00Z');
    const notBefore = new Date('2026-01-01T00:00:00Z');
    const { version } = await store.write(name, 'line1\nline2 %;]', {
      contentType: 'text/plain',
      tags: { team: 'ml', 'managed-by': 'aml-vault-push' },
      expiresOn,
      notBefore,
    });
    expect(version).toMatch(/^[0-9a-f]{32}$/);
    const state = await store.read(name);
    expect(state).toMatchObject({
      kind: 'present',
      secret: {
        value: 'line1\nline2 %;]',
        version,
        enabled: true,
        contentType: 'text/plain',
        tags: { team: 'ml', 'managed-by': 'aml-vault-push' },
        expiresOn,
        notBefore,
      },
    });
    expect(state.kind === 'present' && state.secret.createdOn instanceof Date).toBe(true);
  });

  it('reads a soft-deleted secret with its tags', async () => {
    const name = fresh('deleted');
    await store.write(name, 'v', { tags: { owner: 'x' } });
    await softDelete(name);
    await expect(store.read(name)).resolves.toEqual({ kind: 'not-live' });
    const state = await store.readDeleted(name);
    expect(state).toMatchObject({ kind: 'deleted', tags: { owner: 'x' } });
  });

  it('reads a disabled secret as disabled', async () => {
    const name = fresh('disabled');
    const { version } = await store.write(name, 'v', { tags: {} });
    await admin.updateSecretProperties(name, version, { enabled: false });
    await expect(store.read(name)).resolves.toEqual({ kind: 'disabled' });
  });

  it('recovers a soft-deleted secret and waits until it is readable', async () => {
    const name = fresh('recover');
    await store.write(name, 'kept', { tags: {} });
    await softDelete(name);
    await store.recover(name);
    await expect(store.read(name)).resolves.toMatchObject({ kind: 'present', secret: { value: 'kept' } });
  });

  it('purges a soft-deleted secret and waits until the name is free', async () => {
    const name = fresh('purge');
    await store.write(name, 'old', { tags: {} });
    await softDelete(name);
    await store.purge(name);
    await expect(store.readDeleted(name)).resolves.toEqual({ kind: 'absent' });
    await expect(store.write(name, 'new', { tags: {} })).resolves.toHaveProperty('version');
  });

  it('a write over a soft-deleted name fails with 409 ObjectIsDeletedButRecoverable', async () => {
    const name = fresh('conflict');
    await store.write(name, 'v', { tags: {} });
    await softDelete(name);
    const error = await store.write(name, 'v2', { tags: {} }).catch((e: unknown) => e);
    expect(describeError(error, 'write', onGitHub)).toMatch(/409 ObjectIsDeletedButRecoverable/);
  });

  it('a 403 ForbiddenByRbac names the role to grant, with the request id, and never the value', async () => {
    const name = fresh('denied');
    await emulator.configure({ secretRoles: { [name]: 'reader' } });
    const error = await store.write(name, 'VALUE-MUST-NOT-LEAK', { tags: {} }).catch((e: unknown) => e);
    const text = describeError(error, 'write', onGitHub);
    expect(text).toMatch(/403 ForbiddenByRbac.*Key Vault Secrets Officer/);
    expect(text).toMatch(/request id [0-9a-f-]+/);
    expect(text).not.toContain('VALUE-MUST-NOT-LEAK');
    // The reader role can read metadata, not values: the read fails the same way.
    expect(describeError(await store.read(name).catch((e: unknown) => e), 'read', onGitHub)).toMatch(/ForbiddenByRbac/);
  });

  it('a firewall denial says so', async () => {
    await emulator.configure({ firewall: 'deny' });
    const error = await store.read(fresh('firewalled')).catch((e: unknown) => e);
    expect(describeError(error, 'read', onGitHub)).toMatch(/ForbiddenByFirewall.*firewall/);
  });

  it('connection refused names the URL to check', async () => {
    const closed = createKeyVaultStore('https://127.0.0.1:1', new ManagedIdentityCredential());
    const error = await closed.read('x').catch((e: unknown) => e);
    expect(describeError(error, 'read', onGitHub)).toMatch(/ECONNREFUSED/);
  });
});

describe('the store and the scheduler against a throttling emulator', () => {
  let emulator: Emulator;
  let store: SecretStore;
  beforeAll(async () => {
    emulator = await startEmulator(['--quiet', '--throttle', 'sets=2,other=1000,window=1']);
    useEmulatorEnv(emulator);
    store = createKeyVaultStore(emulator.vaultUrl, new ManagedIdentityCredential());
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('429s are retried by the scheduler alone (the SDK does not retry), and every write lands', async () => {
    await emulator.configure({ retryAfter: null });
    // Spend the window on a warm-up read (token + challenge) so the count below is only writes.
    await store.read('warm-up');
    await emulator.clearRequests();
    const retries: RetryEvent[] = [];
    const scheduler = createScheduler({
      maxConcurrency: 4,
      retry: { baseDelayMs: 300, maxDelayMs: 1_200, maxRetries: 8 },
      // No rate budget here, to provoke the 429s.
      budgets: { set: { calls: 1000, windowMs: 1000 } },
      onRetry: (e) => retries.push(e),
    });
    const names = Array.from({ length: 6 }, (_, i) => `throttled-${i}`);
    const versions = await Promise.all(
      names.map((name) => scheduler.run('set', name, () => store.write(name, 'v', { tags: {} }))),
    );
    expect(versions.every((v) => /^[0-9a-f]{32}$/.test(v.version))).toBe(true);
    const puts = (await emulator.requests()).filter((r) => r.method === 'PUT');
    const throttledPuts = puts.filter((r) => r.status === 429).length;
    expect(puts.filter((r) => r.status === 200)).toHaveLength(6);
    expect(throttledPuts).toBeGreaterThan(0);
    // One of our retries per 429: no hidden SDK retries multiplying them.
    expect(retries.filter((r) => r.cause === 'throttled')).toHaveLength(throttledPuts);
    expect(scheduler.concurrencyLimit).toBeLessThan(4);
  });

  it('with Retry-After on the 429s, the SDK still leaves the retry to the scheduler', async () => {
    await emulator.configure({ retryAfter: 1 });
    await emulator.clearRequests();
    const retries: RetryEvent[] = [];
    const scheduler = createScheduler({
      maxConcurrency: 4,
      budgets: { set: { calls: 1000, windowMs: 1000 } },
      onRetry: (e) => retries.push(e),
    });
    await Promise.all(
      ['ra-0', 'ra-1', 'ra-2'].map((name) => scheduler.run('set', name, () => store.write(name, 'v', { tags: {} }))),
    );
    const throttledPuts = (await emulator.requests()).filter((r) => r.method === 'PUT' && r.status === 429).length;
    expect(throttledPuts).toBeGreaterThan(0);
    expect(retries).toHaveLength(throttledPuts);
    expect(retries.every((r) => r.delayMs === 1000)).toBe(true);
    await emulator.configure({ retryAfter: null });
  });

  it.each([[503], ['reset']])('transient faults (%s) are retried until every write lands', async (faultStatus) => {
    const names = Array.from({ length: 8 }, (_, i) => `fault-${faultStatus}-${i}`);
    await emulator.configure({ throttle: null, faultRate: 0.4, faultStatus, seed: 7 });
    try {
      const retries: RetryEvent[] = [];
      const scheduler = createScheduler({
        maxConcurrency: 4,
        retry: { baseDelayMs: 50, maxDelayMs: 200, maxRetries: 10 },
        onRetry: (e) => retries.push(e),
      });
      await Promise.all(names.map((name) => scheduler.run('set', name, () => store.write(name, 'v', { tags: {} }))));
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((r) => r.cause === (faultStatus === 503 ? 'unavailable' : 'network'))).toBe(true);
    } finally {
      await emulator.configure({ throttle: 'sets=2,other=1000,window=1', faultRate: 0 });
    }
    for (const name of names) await expect(store.read(name)).resolves.toMatchObject({ kind: 'present' });
  });

  it('a rate budget under the vault limit avoids 429s altogether', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // let the emulator's window drain
    await emulator.clearRequests();
    const scheduler = createScheduler({ maxConcurrency: 4, budgets: { set: { calls: 2, windowMs: 1200 } } });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => `budget-${i}`).map((name) =>
        scheduler.run('set', name, () => store.write(name, 'v', { tags: {} })),
      ),
    );
    const puts = (await emulator.requests()).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});

// The engine, the real Key Vault store and the real SDK against the emulator with the real limits
// (`--throttle real`) and 30 % of the vault's calls failing, one kind of failure at a time. Every
// secret must land with the right value; each failed request is retried on its own; a rerun writes
// nothing. A vault that never answers must end the run in bounded time, naming what did not land.
import { ManagedIdentityCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { pushSecrets, type EngineDeps } from '../../../src/core/engine/engine.js';
import { createKeyVaultStore } from '../../../src/core/engine/keyvault-store.js';
import { labeller } from '../../../src/core/inputs/inputs.js';
import type { Logger } from '../../../src/core/common/ports.js';
import type { PushRequest, SecretSpec } from '../../../src/core/common/types.js';
import { startEmulator, useEmulatorEnv, type Emulator } from '../../helpers/emulator.js';
import { vaultClient, versionCount } from '../../helpers/vault-client.js';

const quiet: Logger = { debug: () => {}, info: () => {}, warning: () => {} };
const owner = { id: 'github.com/contoso/faults' };

describe('the engine against a faulty vault with the real limits', () => {
  let emulator: Emulator;
  let admin: SecretClient;
  let deps: EngineDeps;

  beforeAll(async () => {
    emulator = await startEmulator(['--quiet', '--throttle', 'real', '--latency-ms', '5']);
    useEmulatorEnv(emulator);
    admin = vaultClient(emulator);
    deps = {
      store: createKeyVaultStore(emulator.vaultUrl, new ManagedIdentityCredential(), { pollIntervalMs: 50 }),
      logger: quiet,
      owner,
      label: labeller('github'),
      // Short backoffs keep the test quick; the number of retries is the default.
      scheduler: { retry: { baseDelayMs: 10, maxDelayMs: 80 } },
    };
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  const request = (secrets: SecretSpec[], patch: Partial<PushRequest> = {}): PushRequest => ({
    vaultUrl: emulator.vaultUrl,
    secrets,
    tags: {},
    onDeleted: 'recover',
    adoptUnowned: false,
    dryRun: false,
    maxConcurrency: 32,
    // Long enough for any answer of the emulator, short enough that a stalled call is retried soon.
    callTimeoutMs: 1_000,
    ...patch,
  });

  it.each([[429], [500], [503], ['reset'], ['stall']])(
    'at 30 %% %s, every secret lands with its value, and a rerun writes nothing',
    async (faultStatus) => {
      const secrets = Array.from({ length: 40 }, (_, i) => ({
        name: `fault-${faultStatus}-${i}`,
        value: `value ${faultStatus} ${i}`,
        origin: `secrets line ${i + 1}`,
      }));
      await emulator.configure({ faultRate: 0.3, faultStatus, seed: 11 });
      let result;
      try {
        await emulator.clearRequests();
        result = await pushSecrets(request(secrets), deps);
        const faulted = (await emulator.requests('vault')).filter(
          (r) => r.status !== 200 && r.status !== 401 && r.status !== 404,
        );
        expect(faulted.length).toBeGreaterThan(10); // the faults did happen
      } finally {
        await emulator.configure({ faultRate: 0 });
      }
      expect(result.outcomes.filter((o) => o.status !== 'done')).toEqual([]);
      for (const s of secrets) expect((await admin.getSecret(s.name)).value).toBe(s.value);

      await emulator.clearRequests();
      const rerun = await pushSecrets(request(secrets), deps);
      expect(rerun.outcomes.map((o) => o.action)).toEqual(secrets.map(() => 'unchanged'));
      const writes = (await emulator.requests('vault')).filter((r) => r.method === 'PUT');
      expect(writes).toEqual([]);
    },
  );

  it('a fault on the deleted-secret lookup repeats that lookup, not the read before it (dry run)', async () => {
    const secrets = Array.from({ length: 10 }, (_, i) => ({ name: `lookup-${i}`, value: 'v', origin: `line ${i}` }));
    await emulator.configure({ faultRate: 0.3, faultStatus: 503, seed: 5 });
    let result;
    try {
      await emulator.clearRequests();
      result = await pushSecrets(request(secrets, { dryRun: true }), deps);
    } finally {
      await emulator.configure({ faultRate: 0 });
    }
    expect(result.outcomes.map((o) => o.status)).toEqual(secrets.map(() => 'planned'));
    const log = await emulator.requests('vault');
    expect(log.some((r) => r.path.startsWith('/deletedsecrets/') && r.status === 503)).toBe(true);
    for (const s of secrets) {
      // Exactly one live read answered (404) and one deleted lookup answered (404) per name; the
      // 503s in between are the retries of the one call that got them.
      const answered = log.filter((r) => r.path.replace(/\/$/, '').endsWith(`/${s.name}`) && r.status === 404);
      expect(answered.map((r) => r.path.split('/')[1])).toEqual(['secrets', 'deletedsecrets']);
    }
  });

  it('a vault that stops answering ends the run after five call timeouts in a row, naming every secret', async () => {
    const secrets = Array.from({ length: 5 }, (_, i) => ({ name: `hung-${i}`, value: 'v', origin: `line ${i}` }));
    await deps.store.read('warm-up'); // signed in, so the stall below hits the vault calls themselves
    await emulator.configure({ faultRate: 1, faultStatus: 'stall' });
    let result;
    try {
      // The deadline is far: what ends the run is the silence.
      result = await pushSecrets(request(secrets, { callTimeoutMs: 200, runDeadlineMs: 600_000 }), deps);
    } finally {
      await emulator.configure({ faultRate: 0 });
    }
    expect(result.outcomes.map((o) => o.status)).toEqual(secrets.map(() => 'failed'));
    for (const o of result.outcomes) expect(o.error).toMatch(/Key Vault has not answered any request for \d/);
    for (const s of secrets) expect(await versionCount(admin, s.name)).toBe(0);
  });

  it('a slow vault that still answers is stopped by the run deadline; what landed is kept, the rest named', async () => {
    const secrets = Array.from({ length: 12 }, (_, i) => ({ name: `slow-${i}`, value: `v${i}`, origin: `line ${i}` }));
    await emulator.configure({ latencyMs: 150 });
    let result;
    try {
      result = await pushSecrets(request(secrets, { maxConcurrency: 1, runDeadlineMs: 2_500 }), deps);
    } finally {
      await emulator.configure({ latencyMs: 5 });
    }
    const done = result.outcomes.filter((o) => o.status === 'done');
    const failed = result.outcomes.filter((o) => o.status === 'failed');
    expect(done.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) expect(o.error).toMatch(/the run's deadline \(2\.5 s\) passed/);
    for (const o of done)
      expect((await admin.getSecret(o.name)).value).toBe(secrets.find((s) => s.name === o.name)!.value);
  });
});

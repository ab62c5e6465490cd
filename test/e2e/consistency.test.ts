// The vault is eventually consistent: a delete, a recover and a purge finish seconds after the
// service answers (the SDKs' own recordings show 404s first). The emulator plays that with
// --consistency-delay-ms, so the product's "recover, wait until readable, then write" and "purge,
// wait until gone, then create" paths really wait here, and a run that meets a delete still in
// progress (409) must end right: the secret lands, or the step fails naming it and a later run lands it.
// Never a wrong value, never a success without the value in the vault.
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES, type Harness } from '../helpers/harness.js';
import { vaultClient, versionCount } from '../helpers/vault-client.js';

const DELAY_MS = 1500;

/** Deletes and waits (the SDK poller waits until the deleted secret is listed). */
async function softDelete(vault: SecretClient, name: string): Promise<void> {
  await (await vault.beginDeleteSecret(name, { intervalInMs: 100 })).pollUntilDone();
}

describe.each(HARNESSES.filter((h) => h.label === 'github/node24' || h.label === 'azdo/node20'))(
  'eventual consistency through $label',
  ({ make }) => {
    let emu: Emulator;
    let h: Harness;
    let vault: SecretClient;
    beforeAll(async () => {
      emu = await startEmulator(['--consistency-delay-ms', String(DELAY_MS), '--quiet']);
      h = make(emu.env);
      vault = vaultClient(emu);
    });
    afterAll(async () => emu?.stop());
    const inputs = (name: string, extra: Record<string, string> = {}) => ({
      'vault-url': emu.vaultUrl,
      secrets: `${name}=V`,
      ...extra,
    });

    it('recover waits until the secret is readable (404s first), then writes the new value', async () => {
      const name = `rec-${h.label.replace(/\W/g, '')}`;
      expect((await h.push({ inputs: inputs(name), values: { V: 'v1' } })).ok).toBe(true);
      await softDelete(vault, name);
      await emu.clearRequests();
      const run = await h.push({ inputs: inputs(name), values: { V: 'v2' } });
      expect(run.failure).toBe('');
      expect(JSON.parse(run.outputs.recovered!)).toEqual([name]);
      const log = (await emu.requests('vault')).map((r) => `${r.method} ${r.path.replace(/\/$/, '')} ${r.status}`);
      const recoverAt = log.indexOf(`POST /deletedsecrets/${name}/recover 200`);
      expect(recoverAt).toBeGreaterThanOrEqual(0);
      // The emulator really made it wait: the secret answered 404 after the recover, before the write.
      const afterRecover = log.slice(recoverAt + 1);
      const firstWrite = afterRecover.findIndex((l) => l.startsWith(`PUT /secrets/${name} `));
      expect(afterRecover.slice(0, firstWrite).filter((l) => l === `GET /secrets/${name} 404`).length).toBeGreaterThan(
        0,
      );
      expect(afterRecover.filter((l) => l.startsWith('PUT ') && !l.endsWith(' 200'))).toEqual([]);
      expect((await vault.getSecret(name)).value).toBe('v2');
    });

    it('purge waits until the deleted secret is gone, then creates it anew with one version', async () => {
      const name = `purge-${h.label.replace(/\W/g, '')}`;
      expect((await h.push({ inputs: inputs(name), values: { V: 'v1' } })).ok).toBe(true);
      await softDelete(vault, name);
      await emu.clearRequests();
      const run = await h.push({ inputs: inputs(name, { 'on-deleted': 'purge' }), values: { V: 'v3' } });
      expect(run.failure).toBe('');
      expect(JSON.parse(run.outputs.created!)).toEqual([name]);
      const log = (await emu.requests('vault')).map((r) => `${r.method} ${r.path} ${r.status}`);
      expect(log).toContain(`DELETE /deletedsecrets/${name} 204`);
      // Still listed after the purge, until it finished: the product waited for it.
      const purgeAt = log.indexOf(`DELETE /deletedsecrets/${name} 204`);
      expect(log.slice(purgeAt + 1)).toContain(`GET /deletedsecrets/${name} 200`);
      // The first write finds the soft-deleted name by its 409 (that is how a real run learns of it); after the
      // purge, no write may hit the name before the purge has finished.
      expect(log.slice(purgeAt + 1).filter((l) => l.startsWith(`PUT /secrets/${name} 409`))).toEqual([]);
      expect((await vault.getSecret(name)).value).toBe('v3');
      expect(await versionCount(vault, name)).toBe(1);
    });

    it('a delete still in progress (409 ObjectIsBeingDeleted): the step lands the secret or fails naming it; a later run lands it', async () => {
      const name = `busy-${h.label.replace(/\W/g, '')}`;
      expect((await h.push({ inputs: inputs(name), values: { V: 'v1' } })).ok).toBe(true);
      // A raw delete, without waiting: the run starts while the service is still deleting.
      await vault.beginDeleteSecret(name);
      await emu.clearRequests();
      const run = await h.push({ inputs: inputs(name), values: { V: 'v2' } });
      const landed = await vault.getSecret(name).then(
        (s) => s.value,
        () => undefined,
      );
      if (run.ok) {
        expect(landed).toBe('v2');
      } else {
        expect(JSON.parse(run.outputs.failed!)).toEqual([name]);
        expect(run.failure).toContain(name);
        expect(landed).not.toBe('v2');
        expect(landed === undefined || landed === 'v1').toBe(true);
        // Once the delete has finished, a rerun recovers it and writes the value.
        await softDelete(vault, name); // the poller returns when the deleted secret is listed
        const rerun = await h.push({ inputs: inputs(name), values: { V: 'v2' } });
        expect(rerun.failure).toBe('');
        expect((await vault.getSecret(name)).value).toBe('v2');
      }
      // Whichever way, the service did answer 409 to something: the path was exercised.
      const statuses = (await emu.requests('vault')).map((r) => r.status);
      expect(statuses).toContain(409);
    });
  },
);

// The real bundles, run as the GitHub runner and the Azure DevOps agent run them, on Node 20 and 24,
// against the emulator over HTTPS. What the vault holds is checked with an independent SDK client,
// and what was sent with the emulator's request log.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { nodeMajor } from '../helpers/bundles.js';
import { HARNESSES, type Harness } from '../helpers/harness.js';
import { vaultClient, versionCount } from '../helpers/vault-client.js';
import type { SecretClient } from '@azure/keyvault-secrets';

const WRITES = new Set(['PUT', 'PATCH', 'POST', 'DELETE']);

describe.each(HARNESSES)('push through $label', ({ make }) => {
  let emu: Emulator;
  let h: Harness;
  let vault: SecretClient;

  beforeAll(async () => {
    emu = await startEmulator();
    h = make(emu.env);
    vault = vaultClient(emu);
  });
  afterAll(async () => emu?.stop());
  beforeEach(async () => emu.clearRequests());

  const base = () => ({ 'vault-url': emu.vaultUrl });

  it('runs on the Node major it claims', () => {
    expect(nodeMajor(h.node)).toBe(h.node.label === 'node20' ? 20 : 24);
  });

  it('creates, then a rerun writes nothing, then only the changed secret gets a new version', async () => {
    const values = { DB_PASSWORD: 'pa55-word', API_KEY: 'k-123' };
    const inputs = {
      ...base(),
      secrets: 'DB_PASSWORD\nservice-api-key=API_KEY',
      'secrets-json': JSON.stringify({ STORAGE_KEY: 'st0rage' }),
    };

    const first = await h.push({ inputs, values });
    expect(first.failure).toBe('');
    expect(first.ok).toBe(true);
    expect(JSON.parse(first.outputs.created!).sort()).toEqual(['DB-PASSWORD', 'STORAGE-KEY', 'service-api-key']);
    expect(first.outputs['vault-url']).toBe(emu.vaultUrl);
    const versions = JSON.parse(first.outputs.versions!) as Record<string, string>;
    const stored = await vault.getSecret('DB-PASSWORD');
    expect(stored.value).toBe('pa55-word');
    expect(versions['DB-PASSWORD']).toBe(stored.properties.version);
    expect(stored.properties.tags).toMatchObject({ 'managed-by': 'aml-vault-push' });
    expect((await vault.getSecret('service-api-key')).value).toBe('k-123');
    expect(first.summary).toContain('DB-PASSWORD');

    await emu.clearRequests();
    const second = await h.push({ inputs, values });
    expect(second.ok).toBe(true);
    expect(JSON.parse(second.outputs.unchanged!).sort()).toEqual(['DB-PASSWORD', 'STORAGE-KEY', 'service-api-key']);
    expect(JSON.parse(second.outputs.created!)).toEqual([]);
    expect((await emu.requests()).filter((r: { method: string }) => WRITES.has(r.method))).toEqual([]);
    expect(await versionCount(vault, 'DB-PASSWORD')).toBe(1);

    const third = await h.push({ inputs, values: { ...values, DB_PASSWORD: 'rotated' } });
    expect(third.ok).toBe(true);
    expect(JSON.parse(third.outputs.updated!)).toEqual(['DB-PASSWORD']);
    expect(JSON.parse(third.outputs.unchanged!).sort()).toEqual(['STORAGE-KEY', 'service-api-key']);
    expect((await vault.getSecret('DB-PASSWORD')).value).toBe('rotated');
    expect(await versionCount(vault, 'DB-PASSWORD')).toBe(2);
    expect(await versionCount(vault, 'STORAGE-KEY')).toBe(1);
  });

  it('recovers a soft-deleted secret, then sets its value', async () => {
    const first = await h.push({ inputs: { ...base(), secrets: 'keep-me=KEEP' }, values: { KEEP: 'v1' } });
    expect(first.ok).toBe(true);
    await (await vault.beginDeleteSecret('keep-me')).pollUntilDone();
    const again = await h.push({ inputs: { ...base(), secrets: 'keep-me=KEEP' }, values: { KEEP: 'v2' } });
    expect(again.failure).toBe('');
    expect(JSON.parse(again.outputs.recovered!)).toEqual(['keep-me']);
    expect((await vault.getSecret('keep-me')).value).toBe('v2');
  });

  it('on-deleted fail leaves a soft-deleted secret alone; purge removes it and creates it anew', async () => {
    const inputs = { ...base(), secrets: 'gone=GONE' };
    expect((await h.push({ inputs, values: { GONE: 'v1' } })).ok).toBe(true);
    await (await vault.beginDeleteSecret('gone')).pollUntilDone();

    const refused = await h.push({ inputs: { ...inputs, 'on-deleted': 'fail' }, values: { GONE: 'v2' } });
    expect(refused.ok).toBe(false);
    expect(JSON.parse(refused.outputs.failed!)).toEqual(['gone']);
    expect(refused.failure).toMatch(/soft-deleted/);
    expect((await vault.getDeletedSecret('gone')).name).toBe('gone');

    const purged = await h.push({ inputs: { ...inputs, 'on-deleted': 'purge' }, values: { GONE: 'v3' } });
    expect(purged.failure).toBe('');
    expect(JSON.parse(purged.outputs.created!)).toEqual(['gone']);
    expect((await vault.getSecret('gone')).value).toBe('v3');
    expect(await versionCount(vault, 'gone')).toBe(1); // the old versions went with the purge
  });

  it('refuses to overwrite a secret it does not own, and still writes the others', async () => {
    await vault.setSecret('workspace-owned', 'theirs');
    const run = await h.push({
      inputs: { ...base(), secrets: 'workspace-owned=MINE\nmine-too=MINE' },
      values: { MINE: 'ours' },
    });
    expect(run.ok).toBe(false);
    expect(JSON.parse(run.outputs.failed!)).toEqual(['workspace-owned']);
    expect(JSON.parse(run.outputs.created!)).toEqual(['mine-too']);
    expect(run.failure).toContain('workspace-owned');
    expect(run.failure).toMatch(/adopt-unowned|adoptUnowned/);
    expect((await vault.getSecret('workspace-owned')).value).toBe('theirs');

    const adopted = await h.push({
      inputs: { ...base(), secrets: 'workspace-owned=MINE', 'adopt-unowned': 'true' },
      values: { MINE: 'ours' },
    });
    expect(adopted.ok).toBe(true);
    expect(JSON.parse(adopted.outputs.updated!)).toEqual(['workspace-owned']);
    expect((await vault.getSecret('workspace-owned')).value).toBe('ours');
  });

  it('dry run prints the plan and writes nothing', async () => {
    await vault.setSecret('dry-unowned', 'x');
    await emu.clearRequests();
    const run = await h.push({
      inputs: { ...base(), secrets: 'dry-new=V\ndry-unowned=V', 'dry-run': 'true' },
      values: { V: 'value' },
    });
    expect((await emu.requests()).filter((r: { method: string }) => WRITES.has(r.method))).toEqual([]);
    expect(JSON.parse(run.outputs.created!)).toEqual(['dry-new']);
    expect(JSON.parse(run.outputs.failed!)).toEqual(['dry-unowned']);
    expect(run.stdout).toMatch(/dry-new.*create/);
    expect(run.ok).toBe(false); // a blocked secret fails the dry run too: the real run would fail
    await expect(vault.getSecret('dry-new')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('a 403 on one secret names the role and does not stop the others', async () => {
    await emu.configure({ secretRoles: { 'locked-down': 'reader' } });
    const run = await h.push({ inputs: { ...base(), secrets: 'locked-down=V\nopen-one=V' }, values: { V: 'value' } });
    expect(run.ok).toBe(false);
    expect(JSON.parse(run.outputs.failed!)).toEqual(['locked-down']);
    expect(JSON.parse(run.outputs.created!)).toEqual(['open-one']);
    expect(run.failure).toContain('Key Vault Secrets Officer');
    await emu.configure({ secretRoles: {} });
    const rerun = await h.push({ inputs: { ...base(), secrets: 'locked-down=V\nopen-one=V' }, values: { V: 'value' } });
    expect(rerun.ok).toBe(true);
    expect(JSON.parse(rerun.outputs.created!)).toEqual(['locked-down']);
    expect(JSON.parse(rerun.outputs.unchanged!)).toEqual(['open-one']);
  });

  it('tells a firewall denial apart from a missing role', async () => {
    await emu.configure({ firewall: 'deny' });
    try {
      const run = await h.push({ inputs: { ...base(), secrets: 'behind-firewall=V' }, values: { V: 'value' } });
      expect(run.ok).toBe(false);
      expect(run.failure).toMatch(/ForbiddenByFirewall/);
      expect(run.failure).toMatch(/network|firewall/i);
      expect(run.failure).not.toMatch(/Secrets Officer/);
    } finally {
      await emu.configure({ firewall: 'allow' });
    }
  });

  it('reports every bad input at once, by input and line, and sends no request', async () => {
    const big = 'x'.repeat(26_000);
    const tags = Array.from({ length: 14 }, (_, i) => `t${i}=v`).join('\n');
    const run = await h.push({
      inputs: {
        ...base(),
        'vault-name': 'also-a-vault',
        secrets: ['bad_name!=A', 'DUP=A', 'dup=A', 'BIG', 'MISSING_VAR', 'EMPTY_ONE'].join('\n'),
        tags,
      },
      values: { A: 'a', BIG: big, EMPTY_ONE: '' },
    });
    expect(run.ok).toBe(false);
    const f = run.failure;
    expect(f).toMatch(/line 1/);
    expect(f).toMatch(/secrets line 1\b/);
    expect(f).toMatch(/DUP|dup/);
    expect(f).toMatch(/BIG|26000|26,000/);
    // An unset variable is named by its line only: the text may be a value.
    expect(f).toMatch(/secrets line 5: no (environment|pipeline) variable of that name is set/);
    expect(f).not.toContain('MISSING_VAR');
    expect(f).toContain('EMPTY_ONE');
    expect(f).toMatch(/tags/);
    expect(f).toMatch(/vault-url|vaultUrl/);
    expect(f).not.toContain(big.slice(0, 100));
    expect(await emu.requests()).toEqual([]);
  });

  it('reports malformed secrets-json without echoing it, and sends no request', async () => {
    const run = await h.push({ inputs: { ...base(), 'secrets-json': '{"A": "s3cr3t-json-value", "B": }' } });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/secrets-json|secretsJson/);
    expect(run.stdout + run.stderr).not.toContain('s3cr3t-json-value');
    expect(await emu.requests()).toEqual([]);
  });
});

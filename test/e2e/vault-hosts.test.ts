// Tokens go only where they belong: a vault host outside the cloud's vault suffix (or a suffix the user allows,
// or loopback) is refused before any request, on every platform; a workspace whose Resource Manager record
// points at a foreign vaultUri is refused before the vault is called.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES } from '../helpers/bundles.js';
import { azdoHarness, gitHubHarness } from '../helpers/harness.js';

const root = join(__dirname, '../..');
const SUB = '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';
const node20 = NODE_RUNTIMES.find((n) => n.label === 'node20')!;
const node24 = NODE_RUNTIMES.find((n) => n.label === 'node24')!;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', `${SUB}/hosts-rg/hosts-ws`]);
});
afterAll(async () => emu?.stop());

type Run = (inputs: Record<string, string>) => Promise<{ ok: boolean; message: string }>;

const cli: Run = (inputs) => {
  const args = Object.entries(inputs).flatMap(([k, v]) => [`--${k}`, v]);
  const r = spawnSync(node20.path, [join(root, 'dist/cli/index.mjs'), ...args, '--owner', 'hosts/test'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, V: 'value' },
    timeout: 60_000,
  });
  return Promise.resolve({ ok: r.status === 0, message: r.stderr });
};

const RUNS: { platform: string; label: string; run: () => Run }[] = [
  {
    platform: 'github',
    label: 'vault-url',
    run: () => async (inputs) => {
      const r = await gitHubHarness(node24, emu.env).push({ inputs, values: { V: 'value' } });
      return { ok: r.ok, message: r.failure };
    },
  },
  {
    platform: 'azdo',
    label: 'vaultUrl',
    run: () => async (inputs) => {
      const r = await azdoHarness(node20, emu.env).push({ inputs, values: { V: 'value' } });
      return { ok: r.ok, message: r.failure };
    },
  },
  { platform: 'cli', label: '--vault-url', run: () => cli },
];

const FOREIGN = [
  'https://evil.example',
  'https://vault.azure.net.evil.example',
  'https://my-vault.vault.azure.net.evil.example:8443',
  'https://my-vault.vault.azure.net@evil.example',
  'https://10.0.0.4',
  'https://169.254.169.254',
  'https://[2001:db8::1]',
  'https://my-vault.vault.usgovcloudapi.net',
];

describe.each(RUNS)('$platform', ({ label, run }) => {
  it.each(FOREIGN)('refuses %s with zero requests to any service', async (url) => {
    await emu.clearRequests();
    const r = await run()({ 'vault-url': url, secrets: 'V' });
    expect(r.ok).toBe(false);
    expect(r.message).toContain(label);
    expect(r.message).toMatch(/not a Key Vault host|IP address|user name or password/);
    expect(await emu.requests()).toEqual([]);
  });

  it('takes a host under a suffix the user allows (and then fails only to reach it)', async () => {
    await emu.clearRequests();
    const r = await run()({
      'vault-url': 'https://kv1.vault.contoso.invalid',
      'allowed-vault-suffixes': 'vault.contoso.invalid',
      secrets: 'V',
    });
    expect(r.ok).toBe(false);
    expect(r.message).not.toMatch(/not a Key Vault host/);
    // It got past validation and failed reaching the host (no such name; here behind the emulator's proxy).
    expect(r.message).toMatch(/read failed|ENOTFOUND|proxy/i);
  });

  it('a workspace whose vault reports a foreign vaultUri: refused before the vault is called', async () => {
    const vaultName = emu.workspaces[`${SUB}/hosts-rg/hosts-ws`]!.keyVaultId.split('/').pop()!;
    await emu.configure({ vault: vaultName, reportedVaultUri: 'https://evil.example/' });
    try {
      await emu.clearRequests();
      const r = await run()({
        'workspace-name': 'hosts-ws',
        'resource-group': 'hosts-rg',
        'subscription-id': SUB,
        'resource-manager-endpoint': emu.armUrl,
        secrets: 'V',
      });
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/evil\.example.*not a Key Vault host/);
      const services = new Set((await emu.requests()).map((q: { service: string }) => q.service));
      expect(services.has('arm')).toBe(true);
      expect(services.has('vault')).toBe(false);
    } finally {
      await emu.configure({ vault: vaultName, reportedVaultUri: null });
    }
  });
});

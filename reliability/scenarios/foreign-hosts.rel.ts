// Tokens go only where they belong: generated foreign vault hosts (look-alikes of the cloud's suffix, other clouds'
// suffixes, IP literals, user-info tricks, random domains) given as the vault URL, and a workspace whose Resource
// Manager record names a foreign vaultUri, through each bundle and the CLI. Each must be refused: the step fails,
// names the host rule, and sends no request to any service (for the workspace: none to the vault).
import fc from 'fast-check';
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { bySize, scenario, SEED } from '../lib/figures.js';
import { targets, type Target } from '../lib/runs.js';

const S = scenario(
  'foreign-hosts',
  'Tokens go only to vault hosts',
  'Vault URLs whose host is not NAME.vault.azure.net, a loopback host or an allowed suffix — look-alikes (vault.azure.net.evil.example, NAME.vault.azure.net.evil.example, evilvault.azure.net, a.b.vault.azure.net), other clouds’ suffixes, IP literals (private, link-local, metadata, IPv6), user-info tricks and seeded random domains — through each bundle and the CLI; plus a workspace whose Resource Manager record reports a foreign vaultUri. Rejected means: the step failed with the host rule in its message and sent zero requests to any service (for the workspace, zero to the vault: the Resource Manager lookup is how the host is learned).',
  'process runs',
  35,
);

const TARGETS = ['github/node24', 'azdo/node20', 'cli/node24'];
const SUB = '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f';
const FIXED = [
  'https://evil.example',
  'https://vault.azure.net',
  'https://vault.azure.net.evil.example',
  'https://kv1.vault.azure.net.evil.example',
  'https://kv1.vault.azure.net.evil.example:443',
  'https://evilvault.azure.net',
  'https://a.b.vault.azure.net',
  'https://kv1.vault.usgovcloudapi.net',
  'https://kv1.vault.azure.cn',
  'https://kv1.vault.azure.net@evil.example',
  'https://10.0.0.4',
  'https://172.16.0.1',
  'https://192.168.1.10',
  'https://169.254.169.254',
  'https://[2001:db8::1]',
  'https://[fe80::1]',
  'https://0x7f000001.evil.example',
  'https://localhost.evil.example',
  'https://127.0.0.1.nip.io',
];
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const generated = fc.sample(
  fc.oneof(
    fc.tuple(label, label).map(([a, b]) => `https://${a}.${b}.example`),
    fc.tuple(label, label).map(([a, b]) => `https://${a}.vault.azure.net.${b}.example`),
    fc.tuple(label, label).map(([a, b]) => `https://${a}.${b}.vault.azure.net`),
    fc
      .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255))
      .filter(([a]) => a !== 127)
      .map((p) => `https://${p.join('.')}`),
  ),
  { seed: SEED, numRuns: bySize(6, 40) },
);
const HOSTS = [...new Set([...FIXED, ...generated])];

let emu: Emulator;
let all: Target[];
beforeAll(async () => {
  emu = await startEmulator(['--quiet', '--workspace', `${SUB}/hosts-rg/hosts-ws`]);
  all = targets(emu.env, TARGETS);
});
afterAll(async () => {
  S.note(`${HOSTS.length} distinct foreign vault URLs per platform (${FIXED.length} fixed, the rest seeded)`);
  S.save();
  await emu?.stop();
});

const count = (ok: boolean, what: string) => {
  S.fig.cases += 1;
  if (ok) S.fig.badInputsRejected += 1;
  else {
    S.fig.badInputsAccepted += 1;
    S.note(`accepted: ${what}`);
  }
};

test.each(TARGETS.flatMap((t) => HOSTS.map((h): [string, string] => [t, h])))('%s refuses %s', async (t, url) => {
  const target = all.find((x) => x.label === t)!;
  await emu.clearRequests();
  const run = await target.push({ inputs: { 'vault-url': url, secrets: 'V' }, values: { V: 'value' } });
  const requests = await emu.requests();
  const message = target.platform === 'cli' ? run.stderr : run.failure;
  const ok = !run.ok && requests.length === 0 && /not a Key Vault host|IP address|user name or password/.test(message);
  count(ok, `${t} ${url}`);
  expect([url, run.ok, requests.length, ok]).toEqual([url, false, 0, true]);
});

test.each(TARGETS)('%s refuses a workspace whose vault reports a foreign vaultUri', async (t) => {
  const target = all.find((x) => x.label === t)!;
  const vaultName = emu.workspaces[`${SUB}/hosts-rg/hosts-ws`]!.keyVaultId.split('/').pop()!;
  await emu.configure({ vault: vaultName, reportedVaultUri: 'https://kv-planted.vault.azure.net.evil.example/' });
  try {
    await emu.clearRequests();
    const run = await target.push({
      inputs: {
        'workspace-name': 'hosts-ws',
        'resource-group': 'hosts-rg',
        'subscription-id': SUB,
        'resource-manager-endpoint': emu.armUrl,
        secrets: 'V',
      },
      values: { V: 'value' },
    });
    const vaultCalls = (await emu.requests()).filter((q: { service: string }) => q.service === 'vault').length;
    const message = target.platform === 'cli' ? run.stderr : run.failure;
    const ok = !run.ok && vaultCalls === 0 && /not a Key Vault host/.test(message);
    count(ok, `${t} workspace with a foreign vaultUri`);
    expect([run.ok, vaultCalls, ok]).toEqual([false, 0, true]);
  } finally {
    await emu.configure({ vault: vaultName, reportedVaultUri: null });
  }
});

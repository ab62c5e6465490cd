// Every message names inputs the way the user's platform spells them: `adopt-unowned` on GitHub,
// `adoptUnowned` on Azure DevOps, `--adopt-unowned` on the CLI. Each message-producing path is run
// through the real bundle of each platform, and the message must hold the platform's label and no
// other platform's spelling of any input.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES } from '../helpers/bundles.js';
import { azdoHarness, gitHubHarness } from '../helpers/harness.js';
import { vaultClient } from '../helpers/vault-client.js';
import { ALL_INPUTS, PLATFORMS, inputLabel, type AnyInputKey, type Platform } from '../../src/core/inputs/inputs.js';

const root = join(__dirname, '../..');
const SUB = '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d';
const RG = 'labels-rg';
const node20 = NODE_RUNTIMES.find((n) => n.label === 'node20')!;
const node24 = NODE_RUNTIMES.find((n) => n.label === 'node24')!;

interface Outcome {
  ok: boolean;
  /** What the platform shows as the failure: the error annotation, the task result, or stderr. */
  message: string;
}
type Run = (inputs: Record<string, string>, values: Record<string, string>) => Promise<Outcome>;

let emu: Emulator;
let vault: SecretClient;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', `${SUB}/${RG}/labels-ws`]);
  vault = vaultClient(emu);
});
afterAll(async () => emu?.stop());
afterEach(async () => emu.configure({ purgeProtection: false, armRoles: {} }));

/** The CLI as a developer runs it: flags named like the inputs, multi-line inputs as repeated flags. */
function cliRun(inputs: Record<string, string>, values: Record<string, string>): Promise<Outcome> {
  const args = Object.entries(inputs).flatMap(([key, value]) => {
    const flag = inputLabel(key as AnyInputKey, 'cli');
    if (ALL_INPUTS[key as AnyInputKey].kind.type === 'boolean') return value === 'true' ? [flag] : [];
    return value.split('\n').flatMap((line) => [flag, line]);
  });
  const r = spawnSync(node20.path, [join(root, 'dist/cli/index.mjs'), ...args, '--owner', 'labels/test'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, ...values },
    timeout: 60_000,
  });
  return Promise.resolve({ ok: r.status === 0, message: r.stderr });
}

const RUNNERS: { platform: Platform; run: () => Run }[] = [
  {
    platform: 'github',
    run: () => async (inputs, values) => {
      const r = await gitHubHarness(node24, emu.env).push({ inputs, values });
      return { ok: r.ok, message: r.failure };
    },
  },
  {
    platform: 'azdo',
    run: () => async (inputs, values) => {
      const r = await azdoHarness(node20, emu.env).push({ inputs, values });
      return { ok: r.ok, message: r.failure };
    },
  },
  { platform: 'cli', run: () => cliRun },
];

/** Inputs whose name differs between platforms, spelled as `other` spells them, as a pattern that does not
 *  match `platform`'s own spelling (the CLI's `--adopt-unowned` contains GitHub's `adopt-unowned`). */
function foreignSpellings(platform: Platform): { other: Platform; key: AnyInputKey; pattern: RegExp }[] {
  const keys = (Object.keys(ALL_INPUTS) as AnyInputKey[]).filter((k) => k.includes('-'));
  return PLATFORMS.filter((p) => p !== platform).flatMap((other) =>
    keys.map((key) => {
      // Whole words only: Azure's own text says `resourceGroups` in resource ids.
      const label = inputLabel(key, other).replace(/[-]/g, '\\-');
      const pattern = new RegExp(`(?<![-\\w])${label}(?![-\\w])`);
      return { other, key, pattern };
    }),
  );
}

function expectSpelledFor(platform: Platform, message: string, keys: AnyInputKey[]): void {
  expect(message).not.toBe('');
  for (const key of keys) expect([key, message]).toEqual([key, expect.stringContaining(inputLabel(key, platform))]);
  for (const { other, key, pattern } of foreignSpellings(platform)) {
    if (platform === 'cli' && other === 'github') continue; // --x-y always contains x-y; checked the other way round
    expect([other, key, pattern.test(message)]).toEqual([other, key, false]);
  }
}

describe.each(RUNNERS)('messages on $platform', ({ platform, run }) => {
  const vaultInputs = () => ({ 'vault-url': emu.vaultUrl });
  const name = (what: string) => `${platform}-${what}`;

  it('an unowned secret: names adopt-unowned', async () => {
    await vault.setSecret(name('unowned'), 'theirs');
    const r = await run()({ ...vaultInputs(), secrets: `${name('unowned')}=V` }, { V: 'ours' });
    expect(r.ok).toBe(false);
    expectSpelledFor(platform, r.message, ['adopt-unowned']);
  });

  it('a soft-deleted secret with on-deleted fail: names on-deleted', async () => {
    await vault.setSecret(name('deleted'), 'old');
    await (await vault.beginDeleteSecret(name('deleted'))).pollUntilDone();
    const r = await run()(
      { ...vaultInputs(), secrets: `${name('deleted')}=V`, 'on-deleted': 'fail', 'adopt-unowned': 'true' },
      { V: 'new' },
    );
    expect(r.ok).toBe(false);
    expectSpelledFor(platform, r.message, ['on-deleted']);
  });

  it('purge refused by purge protection: names on-deleted', async () => {
    await vault.setSecret(name('protected'), 'old');
    await (await vault.beginDeleteSecret(name('protected'))).pollUntilDone();
    await emu.configure({ purgeProtection: true });
    const r = await run()(
      { ...vaultInputs(), secrets: `${name('protected')}=V`, 'on-deleted': 'purge', 'adopt-unowned': 'true' },
      { V: 'new' },
    );
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/purge protection/);
    expectSpelledFor(platform, r.message, ['on-deleted']);
  });

  it('a missing role and a missing resource group: name the inputs to check', async () => {
    const workspace = {
      'workspace-name': 'labels-ws',
      'subscription-id': SUB,
      'resource-manager-endpoint': emu.armUrl,
      secrets: 'V',
    };
    await emu.configure({ armRoles: { [emu.identities.managedIdentity.clientId]: 'none' } });
    const denied = await run()({ ...workspace, 'resource-group': RG }, { V: 'v' });
    expect(denied.ok).toBe(false);
    expect(denied.message).toMatch(/Reader role/);
    expectSpelledFor(platform, denied.message, []);

    await emu.configure({ armRoles: {} });
    const missing = await run()({ ...workspace, 'resource-group': 'no-such-rg' }, { V: 'v' });
    expect(missing.ok).toBe(false);
    expectSpelledFor(platform, missing.message, ['resource-group', 'subscription-id']);
  });

  it('bad inputs: each problem names its input', async () => {
    await emu.clearRequests();
    const r = await run()(
      {
        ...vaultInputs(),
        secrets: 'V',
        'max-concurrency': '0',
        'expires-in': '90d',
        'expires-on': '2030-01-01',
        'name-transform': 'camel',
      },
      { V: 'v' },
    );
    expect(r.ok).toBe(false);
    expectSpelledFor(platform, r.message, ['max-concurrency', 'expires-in', 'expires-on', 'name-transform']);
    expect((await emu.requests()).filter((q: { service: string }) => q.service === 'vault')).toEqual([]);
  });
});

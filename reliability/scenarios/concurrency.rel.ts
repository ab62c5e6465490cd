// Two runs pushing the same secrets at the same moment.
//
// Key Vault has no conditional write (no If-Match / If-None-Match on a set), so two runs that both
// read "absent" (or both read the old value) both write: one version per run is the best there is,
// and "one version each" cannot be promised. What can be, and is checked:
//   - same values: both runs succeed, the vault holds the value, each secret has at most two
//     versions (one per run), and a third run writes nothing;
//   - different values: the vault ends with one run's value whole — never a mix — and each run's
//     `versions` output names a version that holds exactly the value that run pushed.
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { vaultClient, versionCount } from '../../test/helpers/vault-client.js';
import { readVault } from '../lib/check.js';
import { bySize, scenario, SEED } from '../lib/figures.js';
import { plainValues, suffix } from '../lib/plain.js';
import { targets, type Target } from '../lib/runs.js';

const S = scenario(
  'concurrency',
  'Two runs at once',
  'Two runs push the same secret names at the same moment (two runs of the same workflow, on Node 24 and Node 20). Same values: both succeed, the value is in the vault, at most one version per run (Key Vault has no conditional write, so two runs that both read "absent" both write), and a third run writes nothing. Different values: the vault ends with one run’s value whole, and the version each run reports holds exactly that run’s value. A secret with a mixed or foreign value counts as wrong; one a run claimed but does not hold counts as lost.',
  'pairs of runs',
  40,
);

const N = bySize(10, 40);
const ROUNDS = bySize(1, 5);
let emu: Emulator;
let client: SecretClient;
let a: Target;
let b: Target;
beforeAll(async () => {
  emu = await startEmulator(['--quiet', '--latency-ms', '20']);
  client = vaultClient(emu);
  // Two runs of the same workflow (one owner): a second owner would rightly be refused (ownership).
  [a, b] = targets(emu.env, ['github/node24', 'github/node20']) as [Target, Target];
});
afterAll(async () => {
  S.save();
  await emu?.stop();
});

const setup = (round: number, sameValues: boolean) => {
  const tag = `c${round}${sameValues ? 's' : 'd'}${suffix()}`;
  const names = Array.from({ length: N }, (_, i) => `${tag}-${i}`);
  const va = plainValues(SEED + round, N, `${tag}a`);
  const vb = sameValues ? va : plainValues(SEED + 1000 + round, N, `${tag}b`);
  const inputs = { 'vault-url': emu.vaultUrl, secrets: names.map((name, i) => `${name}=CV${i}`).join('\n') };
  const env = (values: string[]) => Object.fromEntries(values.map((v, i) => [`CV${i}`, v]));
  return { names, va, vb, inputs, env };
};

describe.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i', (round) => {
  test('same values: both succeed, at most one version per run, a third run writes nothing', async () => {
    const { names, va, inputs, env } = setup(round, true);
    const [ra, rb] = await Promise.all([a.push({ inputs, values: env(va) }), b.push({ inputs, values: env(va) })]);
    S.fig.cases++;
    S.fig.values += 2 * N;
    const after = await readVault(client, names);
    const missing = names.filter((name, i) => after.get(name) !== va[i]);
    S.fig.lost += missing.length;
    const versions = await Promise.all(names.map((name) => versionCount(client, name)));
    const twice = versions.filter((v) => v === 2).length;
    const tooMany = versions.filter((v) => v > 2).length;
    S.fig.wrong += tooMany;
    S.note(`round ${round}, same values: ${twice} of ${N} secrets written by both runs (2 versions), the rest once`);
    await emu.clearRequests();
    const third = await a.push({ inputs, values: env(va) });
    const writes = (await emu.requests('vault')).filter((r) => r.method === 'PUT');
    expect([ra.ok, rb.ok, third.ok]).toEqual([true, true, true]);
    expect({ missing, tooMany, writes: writes.length }).toEqual({ missing: [], tooMany: 0, writes: 0 });
  });

  test("different values: one run's value whole; each run's reported version holds its own value", async () => {
    const { names, va, vb, inputs, env } = setup(round, false);
    const [ra, rb] = await Promise.all([a.push({ inputs, values: env(va) }), b.push({ inputs, values: env(vb) })]);
    S.fig.cases++;
    S.fig.values += 2 * N;
    const after = await readVault(client, names);
    const mixed = names.filter((name, i) => after.get(name) !== va[i] && after.get(name) !== vb[i]);
    S.fig.wrong += mixed.length;
    const fromA = names.filter((name, i) => after.get(name) === va[i]).length;
    // Each run's versions output: the version it names must hold exactly its value.
    const misreported: string[] = [];
    for (const [run, values, who] of [
      [ra, va, 'first'],
      [rb, vb, 'second'],
    ] as const) {
      const reported = JSON.parse(run.outputs.versions ?? '{}') as Record<string, string>;
      for (const [i, name] of names.entries()) {
        const version = reported[name];
        if (!version) {
          if (run.ok) misreported.push(`${who}:${name}:none`);
          continue;
        }
        const held = (await client.getSecret(name, { version })).value;
        if (held !== values[i]) misreported.push(`${who}:${name}`);
      }
    }
    S.fig.lost += misreported.length;
    S.note(
      `round ${round}, different values: the vault ends with the first run's value for ${fromA} of ${N}, the second's for the rest`,
    );
    expect([ra.ok, rb.ok]).toEqual([true, true]);
    expect({ mixed, misreported }).toEqual({ mixed: [], misreported: [] });
  });
});

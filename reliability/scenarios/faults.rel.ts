// Faults with nothing lost: 30 % of the vault's answers fail (429 without Retry-After, 500, 503, a
// reset connection) and, separately, the service's real throttling with its budget nearly spent.
// Every secret lands and the step succeeds, or the step fails naming exactly the secrets that did
// not land; the vault never holds a partial or wrong value; a rerun without faults finishes the job
// and adds no version to a secret that already holds its value.
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { vaultClient, versionCount } from '../../test/helpers/vault-client.js';
import { landing, readVault } from '../lib/check.js';
import { bySize, scenario, SEED } from '../lib/figures.js';
import { plainValues, suffix } from '../lib/plain.js';
import { targets, type Target } from '../lib/runs.js';

const S = scenario(
  'faults',
  'Faults with nothing lost',
  '30 % of vault answers fail — 429 without Retry-After, 500, 503, a reset connection — or the vault applies its real limits (300 sets per 10 s) with the budget nearly spent. Counted per run: a secret is lost when it is not in the vault and the step did not name it as failed (or succeeded); wrong when the vault holds neither the new value nor the old. A rerun without faults must succeed, write exactly the secrets that had not landed, and add no version to the others.',
  'process runs',
  20,
);

type Kind = 429 | 500 | 503 | 'reset' | 'throttle-real';
const KINDS: Kind[] = [429, 500, 503, 'reset', 'throttle-real'];
const N = bySize(6, 40);
const TARGETS = bySize(['github/node24'], ['github/node24', 'azdo/node20', 'cli/node24']);

let emu: Emulator;
let client: SecretClient;
let all: Target[];
let n = 0;
beforeAll(async () => {
  emu = await startEmulator(['--quiet']);
  client = vaultClient(emu);
  all = targets(emu.env, TARGETS);
});
afterAll(async () => {
  S.save();
  await emu?.stop();
});

const cases = TARGETS.flatMap((t) => KINDS.map((k): [string, Kind] => [t, k]));

test.each(cases)('%s under %s', async (label, kind) => {
  const target = all.find((t) => t.label === label)!;
  n++;
  const count = kind === 'throttle-real' ? N * 2 : N;
  const tag = `f${n}${suffix()}`;
  const names = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
  const values = plainValues(SEED + n, count, tag);
  const pushed = Object.fromEntries(names.map((name, i) => [name, values[i]!]));
  const inputs = { 'vault-url': emu.vaultUrl, secrets: names.map((name, i) => `${name}=FV${i}`).join('\n') };
  const env = Object.fromEntries(values.map((v, i) => [`FV${i}`, v]));

  if (kind === 'throttle-real') {
    await emu.configure({ throttle: 'real' });
    // Spend 300 - count/2 of the 10-second set budget, so the run meets 429s halfway through.
    const spend = 300 - Math.floor(count / 2);
    for (let i = 0; i < spend; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, spend - i) }, (_, k) => client.setSecret(`${tag}-fill-${i + k}`, 'x')),
      );
  } else {
    await emu.configure({ faultRate: 0.3, faultStatus: kind, seed: SEED + n });
  }
  await emu.clearRequests();
  const run = await target.push({ inputs, values: env });
  const log = await emu.requests('vault');
  await emu.configure({ faultRate: 0, throttle: 'none' });

  const after = await readVault(client, names);
  const l = landing(run, pushed, {}, after);
  S.fig.cases++;
  S.fig.values += count;
  S.fig.lost += l.lost.length;
  S.fig.wrong += l.wrong.length;
  const injected = log.filter((r) => [429, 500, 503, 0].includes(r.status)).length;
  S.fig.faultsInjected += injected;
  if (l.lost.length + l.wrong.length === 0) S.fig.faultsSurvived++;
  S.note(
    `${label} ${kind}: ${injected} faults met, step ${run.ok ? 'succeeded' : `failed naming ${l.notLanded.length} of ${count}`}` +
      `${l.failedButLanded.length ? `, ${l.failedButLanded.length} reported failed but landed` : ''}, ${Math.round(run.ms / 100) / 10} s`,
  );

  // Versions after the faulty run: a write retried after its answer was lost makes a second one.
  const landedNames = names.filter((name) => after.get(name) === pushed[name]);
  const versionsBefore = new Map<string, number>();
  for (const name of landedNames) versionsBefore.set(name, await versionCount(client, name));
  const doubled = [...versionsBefore.values()].filter((v) => v > 1).length;
  if (doubled) S.note(`${label} ${kind}: ${doubled} secrets got more than one version in the faulty run`);

  // The rerun: no faults, same inputs.
  const rerun = await target.push({ inputs, values: env });
  S.fig.cases++;
  const final = await readVault(client, names);
  const rl = landing(rerun, pushed, {}, final);
  S.fig.lost += rl.lost.length;
  S.fig.wrong += rl.wrong.length;
  const added: string[] = [];
  for (const name of landedNames) if ((await versionCount(client, name)) !== versionsBefore.get(name)) added.push(name);
  if (!rerun.ok) S.note(`${label} ${kind}: the rerun without faults failed`);
  if (added.length)
    S.note(`${label} ${kind}: the rerun added versions to ${added.length} secrets that held their value`);

  expect({ lost: l.lost, wrong: l.wrong }).toEqual({ lost: [], wrong: [] });
  expect(rerun.ok).toBe(true);
  expect({ lost: rl.lost, wrong: rl.wrong, added }).toEqual({ lost: [], wrong: [], added: [] });
});

// Scenario 1: a rerun with nothing changed, 100 secrets already pushed, concurrency 8 on both sides:
// ours reads and writes nothing, the naive loop writes a new version of every secret.
import { check, makeSecrets, progress, results, startEmu, stopEmu, sum } from '../lib/context.mjs';
import { RUNS_OF } from '../lib/options.mjs';
import { measured, runNaive, runOurs } from '../lib/runners.mjs';
import { fmtCount, fmtMs, fmtRatio, fmtTime, ratio, table } from '../lib/stats.mjs';

export async function scenarioRerun() {
  const RUNS = RUNS_OF.rerun;
  const N = 100;
  const C = 8;
  progress(`\n[1] rerun with nothing changed: N=${N}, concurrency ${C}`);
  const emu = await startEmu(['--vault', 'naive']);
  try {
    const oursUrl = emu.info.vaults.default;
    const naiveUrl = emu.info.vaults.naive;
    const set = makeSecrets('rerun', N);
    // The first push of each side, not measured: both vaults now hold the same N secrets.
    const first = await measured(emu, 'default', () => runOurs(emu, oursUrl, set, C));
    check(first.created === N, 'rerun', `our first push created ${first.created}/${N} ${first.error ?? ''}`);
    const firstNaive = await measured(emu, 'naive', () => runNaive(emu, naiveUrl, set, C));
    check(
      firstNaive.written === N,
      'rerun',
      `naive first push wrote ${firstNaive.written}/${N} ${firstNaive.error ?? ''}`,
    );
    progress(`  first push (not measured): ours ${fmtMs(first.ms)}, naive ${fmtMs(firstNaive.ms)}`);

    const ours = [];
    const naive = [];
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours'];
      for (const side of order) {
        if (side === 'ours') {
          const run = await measured(emu, 'default', () => runOurs(emu, oursUrl, set, C));
          check(
            run.unchanged === N && run.code === 0,
            'rerun',
            `our rerun ${r + 1}: ${run.unchanged}/${N} unchanged, exit ${run.code} ${run.error ?? ''}`,
          );
          ours.push(run);
        } else {
          const run = await measured(emu, 'naive', () => runNaive(emu, naiveUrl, set, C));
          check(run.written === N, 'rerun', `naive rerun ${r + 1}: ${run.written}/${N} written ${run.error ?? ''}`);
          naive.push(run);
        }
      }
      progress(
        `  round ${r + 1}/${RUNS} (${order.join(' then ')}): ours ${fmtMs(ours.at(-1).ms)}, naive ${fmtMs(naive.at(-1).ms)}`,
      );
    }
    const side = (runs) => ({
      wallMs: sum(runs, (x) => x.ms),
      requests: sum(runs, (x) => x.requests.total),
      get: sum(runs, (x) => x.requests.get),
      put: sum(runs, (x) => x.requests.put),
      challenges: sum(runs, (x) => x.requests.challenges),
      versionsCreated: sum(runs, (x) => x.requests.versionsCreated),
      runs,
    });
    const s = { params: { secrets: N, concurrency: C }, ours: side(ours), naive: side(naive) };
    s.ratios = {
      wallTime: ratio(s.ours.wallMs.median, s.naive.wallMs.median),
      wallTimePaired: ours.map((o, i) => ratio(o.ms, naive[i].ms)),
      requests: ratio(s.ours.requests.median, s.naive.requests.median),
      versionsCreated: ratio(s.ours.versionsCreated.median, s.naive.versionsCreated.median),
    };
    results.scenarios.rerun = s;
    const o = s.ours;
    const n = s.naive;
    const vr = s.ratios.versionsCreated;
    return [
      `1. Rerun with nothing changed: ${N} secrets already pushed, concurrency ${C} on both sides`,
      table(
        ['', 'ours (aml-vault-push)', 'naive upsert loop', 'ours ÷ naive'],
        [
          ['wall time', fmtTime(o.wallMs), fmtTime(n.wallMs), fmtRatio(s.ratios.wallTime, s.ratios.wallTimePaired)],
          ['requests, all', fmtCount(o.requests), fmtCount(n.requests), fmtRatio(s.ratios.requests)],
          ['  GET / PUT', `${fmtCount(o.get)} / ${fmtCount(o.put)}`, `${fmtCount(n.get)} / ${fmtCount(n.put)}`, ''],
          ['  of which 401 (auth challenge)', fmtCount(o.challenges), fmtCount(n.challenges), ''],
          [
            'new versions created per rerun',
            fmtCount(o.versionsCreated),
            fmtCount(n.versionsCreated),
            vr === null ? 'n/a' : `${vr.toFixed(2)}×`,
          ],
        ],
      ),
    ].join('\n');
  } finally {
    await stopEmu(emu);
  }
}

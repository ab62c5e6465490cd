// Scenario 2: concurrency under latency: 100 new secrets at 25 ms per request, our CLI at
// --max-concurrency 1, 8 and 32.
import { check, makeSecrets, progress, results, startEmu, stopEmu, sum } from '../lib/context.mjs';
import { RUNS_OF } from '../lib/options.mjs';
import { measured, runOurs } from '../lib/runners.mjs';
import { fmtCount, fmtMs, fmtRatio, fmtTime, ratio, table } from '../lib/stats.mjs';

export async function scenarioLatency() {
  const RUNS = RUNS_OF.latency;
  const N = 100;
  const LATENCY = 25;
  const levels = [1, 8, 32];
  progress(
    `\n[2] concurrency under latency: ${LATENCY} ms per request, N=${N} new secrets, our tool at ${levels.join(' / ')}`,
  );
  const emu = await startEmu(['--latency-ms', String(LATENCY)]);
  try {
    const runs = Object.fromEntries(levels.map((c) => [c, []]));
    for (let r = 0; r < RUNS; r++) {
      // Rotate the order each round so that no level always runs first or last.
      const order = levels.map((_, i) => levels[(i + r) % levels.length]);
      for (const c of order) {
        const set = makeSecrets(`lat-r${r}-c${c}`, N);
        const run = await measured(emu, 'default', () => runOurs(emu, emu.info.vaultUrl, set, c));
        check(
          run.created === N && run.code === 0,
          'latency',
          `c=${c} round ${r + 1}: ${run.created}/${N} created, exit ${run.code} ${run.error ?? ''}`,
        );
        runs[c].push(run);
      }
      progress(
        `  round ${r + 1}/${RUNS} (order ${order.join(', ')}): ${levels.map((c) => `c=${c} ${fmtMs(runs[c].at(-1).ms)}`).join(', ')}`,
      );
    }
    const s = { params: { secrets: N, latencyMs: LATENCY, levels }, levels: {} };
    for (const c of levels) {
      s.levels[c] = {
        wallMs: sum(runs[c], (x) => x.ms),
        requests: sum(runs[c], (x) => x.requests.total),
        runs: runs[c],
      };
    }
    const base = s.levels[8].wallMs.median;
    for (const c of levels) {
      s.levels[c].ratioToDefault = ratio(s.levels[c].wallMs.median, base);
      s.levels[c].pairedRatiosToDefault = runs[c].map((x, i) => ratio(x.ms, runs[8][i].ms));
    }
    const reqs1 = s.levels[1].requests.median;
    s.sequentialFloorMs = reqs1 * LATENCY;
    results.scenarios.latency = s;
    return [
      `2. Concurrency under latency: emulator --latency-ms ${LATENCY}, ${N} new secrets, our tool only`,
      table(
        ['max-concurrency', 'wall time', 'requests', '÷ 8'],
        levels.map((c) => [
          c === 32 ? '32 (default)' : String(c),
          fmtTime(s.levels[c].wallMs),
          fmtCount(s.levels[c].requests),
          c === 8 ? '1.00×' : fmtRatio(s.levels[c].ratioToDefault, s.levels[c].pairedRatiosToDefault),
        ]),
      ),
      `floor at concurrency 1: ${reqs1} sequential requests × ${LATENCY} ms = ${fmtMs(s.sequentialFloorMs)} (plus process start)`,
    ].join('\n');
  } finally {
    await stopEmu(emu);
  }
}

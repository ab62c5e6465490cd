// Scenario 0: process start (context, not a claim): the CLI bundle's --help vs the naive script with
// no secrets, the start-up floor of each process (bench/README.md, "Scenarios").
import { childEnv, progress, results } from '../lib/context.mjs';
import { CLI, NODE, RUNS_OF, root } from '../lib/options.mjs';
import { runTimed } from '../lib/proc.mjs';
import { runNaive } from '../lib/runners.mjs';
import { fmtMs, fmtRatio, fmtTime, ratio, summarize, table } from '../lib/stats.mjs';

export async function scenarioStartup() {
  const RUNS = RUNS_OF.startup;
  progress('\n[0] process start: the CLI bundle (--help) vs the naive script with no secrets');
  const ours = [];
  const naive = [];
  const empty = { secrets: [], env: {} };
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours'];
    for (const side of order) {
      if (side === 'ours')
        ours.push((await runTimed(NODE, [CLI, '--help'], { env: childEnv(null), cwd: root, timeoutMs: 30_000 })).ms);
      else naive.push((await runNaive(null, 'https://localhost:9', empty, 1)).ms);
    }
    progress(`  round ${r + 1}/${RUNS}: ours ${fmtMs(ours.at(-1))}, naive ${fmtMs(naive.at(-1))}`);
  }
  const s = { ours: summarize(ours), naive: summarize(naive) };
  s.ratio = ratio(s.ours.median, s.naive.median);
  s.pairedRatios = ours.map((o, i) => ratio(o, naive[i]));
  results.scenarios.startup = s;
  return [
    '0. Process start (context, not a claim): `node dist/cli/index.mjs --help` vs the naive script (bundled the same way) with no secrets',
    table(
      ['', 'ours (CLI bundle)', 'naive script', 'ours ÷ naive'],
      [['wall time', fmtTime(s.ours), fmtTime(s.naive), fmtRatio(s.ratio, s.pairedRatios)]],
    ),
  ].join('\n');
}

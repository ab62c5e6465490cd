// The benchmark behind every performance claim of aml-vault-push (`npm run bench`, which builds
// dist/ and build/emulator/ first). It runs the real CLI bundle against the local emulator, as a user
// would, side by side in one run with baselines that model what people do today, and reports ratios.
//
//   node bench/run.mjs [--runs N] [--only startup,rerun,latency,throttle,fleet] [--cases ID,...]
//                      [--deadline SECONDS] [--node PATH] [--cli PATH]        (--help: the defaults)
//
// Scenarios (see bench/README.md; one file each in bench/scenarios/): 0 process start (context),
// 1 rerun with nothing changed, 2 concurrency under latency, 3 throttling at the real limits, 4 the
// fleet at the vault's real speed against the floor. Each side runs --runs times, interleaved.
// Results: tables on stdout (the last line: the fleet's JSON), progress on stderr, everything in
// build/bench-results.json. Loopback only; every child (emulators, CLI runs) is stopped on exit,
// error, SIGINT and SIGTERM.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  CLI,
  DEADLINE_S,
  DEFAULT_CLI,
  NODE,
  NODE_VERSION,
  OUT,
  RUNS_MIN,
  RUNS_OF,
  SCENARIOS,
  only,
  opts,
} from './lib/options.mjs';
import { checks, installGuards, progress, reports, results, t0, writeResults } from './lib/context.mjs';
import { fleetJsonLine, writeFleetOutputs } from './lib/outputs.mjs';
import { bundleHelpers } from './lib/runners.mjs';
import { scenarioFleet } from './scenarios/fleet.mjs';
import { scenarioLatency } from './scenarios/latency.mjs';
import { scenarioRerun } from './scenarios/rerun.mjs';
import { scenarioStartup } from './scenarios/startup.mjs';
import { scenarioThrottle } from './scenarios/throttle.mjs';

installGuards(DEADLINE_S);

const header =
  `aml-vault-push bench: Node ${NODE_VERSION} (${NODE}), ${process.platform}/${process.arch}, ${cpus().length} CPU(s), load average ${results.node.loadAverageAtStart} at start\n` +
  (CLI === DEFAULT_CLI ? '' : `ours = ${CLI} (not this tree's dist/)\n`) +
  `runs per side, interleaved: ${only.map((s) => `${s} ${RUNS_OF[s] ?? 'per case'}`).join(', ')}; times are wall time per process run (spawn to exit), median [min–max];\n` +
  'ratios are ours ÷ baseline of the medians (below 1 = ours smaller), with the range of per-round ratios.' +
  (opts.runs !== undefined && RUNS_MIN < 3 ? '\nFEWER THAN 3 RUNS: a smoke run, not a basis for any claim.' : '') +
  (opts.cases ? '\nSOME FLEET CASES ONLY: bench/results/ and docs/performance.md are left as they are.' : '');
process.stderr.write(`${header}\n`);
if (NODE !== process.execPath)
  progress(`(this orchestrator runs on Node ${process.version}; every measured process on ${NODE_VERSION})`);
await bundleHelpers();

const steps = {
  startup: scenarioStartup,
  rerun: scenarioRerun,
  latency: scenarioLatency,
  throttle: scenarioThrottle,
  fleet: scenarioFleet,
};
for (const name of SCENARIOS) {
  if (!only.includes(name)) continue;
  reports.push(await steps[name]());
}

results.checks = checks;
results.complete = true;
writeResults();
const total = (performance.now() - t0) / 1000;
process.stdout.write(`\n${header}\n\n${reports.join('\n\n')}\n`);
if (checks.length > 0)
  process.stdout.write(`\nCHECKS FAILED (${checks.length}):\n${checks.map((c) => `  ${c}`).join('\n')}\n`);
process.stdout.write(`\ntotal bench time ${total.toFixed(1)} s; results in ${OUT}\n`);
if (results.scenarios.fleet?.figures) {
  // The last line of stdout: the fleet figures as one JSON line (also in bench/results/latest.json).
  const line = fleetJsonLine(total);
  await writeFleetOutputs(line);
  process.stdout.write(`${line}\n`);
}
process.exitCode = checks.length > 0 ? 1 : 0;

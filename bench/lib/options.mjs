// The bench's constants and command-line options (`node bench/run.mjs --help`), parsed and checked once
// when bench/run.mjs imports this module: a bad flag stops the bench before anything starts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CLI = join(root, 'dist/cli/index.mjs');
export const NAIVE_SOURCE = join(root, 'bench/naive-push.mjs');
/** The naive script, bundled like our CLI (see bundleHelpers) so that both pay the same start-up cost. */
export const NAIVE = join(root, 'build/bench/naive-push.mjs');
export const EMULATOR = join(root, 'build/emulator/main.mjs');
export const OUT = join(root, 'build/bench-results.json');
/** The typed, unit-tested helpers of bench/lib/*.ts, compiled by esbuild at start (see bundleHelpers). */
export const LIB_OUT = join(root, 'build/bench/lib');
export const SCENARIOS = ['startup', 'rerun', 'latency', 'throttle', 'fleet'];
/** Committed: the fleet figures of the last full run, its chart, and the figures block of docs/performance.md. */
export const RESULTS_DIR = join(root, 'bench/results');
export const PERFORMANCE_DOC = join(root, 'docs/performance.md');

/**
 * The fleet cases, all at the real limits (`--throttle real`). runs: rounds of the three sides; fewer
 * where a run takes tens of seconds. rerun: afterwards, push the same secrets again (unchanged).
 */
export const FLEET_CASES = [
  { id: 'n50-l0', secrets: 50, latencyMs: 0, vaults: 1, runs: 3 },
  { id: 'n50-l30', secrets: 50, latencyMs: 30, vaults: 1, runs: 3 },
  { id: 'n300-l0', secrets: 300, latencyMs: 0, vaults: 1, runs: 2 },
  { id: 'n300-l30', secrets: 300, latencyMs: 30, vaults: 1, runs: 2, rerun: true },
  { id: 'n300x3-l0', secrets: 300, latencyMs: 0, vaults: 3, runs: 2 },
  { id: 'n300x3-l30', secrets: 300, latencyMs: 30, vaults: 3, runs: 2 },
  { id: 'n1000-l0', secrets: 1000, latencyMs: 0, vaults: 1, runs: 1 },
  { id: 'n1000-l30', secrets: 1000, latencyMs: 30, vaults: 1, runs: 1 },
];
/** The emulator's vaults for the fleet: one-vault cases use the first. */
export const FLEET_VAULTS = ['fleet-a', 'fleet-b', 'fleet-c'];
/** Calls in flight for the naive concurrent loop (as in scenario 3); the sequential loop has 1. */
export const NAIVE_CONCURRENCY = 32;
/** Runs of the start-and-sign-in measurement, per latency. */
export const START_RUNS = 5;
/**
 * Three vaults at once: one CLI process with `--targets` (one vault URL per line, pushed in parallel),
 * as a pipeline step would. False starts one CLI process per vault instead (how the bench measured
 * before the CLI took several targets).
 */
export const OURS_ONE_PROCESS_FOR_ALL_VAULTS = true;
/** Per child process, at most. 1,000 secrets at the real limits take ≥ 30 s by nature; retries add more. */
export const CHILD_TIMEOUT_MS = 150_000;

export function fatal(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

export const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string' },
    only: { type: 'string' },
    deadline: { type: 'string', default: '480' },
    cases: { type: 'string' },
    node: { type: 'string' },
    cli: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});
if (opts.help) {
  process.stdout.write(
    'usage: node bench/run.mjs [--runs N (default 5 for startup and rerun, 3 for latency, 2 for throttle, per case for fleet)]\n' +
      '                         [--only startup,rerun,latency,throttle,fleet] [--cases FLEET_CASE,... (default all)] [--deadline SECONDS (default 480)]\n' +
      '                         [--node PATH (the Node that runs the emulator, the CLI and the baseline; default: this one)]\n' +
      '                         [--cli PATH (the CLI bundle to measure; default dist/cli/index.mjs; another one never updates bench/results/)]\n',
  );
  process.exit(0);
}
/** The CLI bundle measured as "ours": this tree's, or another (e.g. a branch's build) with --cli. */
export const CLI = opts.cli ? resolve(opts.cli) : DEFAULT_CLI;
/** The Node that runs every child: the emulator, our CLI, the baseline. */
export const NODE = opts.node ? resolve(opts.node) : process.execPath;
export const NODE_VERSION = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
/**
 * Runs per side: 5 where a run takes well under a second, 3 where it takes seconds, 2 for throttle
 * (~13 s a round; the fleet scenario covers the same limits at more sizes). The fleet cases have their
 * own (FLEET_CASES), fewer for the big ones, to keep the whole bench near 6 minutes on 2 CPUs.
 */
export const RUNS_OF =
  opts.runs === undefined
    ? { startup: 5, rerun: 5, latency: 3, throttle: 2, fleet: null }
    : Object.fromEntries(SCENARIOS.map((s) => [s, Number(opts.runs)]));
export const RUNS_MIN = Math.min(...Object.values(RUNS_OF).filter((r) => r !== null));
export const fleetCases = opts.cases
  ? opts.cases
      .split(',')
      .map((id) => FLEET_CASES.find((c) => c.id === id.trim()) ?? fatal(`unknown fleet case "${id}"`))
  : FLEET_CASES;
/** Only a run of every fleet case at its default runs updates the committed results and docs/performance.md. */
export const FLEET_FULL = !opts.cases && opts.runs === undefined && CLI === DEFAULT_CLI;
export const DEADLINE_S = Number(opts.deadline);
export const only = opts.only ? opts.only.split(',').map((s) => s.trim()) : SCENARIOS;
if (!Number.isInteger(RUNS_MIN) || RUNS_MIN < 1 || Math.max(...Object.values(RUNS_OF)) > 20)
  fatal('--runs must be an integer from 1 to 20');
if (!Number.isFinite(DEADLINE_S) || DEADLINE_S <= 0) fatal('--deadline must be a number of seconds');
for (const s of only) if (!SCENARIOS.includes(s)) fatal(`unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
if (NODE_VERSION === 'unknown') fatal(`cannot run ${NODE} --version`);
for (const f of [CLI, EMULATOR])
  if (!existsSync(f)) fatal(`${f} is missing: run \`npm run bench\` (it builds first) or \`npm run build\``);

// The benchmark behind every performance claim of aml-vault-push (`npm run bench`, which builds
// dist/ and build/emulator/ first). It runs the real CLI bundle against the local emulator, as a user
// would, side by side in one run with baselines that model what people do today, and reports ratios.
//
//   node bench/run.mjs [--runs N] [--only startup,rerun,latency,throttle] [--deadline SECONDS]
//
// Scenarios (see bench/README.md): 0 process start (context), 1 rerun with nothing changed,
// 2 concurrency under latency, 3 throttling at the real limits. Each side runs --runs times (default 3),
// interleaved. Results: a table on stdout, progress on stderr, JSON in build/bench-results.json.
// Loopback only; every child (emulators, CLI runs) is stopped on exit, error, SIGINT and SIGTERM.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, stop as stopEsbuild } from 'esbuild';
import { startEmulator } from './lib/emulator.mjs';
import { killAll, runTimed } from './lib/proc.mjs';
import { fmtCount, fmtMs, fmtRatio, fmtTime, ratio, summarize, table } from './lib/stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CLI = join(root, 'dist/cli/index.mjs');
const NAIVE_SOURCE = join(root, 'bench/naive-push.mjs');
/** The naive script, bundled like our CLI (see bundleNaive) so that both pay the same start-up cost. */
const NAIVE = join(root, 'build/bench/naive-push.mjs');
const EMULATOR = join(root, 'build/emulator/main.mjs');
const OUT = join(root, 'build/bench-results.json');
/** The typed, unit-tested helpers of bench/lib/*.ts, compiled by esbuild at start (see bundleHelpers). */
const LIB_OUT = join(root, 'build/bench/lib');
const SCENARIOS = ['startup', 'rerun', 'latency', 'throttle', 'fleet'];
/** Committed: the fleet figures of the last full run, its chart, and README's Performance block. */
const RESULTS_DIR = join(root, 'bench/results');
const README = join(root, 'README.md');

/**
 * The fleet cases, all at the real limits (`--throttle real`). runs: rounds of the three sides; fewer
 * where a run takes tens of seconds. rerun: afterwards, push the same secrets again (unchanged).
 */
const FLEET_CASES = [
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
const FLEET_VAULTS = ['fleet-a', 'fleet-b', 'fleet-c'];
/** Calls in flight for the naive concurrent loop (as in scenario 3); the sequential loop has 1. */
const NAIVE_CONCURRENCY = 32;
/** Runs of the start-and-sign-in measurement, per latency. */
const START_RUNS = 5;
/**
 * Three vaults at once: one CLI process with `--targets` (one vault URL per line, pushed in parallel),
 * as a pipeline step would. False starts one CLI process per vault instead (how the bench measured
 * before the CLI took several targets).
 */
const OURS_ONE_PROCESS_FOR_ALL_VAULTS = true;

const { values: opts } = parseArgs({
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
const CLI = opts.cli ? resolve(opts.cli) : DEFAULT_CLI;
/** The Node that runs every child: the emulator, our CLI, the baseline. */
const NODE = opts.node ? resolve(opts.node) : process.execPath;
const NODE_VERSION = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
/**
 * Runs per side: 5 where a run takes well under a second, 3 where it takes seconds, 2 for throttle
 * (~13 s a round; the fleet scenario covers the same limits at more sizes). The fleet cases have their
 * own (FLEET_CASES), fewer for the big ones, to keep the whole bench near 6 minutes on 2 CPUs.
 */
const RUNS_OF =
  opts.runs === undefined
    ? { startup: 5, rerun: 5, latency: 3, throttle: 2, fleet: null }
    : Object.fromEntries(SCENARIOS.map((s) => [s, Number(opts.runs)]));
const RUNS_MIN = Math.min(...Object.values(RUNS_OF).filter((r) => r !== null));
const fleetCases = opts.cases
  ? opts.cases
      .split(',')
      .map((id) => FLEET_CASES.find((c) => c.id === id.trim()) ?? fatal(`unknown fleet case "${id}"`))
  : FLEET_CASES;
/** Only a run of every fleet case at its default runs updates the committed results and README. */
const FLEET_FULL = !opts.cases && opts.runs === undefined && CLI === DEFAULT_CLI;
const DEADLINE_S = Number(opts.deadline);
const only = opts.only ? opts.only.split(',').map((s) => s.trim()) : SCENARIOS;
if (!Number.isInteger(RUNS_MIN) || RUNS_MIN < 1 || Math.max(...Object.values(RUNS_OF)) > 20)
  fatal('--runs must be an integer from 1 to 20');
if (!Number.isFinite(DEADLINE_S) || DEADLINE_S <= 0) fatal('--deadline must be a number of seconds');
for (const s of only) if (!SCENARIOS.includes(s)) fatal(`unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
if (NODE_VERSION === 'unknown') fatal(`cannot run ${NODE} --version`);
for (const f of [CLI, EMULATOR])
  if (!existsSync(f)) fatal(`${f} is missing: run \`npm run bench\` (it builds first) or \`npm run build\``);

/** Per child process, at most. 1,000 secrets at the real limits take ≥ 30 s by nature; retries add more. */
const CHILD_TIMEOUT_MS = 150_000;

const t0 = performance.now();
const round2 = (x) => Math.round(x * 100) / 100;
const results = {
  startedAt: new Date().toISOString(),
  node: {
    version: NODE_VERSION,
    execPath: NODE,
    benchRunner: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    /** The machine's 1-minute load average when the bench started (other work shares the CPUs). */
    loadAverageAtStart: round2(loadavg()[0]),
  },
  runsPerSide: RUNS_OF,
  complete: false,
  scenarios: {},
};
const reports = [];
const emulators = new Set();

// ---- stopping everything, whatever happens --------------------------------------------------------

function writeResults(extra = {}) {
  Object.assign(results, extra, { finishedAt: new Date().toISOString(), totalMs: Math.round(performance.now() - t0) });
  try {
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  } catch (err) {
    process.stderr.write(`could not write ${OUT}: ${err.message}\n`);
  }
}

let aborting = false;
function abort(why, code) {
  if (aborting) return;
  aborting = true;
  process.stderr.write(`\nbench: ${why}: stopping every child process\n`);
  killAll('SIGTERM');
  writeResults({ aborted: why });
  if (reports.length > 0) process.stdout.write(`\n(partial)\n${reports.join('\n\n')}\n`);
  process.exit(code);
}
process.on('exit', () => killAll('SIGTERM'));
process.on('SIGINT', () => abort('interrupted (SIGINT)', 130));
process.on('SIGTERM', () => abort('terminated (SIGTERM)', 143));
process.on('uncaughtException', (err) => abort(`error: ${err.stack ?? err.message}`, 1));
process.on('unhandledRejection', (err) =>
  abort(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 1),
);
setTimeout(() => abort(`over the ${DEADLINE_S} s deadline`, 1), DEADLINE_S * 1000).unref();

function fatal(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const progress = (line) => process.stderr.write(`${line}\n`);

// ---- inputs --------------------------------------------------------------------------------------

/** The environment a child gets: a few basics and the emulator's env, nothing else of ours (no AZURE_*). */
function childEnv(emulator, extra = {}) {
  const env = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT']) if (process.env[key]) env[key] = process.env[key];
  return { ...env, ...(emulator ? emulator.info.env : {}), ...extra };
}

/** N secrets: names `${prefix}-000`…, values in BENCH_V_000… (random, never printed). */
function makeSecrets(prefix, n, values) {
  const vals = values ?? Array.from({ length: n }, () => randomBytes(24).toString('base64url'));
  const secrets = vals.map((_, i) => ({
    name: `${prefix}-${String(i).padStart(3, '0')}`,
    variable: `BENCH_V_${String(i).padStart(3, '0')}`,
  }));
  const env = Object.fromEntries(secrets.map((s, i) => [s.variable, vals[i]]));
  return { secrets, env, values: vals };
}

async function startEmu(args) {
  const emu = await startEmulator(EMULATOR, args, { node: NODE, env: childEnv(null), cwd: root });
  emulators.add(emu);
  return emu;
}

async function stopEmu(emu) {
  await emu.stop();
  emulators.delete(emu);
}

/**
 * Compiles bench/lib/*.ts (the floor, the chart, the goals; tested by test/bench/) to build/bench/lib/,
 * and bundles the naive script with the options scripts/build.mjs uses for dist/ (one ESM file, node20
 * target, a real `require` for bundled CommonJS). Run unbundled, it would spend ~0.4 s more than our
 * bundle just loading @azure/identity and its dependencies from node_modules, which would dominate the
 * short runs and say nothing about what each side does.
 */
async function bundleHelpers() {
  await build({
    entryPoints: ['bench/lib/floor.ts', 'bench/lib/chart.ts', 'bench/lib/goals.ts'],
    outdir: LIB_OUT,
    outExtension: { '.js': '.mjs' },
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  await build({
    entryPoints: [NAIVE_SOURCE],
    outfile: NAIVE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: {
      js: "import { createRequire as __amlCreateRequire } from 'node:module';\nconst require = __amlCreateRequire(import.meta.url);",
    },
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  await stopEsbuild(); // its service process is not needed any more
}

// ---- the two sides -------------------------------------------------------------------------------

/** Runs the real CLI bundle. Result: wall time, exit code, and its JSON result (names only). */
async function runOurs(emu, vaultUrl, set, concurrency, extraArgs = []) {
  const args = [CLI, ...(vaultUrl === null ? [] : ['--vault-url', vaultUrl]), '--owner', 'bench/local'];
  if (concurrency !== null) args.push('--max-concurrency', String(concurrency));
  args.push(...extraArgs);
  for (const s of set.secrets) args.push('--secrets', `${s.name}=${s.variable}`);
  const run = await runTimed(NODE, args, { env: childEnv(emu, set.env), cwd: root, timeoutMs: CHILD_TIMEOUT_MS });
  let result = null;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    // reported below
  }
  // Several vaults in one process: the flat lists merge names across vaults, so count per vault (`results`).
  const perVault = result?.results && typeof result.results === 'object' ? Object.values(result.results) : null;
  const count = (k) =>
    perVault && perVault.length > 1
      ? perVault.reduce((n, r) => n + (Array.isArray(r?.[k]) ? r[k].length : NaN), 0)
      : Array.isArray(result?.[k])
        ? result[k].length
        : NaN;
  return {
    ms: run.ms,
    code: run.code,
    timedOut: run.timedOut,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    ...(result
      ? {}
      : { error: `no JSON result (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${run.stderr.slice(-600)}` }),
  };
}

/** Runs the naive upsert loop (bench/naive-push.mjs). */
async function runNaive(emu, vaultUrl, set, concurrency, mode = 'set') {
  const args = [NAIVE, '--vault-url', vaultUrl, '--concurrency', String(concurrency), '--mode', mode];
  for (const s of set.secrets) args.push('--secrets', `${s.name}=${s.variable}`);
  const run = await runTimed(NODE, args, { env: childEnv(emu, set.env), cwd: root, timeoutMs: CHILD_TIMEOUT_MS });
  let result = null;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    // reported below
  }
  if (mode === 'verify')
    return {
      ms: run.ms,
      matched: result?.matched ?? NaN,
      mismatched: result ? result.mismatched.length : NaN,
      missing: result ? result.missing.length : NaN,
      errors: result?.errors ?? {},
      ...(result ? {} : { error: `verify printed no JSON (exit ${run.code}): ${run.stderr.slice(-600)}` }),
    };
  return {
    ms: run.ms,
    code: run.code,
    timedOut: run.timedOut,
    written: result?.written ?? NaN,
    failed: result ? result.failed.length : NaN,
    errors: result?.errors ?? {},
    ...(result
      ? {}
      : { error: `no JSON result (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${run.stderr.slice(-600)}` }),
  };
}

/** The emulator's request log for one vault: counts by method and status, versions written. */
function analyse(log, vault) {
  const recs = log.filter((r) => (r.vault ?? 'default') === vault);
  const byMethod = {};
  const byStatus = {};
  const written = new Set();
  let versions = 0;
  for (const r of recs) {
    byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const m = /^\/secrets\/([^/]+)\/?$/.exec(r.path);
    if (r.method === 'PUT' && r.status === 200 && m) {
      versions++;
      written.add(m[1].toLowerCase());
    }
  }
  const notChallenge = recs.filter((r) => r.status !== 401);
  return {
    total: recs.length,
    /** Reads and writes of secrets: every attempt except the auth challenges (429s count). */
    reads: notChallenge.filter((r) => r.method === 'GET').length,
    writes: notChallenge.filter((r) => r.method !== 'GET').length,
    byMethod,
    byStatus,
    get: byMethod.GET ?? 0,
    put: byMethod.PUT ?? 0,
    challenges: byStatus[401] ?? 0,
    throttled: byStatus[429] ?? 0,
    versionsCreated: versions,
    secretsWritten: written.size,
  };
}

/** One measured run: clear the log, run, read the log. */
async function measured(emu, vault, fn) {
  await emu.clearRequests();
  const run = await fn();
  run.requests = analyse(await emu.requests(), vault);
  return run;
}

const sum = (runs, pick) => summarize(runs.map(pick));
const checks = [];
function check(ok, scenario, message) {
  if (!ok) {
    checks.push(`${scenario}: ${message}`);
    progress(`  CHECK FAILED: ${message}`);
  }
}

// ---- scenario 0: process start (context for the wall times) ---------------------------------------

async function scenarioStartup() {
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

// ---- scenario 1: rerun with nothing changed -------------------------------------------------------

async function scenarioRerun() {
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

// ---- scenario 2: concurrency under latency --------------------------------------------------------

async function scenarioLatency() {
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

// ---- scenario 3: throttling at the real limits ----------------------------------------------------

async function scenarioThrottle() {
  const RUNS = RUNS_OF.throttle;
  const N = 400;
  const C = 32;
  progress(`\n[3] throttling at the real limits (300 sets / 10 s): N=${N} new secrets, concurrency ${C} on both sides`);
  const emu = await startEmu(['--throttle', 'real', '--vault', 'naive']);
  try {
    const ours = [];
    const naive = [];
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours'];
      for (const side of order) {
        const set = makeSecrets(`thr-r${r}`, N);
        // Re-applying the limits empties the emulator's sliding windows: each run starts on a fresh
        // 10 s window, as if it were the vault's only client and had waited 10 s since the last one.
        await emu.configure({ throttle: 'real' });
        if (side === 'ours') {
          const run = await measured(emu, 'default', () => runOurs(emu, emu.info.vaults.default, set, C));
          check(!run.error, 'throttle', `ours round ${r + 1}: ${run.error}`);
          ours.push(run);
        } else {
          const run = await measured(emu, 'naive', () => runNaive(emu, emu.info.vaults.naive, set, C));
          check(!run.error, 'throttle', `naive round ${r + 1}: ${run.error}`);
          naive.push(run);
        }
      }
      const o = ours.at(-1);
      const n = naive.at(-1);
      progress(
        `  round ${r + 1}/${RUNS} (${order.join(' then ')}): ours ${fmtMs(o.ms)} (${o.requests.throttled} × 429, ${o.failed} failed), ` +
          `naive ${fmtMs(n.ms)} (${n.requests.throttled} × 429, ${n.failed} failed)`,
      );
    }
    const side = (runs) => ({
      wallMs: sum(runs, (x) => x.ms),
      throttled: sum(runs, (x) => x.requests.throttled),
      failed: sum(runs, (x) => x.failed),
      secretsWritten: sum(runs, (x) => x.requests.secretsWritten),
      putAttempts: sum(runs, (x) => x.requests.put),
      requests: sum(runs, (x) => x.requests.total),
      runs,
    });
    const s = {
      params: { secrets: N, concurrency: C, limits: 'real: 300 sets and 4,000 other calls per vault per 10 s' },
      ours: side(ours),
      naive: side(naive),
    };
    s.ratios = {
      wallTime: ratio(s.ours.wallMs.median, s.naive.wallMs.median),
      wallTimePaired: ours.map((o, i) => ratio(o.ms, naive[i].ms)),
      throttled: ratio(s.ours.throttled.median, s.naive.throttled.median),
      failed: ratio(s.ours.failed.median, s.naive.failed.median),
      requests: ratio(s.ours.requests.median, s.naive.requests.median),
    };
    results.scenarios.throttle = s;
    const o = s.ours;
    const n = s.naive;
    const plain = (x) => (x === null ? 'n/a' : `${x.toFixed(2)}×`);
    return [
      `3. Throttling at the real limits: emulator --throttle real, ${N} new secrets, concurrency ${C} on both sides`,
      table(
        ['', 'ours (budget + backoff)', 'naive (SDK default retry)', 'ours ÷ naive'],
        [
          ['wall time', fmtTime(o.wallMs), fmtTime(n.wallMs), fmtRatio(s.ratios.wallTime, s.ratios.wallTimePaired)],
          ['429s received', fmtCount(o.throttled), fmtCount(n.throttled), plain(s.ratios.throttled)],
          [`secrets failed (of ${N})`, fmtCount(o.failed), fmtCount(n.failed), plain(s.ratios.failed)],
          ['secrets written (emulator log)', fmtCount(o.secretsWritten), fmtCount(n.secretsWritten), ''],
          ['requests, all', fmtCount(o.requests), fmtCount(n.requests), plain(s.ratios.requests)],
          ['  of which PUT', fmtCount(o.putAttempts), fmtCount(n.putAttempts), ''],
        ],
      ),
    ].join('\n');
  } finally {
    await stopEmu(emu);
  }
}

// ---- scenario 4: the fleet, at the vault's real speed ---------------------------------------------

/** The argv (after the CLI path) that points our CLI at these vaults: see OURS_ONE_PROCESS_FOR_ALL_VAULTS. */
function oursArgvForVaults(urls) {
  if (OURS_ONE_PROCESS_FOR_ALL_VAULTS && urls.length > 1) return [['--targets', urls.join('\n')]];
  return urls.map((url) => ['--vault-url', url]);
}

/**
 * One side pushes `set` to every vault in `vaults` at once. Wall time: from before the first spawn to
 * the last exit. Requests: the emulator's log, per vault, added up.
 */
async function fleetPush(emu, side, vaults, set) {
  const urls = vaults.map((v) => emu.info.vaults[v]);
  await emu.configure({ throttle: 'real' }); // a fresh window in every vault (see scenario 3)
  await emu.clearRequests();
  const started = performance.now();
  let procs;
  if (side === 'ours') {
    procs = await Promise.all(oursArgvForVaults(urls).map((argv) => runOurs(emu, null, set, null, argv)));
  } else {
    const c = side === 'naive' ? NAIVE_CONCURRENCY : 1;
    procs = await Promise.all(urls.map((url) => runNaive(emu, url, set, c)));
  }
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const log = await emu.requests();
  const per = vaults.map((v) => analyse(log, v));
  const add = (k) => per.reduce((n, a) => n + a[k], 0);
  const total = (k) => procs.reduce((n, p) => n + p[k], 0);
  return {
    ms,
    processMs: procs.map((p) => p.ms),
    errors: procs.map((p) => p.error).filter(Boolean),
    failed: total('failed'),
    ...(side === 'ours'
      ? { created: total('created'), updated: total('updated'), unchanged: total('unchanged') }
      : { written: total('written'), errorsByStatus: procs.map((p) => p.errors) }),
    requests: {
      total: add('total'),
      reads: add('reads'),
      writes: add('writes'),
      challenges: add('challenges'),
      throttled: add('throttled'),
      secretsWritten: add('secretsWritten'),
      versionsCreated: add('versionsCreated'),
    },
  };
}

/**
 * The process's own start and sign-in at a latency: our CLI pushing one secret that is already there and
 * unchanged (start, token, auth challenge, one read, exit), less the one read's added latency.
 */
async function measureStart(emu, latencyMs) {
  await emu.configure({ latencyMs, throttle: 'real' });
  const set = makeSecrets(`start-l${latencyMs}`, 1);
  const url = emu.info.vaults[FLEET_VAULTS[0]];
  const first = await runOurs(emu, url, set, null);
  check(
    first.created === 1,
    'fleet',
    `start probe at ${latencyMs} ms: created ${first.created}/1 ${first.error ?? ''}`,
  );
  const runs = [];
  for (let r = 0; r < START_RUNS; r++) {
    const run = await runOurs(emu, url, set, null);
    check(
      run.unchanged === 1,
      'fleet',
      `start probe at ${latencyMs} ms: ${run.unchanged}/1 unchanged ${run.error ?? ''}`,
    );
    runs.push(run.ms);
  }
  const s = summarize(runs);
  return { latencyMs, wallMs: s, startMs: Math.max(0, s.median - latencyMs) };
}

async function scenarioFleet() {
  const latencies = [...new Set(fleetCases.map((c) => c.latencyMs))];
  progress(
    `\n[4] fleet at the real limits: ${fleetCases.map((c) => c.id).join(', ')}; ours (defaults) vs the sequential ` +
      `setSecret loop vs the naive loop at ${NAIVE_CONCURRENCY} in flight`,
  );
  const emu = await startEmu(['--throttle', 'real', ...FLEET_VAULTS.flatMap((v) => ['--vault', v])]);
  const out = {
    params: { cases: fleetCases, naiveConcurrency: NAIVE_CONCURRENCY, startRuns: START_RUNS },
    start: {},
    cases: [],
  };
  results.scenarios.fleet = out;
  try {
    for (const l of latencies) {
      out.start[l] = await measureStart(emu, l);
      progress(
        `  start + sign-in at ${l} ms: ${fmtMs(out.start[l].startMs)} (1 unchanged secret: ${fmtTime(out.start[l].wallMs)})`,
      );
    }
    for (const c of fleetCases) {
      const runs = RUNS_OF.fleet ?? c.runs;
      const vaults = FLEET_VAULTS.slice(0, c.vaults);
      await emu.configure({ latencyMs: c.latencyMs });
      const sides = { ours: [], naive: [], sequential: [] };
      let lastOurs = null;
      for (let r = 0; r < runs; r++) {
        const order = ['ours', 'sequential', 'naive'].map((_, i, a) => a[(i + r) % a.length]);
        for (const side of order) {
          const set = makeSecrets(`${c.id}-r${r}-${side.slice(0, 3)}`, c.secrets);
          const run = await fleetPush(emu, side, vaults, set);
          const expected = c.secrets * c.vaults;
          if (run.errors.length > 0) check(false, 'fleet', `${c.id} ${side} round ${r + 1}: ${run.errors.join('; ')}`);
          else if (side === 'ours') {
            check(
              run.created + run.failed === expected && run.updated === 0 && run.unchanged === 0,
              'fleet',
              `${c.id} round ${r + 1}: ours reported ${run.created} created + ${run.failed} failed of ${expected} new`,
            );
            check(
              run.requests.secretsWritten === run.created,
              'fleet',
              `${c.id} round ${r + 1}: ours reported ${run.created} created, the vault log shows ${run.requests.secretsWritten} written`,
            );
            lastOurs = { set, run };
          } else
            check(
              run.written + run.failed === expected,
              'fleet',
              `${c.id} ${side} round ${r + 1}: ${run.written} written + ${run.failed} failed of ${expected}`,
            );
          sides[side].push(run);
        }
        const o = sides.ours.at(-1);
        progress(
          `  ${c.id} round ${r + 1}/${runs}: ours ${fmtMs(o.ms)} (${o.requests.throttled} × 429, ${o.failed} failed` +
            `${o.processMs.length > 1 ? `; processes ${o.processMs.map(fmtMs).join(', ')}` : ''}), ` +
            `sequential ${fmtMs(sides.sequential.at(-1).ms)} (${sides.sequential.at(-1).failed} failed), ` +
            `naive ${fmtMs(sides.naive.at(-1).ms)} (${sides.naive.at(-1).failed} failed)`,
        );
      }
      // Every value our last run created reads back equal (compared in memory, never printed).
      if (lastOurs && lastOurs.run.created > 0) {
        await emu.configure({ throttle: 'real' });
        for (const v of vaults) {
          const res = await runNaive(emu, emu.info.vaults[v], lastOurs.set, NAIVE_CONCURRENCY, 'verify');
          const ok = !res.error && res.mismatched === 0 && res.matched + res.missing === c.secrets;
          check(
            ok,
            'fleet',
            `${c.id}: values in ${v}: ${res.matched} match, ${res.mismatched} differ ${res.error ?? ''}`,
          );
        }
      }
      let rerun;
      if (c.rerun && lastOurs && lastOurs.run.failed === 0) {
        const run = await fleetPush(emu, 'ours', vaults, lastOurs.set);
        const n = c.secrets * c.vaults;
        check(run.unchanged === n, 'fleet', `${c.id} rerun: ${run.unchanged}/${n} unchanged ${run.errors.join('; ')}`);
        rerun = { ms: run.ms, readsPerSecret: run.requests.reads / n, writesPerSecret: run.requests.writes / n, run };
        progress(
          `  ${c.id} rerun (unchanged): ${fmtMs(run.ms)}, ${run.requests.reads} reads, ${run.requests.writes} writes`,
        );
      }
      const start = out.start[c.latencyMs];
      const fl = floorOf({ startMs: start.startMs, newSecretsPerVault: c.secrets, latencyMs: c.latencyMs });
      const side = (xs) => ({
        wallMs: sum(xs, (x) => x.ms),
        failed: sum(xs, (x) => x.failed),
        requests: sum(xs, (x) => x.requests.total),
        requestsPerSecret: sum(xs, (x) => x.requests.total / (c.secrets * c.vaults)),
        throttled: sum(xs, (x) => x.requests.throttled),
        challenges: sum(xs, (x) => x.requests.challenges),
        runs: xs,
      });
      const res = {
        ...c,
        runs,
        floor: fl,
        ours: side(sides.ours),
        sequential: side(sides.sequential),
        naive: side(sides.naive),
        ...(rerun ? { rerun } : {}),
      };
      res.ratios = {
        oursToFloor: ratio(res.ours.wallMs.median, fl.floorMs),
        oursToSequential: ratio(res.ours.wallMs.median, res.sequential.wallMs.median),
        oursToSequentialPaired: sides.ours.map((o, i) => ratio(o.ms, sides.sequential[i].ms)),
        sequentialToFloor: ratio(res.sequential.wallMs.median, fl.floorMs),
        naiveToFloor: ratio(res.naive.wallMs.median, fl.floorMs),
      };
      out.cases.push(res);
    }
  } finally {
    await stopEmu(emu);
  }
  return fleetReport(out);
}

const caseLabel = (c) =>
  `${c.vaults > 1 ? `${c.vaults} vaults × ` : ''}${c.secrets.toLocaleString('en-US')} new · ${c.latencyMs} ms`;

/** The figures the goals, the JSON line, the results file and the chart are made of. */
function fleetFigures(out) {
  return out.cases.map((c) => ({
    id: c.id,
    secrets: c.secrets,
    latencyMs: c.latencyMs,
    vaults: c.vaults,
    runs: c.runs,
    startMs: Math.round(c.floor.startMs),
    limitsMs: Math.round(c.floor.limitsMs),
    chainMs: Math.round(c.floor.chainMs),
    floorMs: Math.round(c.floor.floorMs),
    oursMs: c.ours.wallMs.median,
    sequentialMs: c.sequential.wallMs.median,
    naiveMs: c.naive.wallMs.median,
    oursToFloor: round3(c.ratios.oursToFloor),
    oursToSequential: round3(c.ratios.oursToSequential),
    requestsPerSecret: round3(c.ours.requestsPerSecret.median),
    oursThrottled: c.ours.throttled.median,
    oursFailed: c.ours.failed.samples.reduce((a, b) => a + b, 0),
    sequentialFailed: c.sequential.failed.median,
    naiveFailed: c.naive.failed.median,
    ...(c.rerun
      ? { rerun: { readsPerSecret: round3(c.rerun.readsPerSecret), writesPerSecret: round3(c.rerun.writesPerSecret) } }
      : {}),
  }));
}

/** "2.03" or "2.03 [2.01–2.05]" */
const fmtPerSecret = (s) =>
  s.min === s.max ? s.median.toFixed(2) : `${s.median.toFixed(2)} [${s.min.toFixed(2)}–${s.max.toFixed(2)}]`;

const round3 = (x) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

function fleetReport(out) {
  const figures = fleetFigures(out);
  const goals = evaluateGoals(figures);
  out.figures = figures;
  out.goals = goals;
  const x = (r) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
  const starts = Object.values(out.start)
    .map((s) => `${fmtMs(s.startMs)} at ${s.latencyMs} ms`)
    .join(', ');
  const lines = [
    `4. Fleet at the real limits (--throttle real: 300 sets and 4,000 other calls per vault per 10 s), new secrets; ` +
      `ours with its defaults vs a sequential setSecret loop vs the naive loop at ${NAIVE_CONCURRENCY} in flight`,
    `floor = start + max(limits, chain); start + sign-in measured in this run: ${starts}`,
    table(
      ['case', 'runs', 'floor', 'ours', 'ours ÷ floor', 'sequential', 'ours ÷ seq', `naive (${NAIVE_CONCURRENCY})`],
      out.cases.map((c) => [
        caseLabel(c),
        String(c.runs),
        `${fmtMs(c.floor.floorMs)} (${fmtMs(c.floor.startMs)} + ${fmtMs(Math.max(c.floor.limitsMs, c.floor.chainMs))})`,
        fmtTime(c.ours.wallMs),
        x(c.ratios.oursToFloor),
        fmtTime(c.sequential.wallMs),
        fmtRatio(c.ratios.oursToSequential, c.ratios.oursToSequentialPaired),
        fmtTime(c.naive.wallMs),
      ]),
    ),
    '',
    table(
      [
        'case',
        'requests / secret (ours)',
        '429s (ours)',
        'failed: ours',
        'sequential',
        'naive',
        'rerun reads / writes per secret',
      ],
      out.cases.map((c) => [
        caseLabel(c),
        fmtPerSecret(c.ours.requestsPerSecret),
        fmtCount(c.ours.throttled),
        fmtCount(c.ours.failed),
        fmtCount(c.sequential.failed),
        fmtCount(c.naive.failed),
        c.rerun ? `${+c.rerun.readsPerSecret.toFixed(3)} / ${+c.rerun.writesPerSecret.toFixed(3)}` : '',
      ]),
    ),
    '',
    'Goals (reached or not; a miss does not fail the bench):',
    table(
      ['', 'goal', 'target', 'figure'],
      goals.map((g) => [verdict(g), g.goal, g.target, g.figure]),
    ),
  ];
  return lines.join('\n');
}

/** bench/results/latest.json, the chart and README's Performance block; only after a full fleet run. */
async function writeFleetOutputs(jsonLine) {
  const fleet = results.scenarios.fleet;
  const dir = FLEET_FULL ? RESULTS_DIR : join(root, 'build/bench');
  mkdirSync(dir, { recursive: true });
  const summary = JSON.parse(jsonLine);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const when = results.startedAt.slice(0, 10);
  const svg = fleetChart(
    fleet.cases.map((c) => ({
      label: caseLabel(c),
      oursMs: c.ours.wallMs.median,
      floorMs: c.floor.floorMs,
      sequentialMs: c.sequential.wallMs.median,
      oursFailed: c.ours.failed.median,
      sequentialFailed: c.sequential.failed.median,
    })),
    {
      title: 'aml-vault-push: new secrets at the real Key Vault limits (local emulator, wall time per run, median)',
      subtitle: `npm run bench, ${when}, Node ${NODE_VERSION}, ${cpus().length} CPUs; floor = start + max(vault limits, round trips)`,
    },
  );
  writeFileSync(join(dir, 'fleet.svg'), svg);
  progress(`fleet figures: ${join(dir, 'latest.json')}, chart: ${join(dir, 'fleet.svg')}`);
  if (FLEET_FULL) await updateReadme(fleet, summary);
  else progress('(a partial fleet run: bench/results/ and README.md are left as they are)');
}

const README_START = '<!-- bench:fleet:start (written by npm run bench; do not edit by hand) -->';
const README_END = '<!-- bench:fleet:end -->';

async function updateReadme(fleet, summary) {
  const text = readFileSync(README, 'utf8');
  const a = text.indexOf(README_START);
  const b = text.indexOf(README_END);
  if (a < 0 || b < a) {
    progress(`README.md has no ${README_START} … ${README_END} block: not updated`);
    return;
  }
  const s = (ms) => fmtSeconds(ms);
  // Ratios from the unrounded figures, as on stdout (the JSON keeps 3 decimals).
  const x = (r) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
  const rows = fleet.cases.map((c) => {
    const f = summary.cases.find((y) => y.id === c.id);
    return `| ${caseLabel(c)} | ${s(c.floor.floorMs)} | ${s(f.oursMs)} | ${x(c.ratios.oursToFloor)} | ${s(f.sequentialMs)}${
      f.sequentialFailed ? ` (${f.sequentialFailed} failed)` : ''
    } | ${x(c.ratios.oursToSequential)} | ${c.ours.requestsPerSecret.median.toFixed(2)} | ${f.oursThrottled} | ${f.oursFailed} |`;
  });
  const goals = summary.goals.map((g) => `| ${g.goal} | ${g.target} | ${g.figure} | ${verdict(g)} |`);
  const block = [
    README_START,
    '',
    `![Fleet benchmark: our time, the floor and the sequential loop per case](bench/results/fleet.svg)`,
    '',
    `From the last full \`npm run bench\` (${summary.date.slice(0, 16).replace('T', ' ')} UTC, commit ${summary.commit}, ` +
      `Node ${summary.node}, ${summary.cpus} CPUs shared with other work (load average ${summary.loadAverage.atStart} at start, ` +
      `${summary.loadAverage.atEnd} at the end), emulator on loopback, all at \`--throttle real\`), medians; ` +
      'figures in [bench/results/latest.json](bench/results/latest.json). Ratios below 1 mean ours took less time; ' +
      '"Failed" counts our failed secrets over every run of the case.',
    '',
    '| Case | Floor | Ours | Ours ÷ floor | Sequential loop | Ours ÷ sequential | Requests / secret | 429s | Failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '| Goal | Target | Figure | Result |',
    '| --- | --- | --- | --- |',
    ...goals,
    '',
    README_END,
  ].join('\n');
  const next = text.slice(0, a) + block + text.slice(b + README_END.length);
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(README)) ?? {};
  writeFileSync(README, await prettier.format(next, { ...options, filepath: README }));
  progress('README.md: Performance block updated');
}

// ---- main ----------------------------------------------------------------------------------------

const header =
  `aml-vault-push bench: Node ${NODE_VERSION} (${NODE}), ${process.platform}/${process.arch}, ${cpus().length} CPU(s), load average ${results.node.loadAverageAtStart} at start\n` +
  (CLI === DEFAULT_CLI ? '' : `ours = ${CLI} (not this tree's dist/)\n`) +
  `runs per side, interleaved: ${only.map((s) => `${s} ${RUNS_OF[s] ?? 'per case'}`).join(', ')}; times are wall time per process run (spawn to exit), median [min–max];\n` +
  'ratios are ours ÷ baseline of the medians (below 1 = ours smaller), with the range of per-round ratios.' +
  (opts.runs !== undefined && RUNS_MIN < 3 ? '\nFEWER THAN 3 RUNS: a smoke run, not a basis for any claim.' : '') +
  (opts.cases ? '\nSOME FLEET CASES ONLY: bench/results/ and README.md are left as they are.' : '');
process.stderr.write(`${header}\n`);
if (NODE !== process.execPath)
  progress(`(this orchestrator runs on Node ${process.version}; every measured process on ${NODE_VERSION})`);
await bundleHelpers();
const lib = (name) => import(pathToFileURL(join(LIB_OUT, `${name}.mjs`)).href);
const { floor: floorOf } = await lib('floor');
const { fleetChart, fmtSeconds } = await lib('chart');
const { evaluateGoals, verdict } = await lib('goals');

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
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  const line = JSON.stringify({
    bench: 'aml-vault-push fleet',
    date: results.startedAt,
    commit: commit || null,
    node: NODE_VERSION,
    cpus: cpus().length,
    loadAverage: { atStart: results.node.loadAverageAtStart, atEnd: round2(loadavg()[0]) },
    full: FLEET_FULL,
    checksFailed: checks.length,
    totalSeconds: Math.round(total),
    start: Object.fromEntries(
      Object.values(results.scenarios.fleet.start).map((s) => [`${s.latencyMs}ms`, Math.round(s.startMs)]),
    ),
    cases: results.scenarios.fleet.figures,
    goals: results.scenarios.fleet.goals.map((g) => ({ ...g, verdict: verdict(g) })),
  });
  await writeFleetOutputs(line);
  process.stdout.write(`${line}\n`);
}
process.exitCode = checks.length > 0 ? 1 : 0;

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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, stop as stopEsbuild } from 'esbuild';
import { startEmulator } from './lib/emulator.mjs';
import { killAll, runTimed } from './lib/proc.mjs';
import { fmtCount, fmtMs, fmtRatio, fmtTime, ratio, summarize, table } from './lib/stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cli/index.mjs');
const NAIVE_SOURCE = join(root, 'bench/naive-push.mjs');
/** The naive script, bundled like our CLI (see bundleNaive) so that both pay the same start-up cost. */
const NAIVE = join(root, 'build/bench/naive-push.mjs');
const EMULATOR = join(root, 'build/emulator/main.mjs');
const OUT = join(root, 'build/bench-results.json');
const SCENARIOS = ['startup', 'rerun', 'latency', 'throttle'];

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string' },
    only: { type: 'string' },
    deadline: { type: 'string', default: '300' },
    node: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});
if (opts.help) {
  process.stdout.write(
    'usage: node bench/run.mjs [--runs N (default 5 for startup and rerun, 3 for latency and throttle)] [--only startup,rerun,latency,throttle] [--deadline SECONDS (default 300)]\n' +
      '                         [--node PATH (the Node that runs the emulator, the CLI and the baseline; default: this one)]\n',
  );
  process.exit(0);
}
/** The Node that runs every child: the emulator, our CLI, the baseline. */
const NODE = opts.node ? resolve(opts.node) : process.execPath;
const NODE_VERSION = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
/** Runs per side: 5 where a run takes well under a second, 3 (the minimum) where it takes seconds. */
const RUNS_OF =
  opts.runs === undefined
    ? { startup: 5, rerun: 5, latency: 3, throttle: 3 }
    : Object.fromEntries(SCENARIOS.map((s) => [s, Number(opts.runs)]));
const RUNS_MIN = Math.min(...Object.values(RUNS_OF));
const DEADLINE_S = Number(opts.deadline);
const only = opts.only ? opts.only.split(',').map((s) => s.trim()) : SCENARIOS;
if (!Number.isInteger(RUNS_MIN) || RUNS_MIN < 1 || Math.max(...Object.values(RUNS_OF)) > 20)
  fatal('--runs must be an integer from 1 to 20');
if (!Number.isFinite(DEADLINE_S) || DEADLINE_S <= 0) fatal('--deadline must be a number of seconds');
for (const s of only) if (!SCENARIOS.includes(s)) fatal(`unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
if (NODE_VERSION === 'unknown') fatal(`cannot run ${NODE} --version`);
for (const f of [CLI, EMULATOR])
  if (!existsSync(f)) fatal(`${f} is missing: run \`npm run bench\` (it builds first) or \`npm run build\``);

/** Per child process, at most. A run of scenario 3 takes ~11 s by nature; retries could add ~30 s. */
const CHILD_TIMEOUT_MS = 120_000;

const t0 = performance.now();
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
 * Bundles the naive script with the options scripts/build.mjs uses for dist/ (one ESM file, node20
 * target, a real `require` for bundled CommonJS). Run unbundled, it would spend ~0.4 s more than our
 * bundle just loading @azure/identity and its dependencies from node_modules, which would dominate the
 * short runs and say nothing about what each side does.
 */
async function bundleNaive() {
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
  const args = [
    CLI,
    '--vault-url',
    vaultUrl,
    '--owner',
    'bench/local',
    '--max-concurrency',
    String(concurrency),
    ...extraArgs,
  ];
  for (const s of set.secrets) args.push('--secrets', `${s.name}=${s.variable}`);
  const run = await runTimed(NODE, args, { env: childEnv(emu, set.env), cwd: root, timeoutMs: CHILD_TIMEOUT_MS });
  let result = null;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    // reported below
  }
  const count = (k) => (Array.isArray(result?.[k]) ? result[k].length : NaN);
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
async function runNaive(emu, vaultUrl, set, concurrency) {
  const args = [NAIVE, '--vault-url', vaultUrl, '--concurrency', String(concurrency)];
  for (const s of set.secrets) args.push('--secrets', `${s.name}=${s.variable}`);
  const run = await runTimed(NODE, args, { env: childEnv(emu, set.env), cwd: root, timeoutMs: CHILD_TIMEOUT_MS });
  let result = null;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    // reported below
  }
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
  return {
    total: recs.length,
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
        ['max-concurrency', 'wall time', 'requests', '÷ default (8)'],
        levels.map((c) => [
          c === 8 ? '8 (default)' : String(c),
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

// ---- main ----------------------------------------------------------------------------------------

const header =
  `aml-vault-push bench: Node ${NODE_VERSION} (${NODE}), ${process.platform}/${process.arch}, ${cpus().length} CPU(s)\n` +
  `runs per side, interleaved: ${only.map((s) => `${s} ${RUNS_OF[s]}`).join(', ')}; times are wall time per process run (spawn to exit), median [min–max];\n` +
  'ratios are ours ÷ baseline of the medians (below 1 = ours smaller), with the range of per-round ratios.' +
  (RUNS_MIN < 3 ? '\nFEWER THAN 3 RUNS: a smoke run, not a basis for any claim.' : '');
process.stderr.write(`${header}\n`);
if (NODE !== process.execPath)
  progress(`(this orchestrator runs on Node ${process.version}; every measured process on ${NODE_VERSION})`);
await bundleNaive();

const steps = { startup: scenarioStartup, rerun: scenarioRerun, latency: scenarioLatency, throttle: scenarioThrottle };
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
process.exitCode = checks.length > 0 ? 1 : 0;

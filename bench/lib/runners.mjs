// The measured sides: our CLI bundle and the naive upsert loop, each run as a child process, and the
// emulator's request log read after each run. Also the build step of the bench's own helpers.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop as stopEsbuild } from 'esbuild';
import { childEnv } from './context.mjs';
import { CHILD_TIMEOUT_MS, CLI, LIB_OUT, NAIVE, NAIVE_SOURCE, NODE, root } from './options.mjs';
import { runTimed } from './proc.mjs';

/**
 * The typed helpers of bench/lib/*.ts, filled in by bundleHelpers: floor, fleetChart, fmtSeconds,
 * evaluateGoals, verdict, whatBinds, ConcurrencyLog, rampOf, FAR, waitedChildrenCpuMs, processCpuMs,
 * cpuPerRequest.
 */
export const lib = {};
const TS_HELPERS = ['floor', 'chart', 'goals', 'binds', 'cpu'];

/**
 * Compiles bench/lib/*.ts (the floor, the chart, the goals, what binds, CPU times; tested by
 * test/bench/) to build/bench/lib/ and loads them into `lib`, and bundles the naive script with the
 * options scripts/build.mjs uses for dist/ (one ESM file, node20 target, a real `require` for bundled
 * CommonJS). Run unbundled, it would spend ~0.4 s more than our bundle just loading @azure/identity and
 * its dependencies from node_modules, which would dominate the short runs and say nothing about what
 * each side does.
 */
export async function bundleHelpers() {
  await build({
    entryPoints: TS_HELPERS.map((name) => `bench/lib/${name}.ts`),
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
  for (const name of TS_HELPERS) Object.assign(lib, await import(pathToFileURL(join(LIB_OUT, `${name}.mjs`)).href));
}

/**
 * Runs the real CLI bundle. Result: wall time, exit code, and its JSON result (names only).
 * `how.env`: more environment; `how.onStderr`: sees its stderr as it arrives (see runTimed).
 */
export async function runOurs(emu, vaultUrl, set, concurrency, extraArgs = [], how = {}) {
  // --json: the result as one object (without it the CLI prints lines for a person).
  const args = [CLI, ...(vaultUrl === null ? [] : ['--vault-url', vaultUrl]), '--owner', 'bench/local', '--json'];
  if (concurrency !== null) args.push('--max-concurrency', String(concurrency));
  args.push(...extraArgs);
  for (const s of set.secrets) args.push('--secrets', `${s.name}=${s.variable}`);
  const run = await runTimed(NODE, args, {
    env: childEnv(emu, { ...set.env, ...how.env }),
    cwd: root,
    timeoutMs: CHILD_TIMEOUT_MS,
    onStderr: how.onStderr,
  });
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
export async function runNaive(emu, vaultUrl, set, concurrency, mode = 'set') {
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
export function analyse(log, vault) {
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
export async function measured(emu, vault, fn) {
  await emu.clearRequests();
  const run = await fn();
  run.requests = analyse(await emu.requests(), vault);
  return run;
}

// What every scenario shares: the results being gathered, the checks, progress on stderr, the
// emulators started (stopped whatever happens), and the inputs a child gets (environment, secrets).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from './emulator.mjs';
import { EMULATOR, NODE, NODE_VERSION, OUT, RUNS_OF, root } from './options.mjs';
import { killAll } from './proc.mjs';
import { summarize } from './stats.mjs';

export const t0 = performance.now();
export const round2 = (x) => Math.round(x * 100) / 100;
export const results = {
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
/** Each finished scenario's report (text), printed at the end, or as "(partial)" on an abort. */
export const reports = [];
const emulators = new Set();

// ---- stopping everything, whatever happens --------------------------------------------------------

export function writeResults(extra = {}) {
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

/** Every child is stopped on exit, error, SIGINT and SIGTERM, and when the deadline passes. */
export function installGuards(deadlineS) {
  process.on('exit', () => killAll('SIGTERM'));
  process.on('SIGINT', () => abort('interrupted (SIGINT)', 130));
  process.on('SIGTERM', () => abort('terminated (SIGTERM)', 143));
  process.on('uncaughtException', (err) => abort(`error: ${err.stack ?? err.message}`, 1));
  process.on('unhandledRejection', (err) =>
    abort(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 1),
  );
  setTimeout(() => abort(`over the ${deadlineS} s deadline`, 1), deadlineS * 1000).unref();
}

export const progress = (line) => process.stderr.write(`${line}\n`);

// ---- checks --------------------------------------------------------------------------------------

/** The failed checks, "scenario: message"; any makes the exit status 1. */
export const checks = [];
export function check(ok, scenario, message) {
  if (!ok) {
    checks.push(`${scenario}: ${message}`);
    progress(`  CHECK FAILED: ${message}`);
  }
}

export const sum = (runs, pick) => summarize(runs.map(pick));

// ---- inputs --------------------------------------------------------------------------------------

/** The environment a child gets: a few basics and the emulator's env, nothing else of ours (no AZURE_*). */
export function childEnv(emulator, extra = {}) {
  const env = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT']) if (process.env[key]) env[key] = process.env[key];
  return { ...env, ...(emulator ? emulator.info.env : {}), ...extra };
}

/** N secrets: names `${prefix}-000`…, values in BENCH_V_000… (random, never printed). */
export function makeSecrets(prefix, n, values) {
  const vals = values ?? Array.from({ length: n }, () => randomBytes(24).toString('base64url'));
  const secrets = vals.map((_, i) => ({
    name: `${prefix}-${String(i).padStart(3, '0')}`,
    variable: `BENCH_V_${String(i).padStart(3, '0')}`,
  }));
  const env = Object.fromEntries(secrets.map((s, i) => [s.variable, vals[i]]));
  return { secrets, env, values: vals };
}

export async function startEmu(args) {
  const emu = await startEmulator(EMULATOR, args, { node: NODE, env: childEnv(null), cwd: root });
  emulators.add(emu);
  return emu;
}

export async function stopEmu(emu) {
  await emu.stop();
  emulators.delete(emu);
}

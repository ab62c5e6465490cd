// One push of the fleet scenario, by one side, to one or more vaults at once, with what the vaults
// saw (the emulator's log), the CPU time the side's processes used and the emulator's; and the
// measurement of our CLI's own start and sign-in that the floor starts from.
import { performance } from 'node:perf_hooks';
import { check, makeSecrets } from './context.mjs';
import { FLEET_VAULTS, NAIVE_CONCURRENCY, OURS_ONE_PROCESS_FOR_ALL_VAULTS, START_RUNS } from './options.mjs';
import { analyse, lib, runNaive, runOurs } from './runners.mjs';
import { median, summarize } from './stats.mjs';

/** The argv (after the CLI path) that points our CLI at these vaults: see OURS_ONE_PROCESS_FOR_ALL_VAULTS. */
export function oursArgvForVaults(urls) {
  if (OURS_ONE_PROCESS_FOR_ALL_VAULTS && urls.length > 1) return [['--targets', urls.join('\n')]];
  return urls.map((url) => ['--vault-url', url]);
}

/** Where our CLI's concurrency starts (src/core/engine/scheduler.ts INITIAL_CONCURRENCY). */
export const OURS_INITIAL_CONCURRENCY = 8;

const minus = (a, b) => (a === null || b === null ? null : Math.round((a - b) * 10) / 10);

/**
 * One side pushes `set` to every vault in `vaults` at once. Wall time: from before the first spawn to
 * the last exit. Requests: the emulator's log, per vault, added up. CPU: what the side's processes used
 * (the kernel's count for waited-for children) and what the emulator used meanwhile, or null.
 * `diagnostic` (ours only): with --verbose, its SDK log held to errors, to read the concurrency over
 * time from the CLI's own log; such a run is not one of the measured ones.
 */
export async function fleetPush(emu, side, vaults, set, { diagnostic = false } = {}) {
  const urls = vaults.map((v) => emu.info.vaults[v]);
  await emu.configure({ throttle: 'real' }); // a fresh window in every vault (see scenario 3)
  await emu.clearRequests();
  const concurrency = diagnostic ? new lib.ConcurrencyLog() : null;
  const how = diagnostic
    ? { env: { AZURE_LOG_LEVEL: 'error' }, onStderr: (chunk, atMs) => concurrency.feed(chunk, atMs) }
    : {};
  const cpu0 = lib.waitedChildrenCpuMs();
  const emu0 = lib.processCpuMs(emu.pid);
  const started = performance.now();
  let procs;
  if (side === 'ours') {
    const argvs = oursArgvForVaults(urls).map((argv) => (diagnostic ? [...argv, '--verbose'] : argv));
    procs = await Promise.all(argvs.map((argv) => runOurs(emu, null, set, null, argv, how)));
  } else {
    const c = side === 'naive' ? NAIVE_CONCURRENCY : 1;
    procs = await Promise.all(urls.map((url) => runNaive(emu, url, set, c)));
  }
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const emulatorCpuMs = minus(lib.processCpuMs(emu.pid), emu0);
  const cpuMs = minus(lib.waitedChildrenCpuMs(), cpu0);
  const log = await emu.requests();
  const per = vaults.map((v) => analyse(log, v));
  const add = (k) => per.reduce((n, a) => n + a[k], 0);
  const total = (k) => procs.reduce((n, p) => n + p[k], 0);
  const requests = {
    total: add('total'),
    reads: add('reads'),
    writes: add('writes'),
    challenges: add('challenges'),
    throttled: add('throttled'),
    secretsWritten: add('secretsWritten'),
    versionsCreated: add('versionsCreated'),
  };
  return {
    ms,
    processMs: procs.map((p) => p.ms),
    errors: procs.map((p) => p.error).filter(Boolean),
    failed: total('failed'),
    ...(side === 'ours'
      ? { created: total('created'), updated: total('updated'), unchanged: total('unchanged') }
      : { written: total('written'), errorsByStatus: procs.map((p) => p.errors) }),
    requests,
    cpuMs,
    cpuMsPerRequest: lib.cpuPerRequest(cpuMs, requests.total),
    emulatorCpuMs,
    ...(concurrency ? { ramp: lib.rampOf(concurrency.events, OURS_INITIAL_CONCURRENCY) } : {}),
  };
}

/**
 * The process's own start and sign-in at a latency: our CLI pushing one secret that is already there and
 * unchanged (start, token, auth challenge, one read, exit), less the one read's added latency. Also its
 * CPU time (median), which the "what binds" figures take off a push's.
 */
export async function measureStart(emu, latencyMs) {
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
  const cpu = [];
  for (let r = 0; r < START_RUNS; r++) {
    const cpu0 = lib.waitedChildrenCpuMs();
    const run = await runOurs(emu, url, set, null);
    cpu.push(minus(lib.waitedChildrenCpuMs(), cpu0));
    check(
      run.unchanged === 1,
      'fleet',
      `start probe at ${latencyMs} ms: ${run.unchanged}/1 unchanged ${run.error ?? ''}`,
    );
    runs.push(run.ms);
  }
  const s = summarize(runs);
  const cpuMs = cpu.includes(null) ? null : median(cpu);
  return { latencyMs, wallMs: s, startMs: Math.max(0, s.median - latencyMs), cpuMs };
}

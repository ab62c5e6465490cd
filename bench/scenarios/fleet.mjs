// Scenario 4: the fleet at the vault's real speed (bench/README.md, "4. Fleet"): per case, ours with
// its defaults vs the sequential loop vs the naive loop, rotating, each against the floor; the checks
// (results add up, values read back, reruns unchanged, no run of ours below its floor); and, where ours
// is far from the floor, one diagnostic run that shows our concurrency over time.
import { check, makeSecrets, progress, results, startEmu, stopEmu, sum } from '../lib/context.mjs';
import { fleetPush, measureStart } from '../lib/fleet-push.mjs';
import { fleetReport, rampText } from '../lib/fleet-report.mjs';
import { FLEET_VAULTS, NAIVE_CONCURRENCY, RUNS_OF, START_RUNS, fleetCases } from '../lib/options.mjs';
import { lib, runNaive } from '../lib/runners.mjs';
import { fmtMs, fmtTime, median, ratio } from '../lib/stats.mjs';

export async function scenarioFleet() {
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
      const fl = lib.floor({ startMs: start.startMs, newSecretsPerVault: c.secrets, latencyMs: c.latencyMs });
      // The floor must be one: no run of ours that created every secret may finish below it.
      for (const r of lib.runsBelowFloor(sides.ours, fl.floorMs))
        check(
          false,
          'fleet',
          `${c.id} round ${r + 1}: ours took ${fmtMs(sides.ours[r].ms)}, below its floor of ${fmtMs(fl.floorMs)}`,
        );
      // Far from the floor: one more run of ours, not measured, reads its concurrency over time.
      let diagnostic;
      if (median(sides.ours.map((x) => x.ms)) > lib.FAR * fl.floorMs) {
        const set = makeSecrets(`${c.id}-diag`, c.secrets);
        diagnostic = await fleetPush(emu, 'ours', vaults, set, { diagnostic: true });
        progress(
          `  ${c.id} diagnostic run (--verbose, not measured): concurrency ${rampText(diagnostic.ramp, diagnostic.ms)}`,
        );
      }
      const side = (xs) => ({
        wallMs: sum(xs, (x) => x.ms),
        failed: sum(xs, (x) => x.failed),
        requests: sum(xs, (x) => x.requests.total),
        requestsPerSecret: sum(xs, (x) => x.requests.total / (c.secrets * c.vaults)),
        throttled: sum(xs, (x) => x.requests.throttled),
        challenges: sum(xs, (x) => x.requests.challenges),
        cpuMs: sum(xs, (x) => x.cpuMs ?? NaN),
        cpuMsPerRequest: sum(xs, (x) => x.cpuMsPerRequest ?? NaN),
        emulatorCpuMs: sum(xs, (x) => x.emulatorCpuMs ?? NaN),
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
        ...(diagnostic ? { diagnostic } : {}),
      };
      const known = (s) => (Number.isFinite(s.median) ? s.median : null);
      res.binds = lib.whatBinds({
        oursMs: res.ours.wallMs.median,
        floorMs: fl.floorMs,
        startMs: start.startMs,
        latencyMs: c.latencyMs,
        vaults: c.vaults,
        requests: res.ours.requests.median,
        cap: diagnostic ? diagnostic.ramp.max : null,
        oursCpuMs: known(res.ours.cpuMs),
        startCpuMs: start.cpuMs,
        emulatorCpuMs: known(res.ours.emulatorCpuMs),
      });
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

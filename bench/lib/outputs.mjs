// What a fleet run writes besides stdout: the JSON line (the last line of stdout), and from it
// latest.json and the chart (bench/results/ after a full run, build/bench/ otherwise) and, after a
// full run, docs/performance.md's figures block.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { checks, progress, results, round2 } from './context.mjs';
import { caseLabel } from './fleet-report.mjs';
import { FLEET_FULL, NODE_VERSION, PERFORMANCE_DOC, RESULTS_DIR, root } from './options.mjs';
import { lib } from './runners.mjs';

/** The fleet figures as one JSON line (also pretty-printed in latest.json). */
export function fleetJsonLine(totalSeconds) {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  return JSON.stringify({
    bench: 'aml-vault-push fleet',
    date: results.startedAt,
    commit: commit || null,
    node: NODE_VERSION,
    cpus: cpus().length,
    loadAverage: { atStart: results.node.loadAverageAtStart, atEnd: round2(loadavg()[0]) },
    full: FLEET_FULL,
    checksFailed: checks.length,
    totalSeconds: Math.round(totalSeconds),
    start: Object.fromEntries(
      Object.values(results.scenarios.fleet.start).map((s) => [`${s.latencyMs}ms`, Math.round(s.startMs)]),
    ),
    cases: results.scenarios.fleet.figures,
    goals: results.scenarios.fleet.goals.map((g) => ({ ...g, verdict: lib.verdict(g) })),
  });
}

/** bench/results/latest.json, the chart and docs/performance.md's figures block; only after a full fleet run. */
export async function writeFleetOutputs(jsonLine) {
  const fleet = results.scenarios.fleet;
  const dir = FLEET_FULL ? RESULTS_DIR : join(root, 'build/bench');
  mkdirSync(dir, { recursive: true });
  const summary = JSON.parse(jsonLine);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const when = results.startedAt.slice(0, 10);
  const svg = lib.fleetChart(
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
  if (FLEET_FULL) await updatePerformanceDoc(fleet, summary);
  else progress('(a partial fleet run: bench/results/ and docs/performance.md are left as they are)');
}

const DOC_START = '<!-- bench:fleet:start (written by npm run bench; do not edit by hand) -->';
const DOC_END = '<!-- bench:fleet:end -->';

async function updatePerformanceDoc(fleet, summary) {
  const text = readFileSync(PERFORMANCE_DOC, 'utf8');
  const a = text.indexOf(DOC_START);
  const b = text.indexOf(DOC_END);
  if (a < 0 || b < a) {
    progress(`docs/performance.md has no ${DOC_START} … ${DOC_END} block: not updated`);
    return;
  }
  const s = (ms) => lib.fmtSeconds(ms);
  // Ratios from the unrounded figures, as on stdout (the JSON keeps 3 decimals).
  const x = (r) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
  const rows = fleet.cases.map((c) => {
    const f = summary.cases.find((y) => y.id === c.id);
    return `| ${caseLabel(c)} | ${s(c.floor.floorMs)} | ${s(f.oursMs)} | ${x(c.ratios.oursToFloor)} | ${s(f.sequentialMs)}${
      f.sequentialFailed ? ` (${f.sequentialFailed} failed)` : ''
    } | ${x(c.ratios.oursToSequential)} | ${c.ours.requestsPerSecret.median.toFixed(2)} | ${f.oursThrottled} | ${f.oursFailed} |`;
  });
  const goals = summary.goals.map((g) => `| ${g.goal} | ${g.target} | ${g.figure} | ${lib.verdict(g)} |`);
  const far = summary.cases.filter((f) => f.binds);
  const ms = (x) => (x === null ? 'n/a' : `${x} ms`);
  const perRequest = (x) => (x === null ? 'n/a' : `${x.toFixed(2)} ms`);
  const binds = far.map(
    (f) =>
      `| ${caseLabel(f)} | ${f.oursToFloor.toFixed(2)}× | ${f.binds.what}${f.binds.share === null ? '' : ` (${Math.round(f.binds.share * 100)} %)`} | ${ms(f.binds.aboveStartMs)} | ${ms(f.binds.capMs)} | ` +
      `${ms(f.binds.oursCpuMs)} | ${ms(f.binds.emulatorCpuMs)} | ${perRequest(f.oursCpuMsPerRequest)} / ${perRequest(f.naiveCpuMsPerRequest)} | ${f.binds.concurrency ?? 'n/a'} |`,
  );
  const block = [
    DOC_START,
    '',
    `![Fleet benchmark: our time, the floor and the sequential loop per case](../bench/results/fleet.svg)`,
    '',
    `From the last full \`npm run bench\` (${summary.date.slice(0, 16).replace('T', ' ')} UTC, commit ${summary.commit}, ` +
      `Node ${summary.node}, ${summary.cpus} CPUs shared with other work (load average ${summary.loadAverage.atStart} at start, ` +
      `${summary.loadAverage.atEnd} at the end), emulator on loopback, all at \`--throttle real\`), medians; ` +
      'figures in [bench/results/latest.json](../bench/results/latest.json). Ratios below 1 mean ours took less time; ' +
      '"Failed" counts our failed secrets over every run of the case.',
    '',
    '| Case | Floor | Ours | Ours ÷ floor | Sequential loop | Ours ÷ sequential | Requests / secret | 429s | Failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(far.length === 0
      ? []
      : [
          `Where ours is above ${lib.FAR}× its floor, what binds: "cap needs" is our requests per vault × latency ÷ the ` +
            "highest concurrency our CLI reached (a diagnostic run's own log); CPU is each process's CPU time, our CLI's " +
            "less its start's; CPU per request is each process's CPU time ÷ its requests (ours / the naive loop's).",
          '',
          '| Case | Ours ÷ floor | Binds | Above start | Cap needs | Our CPU beyond start | Emulator CPU | CPU / request: ours / naive | Concurrency |',
          '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
          ...binds,
          '',
        ]),
    '| Goal | Target | Figure | Result |',
    '| --- | --- | --- | --- |',
    ...goals,
    '',
    DOC_END,
  ].join('\n');
  const next = text.slice(0, a) + block + text.slice(b + DOC_END.length);
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(PERFORMANCE_DOC)) ?? {};
  writeFileSync(PERFORMANCE_DOC, await prettier.format(next, { ...options, filepath: PERFORMANCE_DOC }));
  progress('docs/performance.md: figures block updated');
}

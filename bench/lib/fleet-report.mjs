// The fleet scenario's report: the figures per case (for the goals, the JSON line, the results file
// and the chart) and the text tables on stdout: times against the floor, requests, CPU per request,
// what binds where ours is far from its floor, and the goals.
import { NAIVE_CONCURRENCY } from './options.mjs';
import { lib } from './runners.mjs';
import { fmtCount, fmtMs, fmtRatio, fmtTime, ratio, table } from './stats.mjs';

export const caseLabel = (c) =>
  `${c.vaults > 1 ? `${c.vaults} vaults × ` : ''}${c.secrets.toLocaleString('en-US')} new · ${c.latencyMs} ms`;

/** The figures the goals, the JSON line, the results file and the chart are made of. */
export function fleetFigures(out) {
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
    oursCpuMsPerRequest: round3(c.ours.cpuMsPerRequest.median),
    sequentialCpuMsPerRequest: round3(c.sequential.cpuMsPerRequest.median),
    naiveCpuMsPerRequest: round3(c.naive.cpuMsPerRequest.median),
    ...(c.binds.far ? { binds: bindsFigures(c) } : {}),
  }));
}

const round0 = (x) => (x === null || !Number.isFinite(x) ? null : Math.round(x));

/** Where ours is far from the floor: what binds, and the figures it is judged on (ms). */
function bindsFigures(c) {
  const b = c.binds;
  const ramp = c.diagnostic?.ramp;
  return {
    what: b.binds,
    aboveStartMs: round0(b.aboveStartMs),
    capMs: round0(b.capMs),
    oursCpuMs: round0(b.cpuMs),
    emulatorCpuMs: round0(b.emulatorCpuMs),
    share: b.share === null ? null : Math.round(b.share * 100) / 100,
    concurrency: ramp ? rampText(ramp, c.diagnostic.ms) : null,
  };
}

/** "8 → 32 from 330 to 486 ms of a 1237 ms run" (from the spawn; the diagnostic run's own log). */
export function rampText(r, runMs) {
  const span = r.maxAtMs === null ? ' (never raised)' : ` from ${fmtMs(r.firstAtMs)} to ${fmtMs(r.maxAtMs)}`;
  return `${r.from} → ${r.max}${span} of a ${fmtMs(runMs)} run${r.lowered ? `, lowered ${r.lowered}×` : ''}`;
}

/** "concurrency cap (78 % of the time above the start)" */
export const bindsText = (b) => `${b.binds}${b.share === null ? '' : ` (${Math.round(b.share * 100)} %)`}`;

const ms1 = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(2)} ms`);
const msOrNa = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : fmtMs(x));

/** The lines that say, per case far from its floor, what binds (bench/README.md, "What binds"). */
function bindsLines(out) {
  const far = out.cases.filter((c) => c.binds.far);
  if (far.length === 0) return [`Every case within ${lib.FAR}× its floor.`];
  return [
    `Where ours is above ${lib.FAR}× its floor, what binds (measured in this run; cap = our requests per vault × latency ÷ ` +
      "the highest concurrency our CLI reached; CPU beyond the start = our CPU − the start probe's):",
    table(
      [
        'case',
        'ours ÷ floor',
        'above start',
        'cap needs',
        'our CPU beyond start',
        'emulator CPU',
        'concurrency (diagnostic run)',
        'binds',
      ],
      far.map((c) => {
        const r = c.diagnostic?.ramp;
        return [
          caseLabel(c),
          `${c.ratios.oursToFloor.toFixed(2)}×`,
          fmtMs(c.binds.aboveStartMs),
          msOrNa(c.binds.capMs),
          msOrNa(c.binds.cpuMs),
          msOrNa(c.binds.emulatorCpuMs),
          r ? rampText(r, c.diagnostic.ms) : 'n/a',
          bindsText(c.binds),
        ];
      }),
    ),
  ];
}

/** "2.03" or "2.03 [2.01–2.05]" */
const fmtPerSecret = (s) =>
  s.min === s.max ? s.median.toFixed(2) : `${s.median.toFixed(2)} [${s.min.toFixed(2)}–${s.max.toFixed(2)}]`;

export const round3 = (x) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

export function fleetReport(out) {
  const figures = fleetFigures(out);
  const goals = lib.evaluateGoals(figures);
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
    "Client CPU per request (each process's CPU time, start and sign-in included, ÷ the requests the vaults saw from it):",
    table(
      ['case', 'ours', 'sequential', `naive (${NAIVE_CONCURRENCY})`, 'ours ÷ naive'],
      out.cases.map((c) => [
        caseLabel(c),
        ms1(c.ours.cpuMsPerRequest.median),
        ms1(c.sequential.cpuMsPerRequest.median),
        ms1(c.naive.cpuMsPerRequest.median),
        fmtRatio(ratio(c.ours.cpuMsPerRequest.median, c.naive.cpuMsPerRequest.median)),
      ]),
    ),
    '',
    ...bindsLines(out),
    '',
    'Goals (reached or not; a miss does not fail the bench):',
    table(
      ['', 'goal', 'target', 'figure'],
      goals.map((g) => [lib.verdict(g), g.goal, g.target, g.figure]),
    ),
  ];
  return lines.join('\n');
}

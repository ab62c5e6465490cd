// Scenario 3: throttling at the real limits: 400 new secrets, concurrency 32 on both sides; ours keeps
// within the vault's budget, the naive loop's SDK does not retry a 429 without Retry-After.
import { check, makeSecrets, progress, results, startEmu, stopEmu, sum } from '../lib/context.mjs';
import { RUNS_OF } from '../lib/options.mjs';
import { measured, runNaive, runOurs } from '../lib/runners.mjs';
import { fmtCount, fmtMs, fmtRatio, fmtTime, ratio, table } from '../lib/stats.mjs';

export async function scenarioThrottle() {
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

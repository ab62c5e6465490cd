// Progress reports: none before the interval, then one per interval with done/total per target, rate and retries.
// Time is a plain counter: nothing sleeps.
import { Progress, progressBar, type ProgressReport } from '../../../src/core/engine/progress.js';

function setup() {
  let now = 1_000_000;
  const reports: ProgressReport[] = [];
  let finished = 0;
  const progress = new Progress(
    [
      { name: 'kv1', total: 10 },
      { name: 'kv2', total: 10 },
    ],
    { report: (r) => reports.push(r), finish: () => finished++ },
    { now: () => now },
    5_000,
  );
  return { progress, reports, advance: (ms: number) => (now += ms), finished: () => finished };
}

it('reports nothing in a short run, and finishes without a report', () => {
  const { progress, reports, advance, finished } = setup();
  progress.done('kv1');
  advance(4_999);
  expect(progress.tick()).toBe(false);
  progress.finish();
  expect(reports).toEqual([]);
  expect(finished()).toBe(0);
});

it('reports every interval: done of total, per target, rate and retries', () => {
  const { progress, reports, advance, finished } = setup();
  for (let i = 0; i < 6; i++) progress.done('kv1');
  for (let i = 0; i < 4; i++) progress.done('kv2');
  progress.retry('kv2');
  advance(5_000);
  expect(progress.tick()).toBe(true);
  expect(reports[0]).toEqual({
    title: 'Progress: 10/20 secrets done in 2 targets, 2.0/s, 1 retry, 5 s',
    details: ['kv1: 6/10, 0 retries', 'kv2: 4/10, 1 retry'],
    fraction: 0.5,
  });
  // The next report waits a whole interval, and its rate counts only what happened since the last one.
  advance(2_000);
  expect(progress.tick()).toBe(false);
  for (let i = 0; i < 5; i++) progress.done('kv1');
  advance(3_000);
  expect(progress.tick()).toBe(true);
  expect(reports[1]!.title).toBe('Progress: 14/20 secrets done in 2 targets, 0.8/s, 1 retry, 10 s');
  expect(reports[1]!.details[0]).toBe('kv1: 10/10, 0 retries');
  progress.finish();
  expect(finished()).toBe(1);
});

it('draws a bar', () => {
  expect(progressBar(0)).toBe('[--------------------]   0%');
  expect(progressBar(0.5)).toBe('[##########----------]  50%');
  expect(progressBar(1)).toBe('[####################] 100%');
});

#!/usr/bin/env node
// npm run reliability [-- --small | --full] [--seed N] [--only ID,ID]
//
// Runs the reliability scenarios (reliability/scenarios/*.rel.ts, through jest with the test
// setup) against the committed bundles in dist/ and the emulator, then writes docs/RELIABILITY.md
// from the figures they saved. Exits non-zero when a scenario failed or any figure shows a leak, a
// lost or wrong secret, or an accepted bad input. --small (the default; what CI runs) is
// seed-fixed and sized to finish in under 3 minutes; --full is the run by hand.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    small: { type: 'boolean' },
    full: { type: 'boolean' },
    seed: { type: 'string' },
    only: { type: 'string' },
    'no-doc': { type: 'boolean' },
  },
});
if (values.small && values.full) {
  console.error('reliability: choose --small or --full, not both');
  process.exit(2);
}
const mode = values.full ? 'full' : 'small';
const seed = values.seed ?? '20261201';
if (!/^\d+$/.test(seed)) {
  console.error(`reliability: --seed takes an integer, not "${seed}"`);
  process.exit(2);
}
const out = join(root, 'build', 'reliability');
// --only reruns some scenarios and keeps the others' last figures (each row says its own mode and time).
if (values.only) for (const id of values.only.split(',')) rmSync(join(out, `${id.trim()}.json`), { force: true });
else rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const started = Date.now();
const jestArgs = [join(root, 'node_modules/jest/bin/jest.js'), '--config', 'reliability/jest.config.js', '--runInBand'];
if (values.only) jestArgs.push(...values.only.split(',').map((id) => `reliability/scenarios/${id.trim()}.rel.ts`));
const jest = spawnSync(process.execPath, jestArgs, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RELIABILITY_MODE: mode, RELIABILITY_SEED: seed, RELIABILITY_OUT: out },
});
const seconds = Math.round((Date.now() - started) / 1000);

const results = existsSync(out)
  ? readdirSync(out)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')))
      .sort((a, b) => (a.order ?? 99) - (b.order ?? 99) || a.id.localeCompare(b.id))
  : [];

const violations = results.flatMap((r) => [
  ...(r.leaks ? [`${r.id}: ${r.leaks} leak(s)`] : []),
  ...(r.lost ? [`${r.id}: ${r.lost} secret(s) lost`] : []),
  ...(r.wrong ? [`${r.id}: ${r.wrong} wrong value(s)`] : []),
  ...(r.badInputsAccepted ? [`${r.id}: ${r.badInputsAccepted} bad input(s) accepted`] : []),
]);
const passed = jest.status === 0 && violations.length === 0 && results.length > 0;

if (!values['no-doc']) writeDoc();

console.log(`\nreliability (${mode}, seed ${seed}): ${results.length} scenario(s) in ${seconds} s`);
for (const r of results)
  console.log(
    `  ${r.id}: ${r.cases} ${r.unit}, ${r.values} values, leaks ${r.leaks}, lost ${r.lost}, wrong ${r.wrong}, ` +
      `bad inputs rejected ${r.badInputsRejected}/${r.badInputsRejected + r.badInputsAccepted}, faults survived ${r.faultsSurvived}` +
      (r.stopMs === null ? '' : `, stop ${(r.stopMs / 1000).toFixed(1)} s`),
  );
for (const v of violations) console.log(`  VIOLATION ${v}`);
if (jest.status !== 0) console.log(`  jest exited ${jest.status}: a scenario's assertions failed (see above)`);
console.log(passed ? 'reliability: PASSED' : 'reliability: FAILED');
process.exit(passed ? 0 : 1);

function writeDoc() {
  const header = readFileSync(join(root, 'reliability', 'HEADER.md'), 'utf8').trimEnd();
  const version = (bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  // The machine's Node (20, as the test harness picks it) and the npm package's (24).
  const machine = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d && !d.includes('node_modules'))
    .map((d) => join(d, 'node'))
    .find((p) => existsSync(p));
  const runtimes = [machine && version(machine), version(join(root, 'node_modules/node/bin/node'))].filter(Boolean);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const lines = [
    header,
    '',
    '## The last run',
    '',
    `${mode === 'full' ? 'Full' : 'Small'} configuration, seed ${seed}, ${results.length} scenarios, ${seconds} s, ` +
      `commit ${commit || 'unknown'} (plus any uncommitted changes), ${new Date(started).toISOString().slice(0, 10)}, ` +
      (values.only
        ? `rerunning ${values.only} (the other rows are from the run before, as the Run column says), `
        : '') +
      `bundles run on Node ${runtimes.join(' and ')}. Result: **${passed ? 'passed' : 'FAILED'}**.`,
    '',
    '| Scenario | Run | Cases | Values | Leaks | Lost | Wrong | Bad inputs rejected with zero requests | Faults survived (faults injected) | Time to stop |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| [${r.title}](#${r.id}) | ${r.mode}, ${Math.round(r.durationMs / 1000)} s | ${r.cases} ${r.unit} | ${r.values} | ${r.leaks} | ${r.lost} | ${r.wrong} | ` +
        `${r.badInputsRejected + r.badInputsAccepted ? `${r.badInputsRejected} of ${r.badInputsRejected + r.badInputsAccepted}` : '—'} | ` +
        `${r.faultsSurvived || r.faultsInjected ? `${r.faultsSurvived} runs (${r.faultsInjected})` : '—'} | ` +
        `${r.stopMs === null ? '—' : `${(r.stopMs / 1000).toFixed(1)} s`} |`,
    ),
    '',
    ...(violations.length ? ['Violations:', '', ...violations.map((v) => `- ${v}`), ''] : []),
    ...(jest.status !== 0 ? ['Some scenario assertions failed; the notes below say which.', ''] : []),
    ...results.flatMap((r) => [
      `### ${r.title}`,
      '',
      `<a id="${r.id}"></a>${r.meaning}`,
      '',
      ...(r.notes.length
        ? [
            ...r.notes.slice(0, 40).map((n) => `- ${n}`),
            ...(r.notes.length > 40 ? [`- … ${r.notes.length - 40} more`] : []),
          ]
        : ['- Nothing to note.']),
      '',
    ]),
  ];
  writeFileSync(join(root, 'docs', 'RELIABILITY.md'), `${lines.join('\n')}\n`);
  spawnSync(join(root, 'node_modules/.bin/prettier'), ['--write', 'docs/RELIABILITY.md'], {
    cwd: root,
    stdio: 'ignore',
  });
}

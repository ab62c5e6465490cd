// What ships is what we tested: the bundles the scenarios ran are the product and nothing else.
import { join } from 'node:path';
import { checkShipped } from '../../test/helpers/ships.js';
import { scenario } from '../lib/figures.js';

const S = scenario(
  'ships',
  'What ships is what we tested',
  'dist/ holds the three bundles the other scenarios ran (GitHub, Azure DevOps, CLI) and their third-party notices, nothing else: no source map, no map URL, and no module of the emulator, the tests, this suite or a development tool (esbuild names every bundled module; the check reads those names and a few markers only our test code has). A problem found counts as a leak: test or emulator code in a shipped bundle is code nobody meant to ship.',
  'bundles',
  90,
);

afterAll(() => S.save());

test('the shipped bundles hold the product and its dependencies only', () => {
  const report = checkShipped(join(__dirname, '..', '..'));
  S.fig.cases = Object.keys(report.modules).length;
  S.fig.leaks = report.problems.length;
  for (const [bundle, counts] of Object.entries(report.modules))
    S.note(`${bundle}: ${counts.src ?? 0} modules of src/, ${counts.node_modules ?? 0} of dependencies`);
  for (const p of report.problems) S.note(p);
  expect(report.problems).toEqual([]);
});

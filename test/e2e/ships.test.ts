// What ships is what we tested (test/helpers/ships.ts): dist/ holds the three bundles and nothing
// else, and each holds product code and its dependencies only.
import { join } from 'node:path';
import { checkShipped, SHIPPED_BUNDLES } from '../helpers/ships.js';

const root = join(__dirname, '../..');

test('dist/ holds exactly the shipped bundles: no source maps, no test, emulator or suite code', () => {
  const report = checkShipped(root);
  expect(report.files.sort()).toEqual([...SHIPPED_BUNDLES].sort());
  expect(report.problems).toEqual([]);
  for (const bundle of SHIPPED_BUNDLES)
    expect(Object.keys(report.modules[bundle]!).sort()).toEqual(['node_modules', 'src']);
});

test('the check sees what it must refuse', () => {
  // The same reader over a fake bundle: a module of the emulator, a test file and a source map URL.
  const { problems } = checkShipped(join(__dirname, 'fixtures'), 'bad-bundles');
  expect(problems.join('\n')).toMatch(/bundles emulator\/server\.ts/);
  expect(problems.join('\n')).toMatch(/sourceMappingURL/);
  expect(problems.join('\n')).toMatch(/a source map/);
  expect(problems.join('\n')).toMatch(/bundles the tool package fast-check/);
});

// What ships is what we tested (test/helpers/ships.ts): dist/ holds the three bundles and nothing
// else, and each holds product code and its dependencies only.
import { join } from 'node:path';
import { checkShipped, SHIPPED_BUNDLES } from '../helpers/ships.js';

const root = join(__dirname, '../..');

test('dist/ holds the shipped bundles (and their notices) only: no source maps, no test, emulator or suite code', () => {
  const report = checkShipped(root);
  expect(report.files).toEqual(expect.arrayContaining(SHIPPED_BUNDLES));
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
  expect(problems.join('\n')).toMatch(/stray\.txt: neither a shipped bundle nor its notices/);
  expect(problems.join('\n')).not.toMatch(/THIRD_PARTY_NOTICES/);
});

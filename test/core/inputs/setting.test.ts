// An input set to a value, as each platform writes it: YAML on GitHub and Azure DevOps, a flag on the command line
// (where a boolean is on by being there, never `--allow-empty: true`).
import { labeller, setting } from '../../../src/core/inputs/inputs.js';

it.each([
  ['github', 'allow-empty', 'true', 'allow-empty: true'],
  ['azdo', 'allow-empty', 'true', 'allowEmpty: true'],
  ['cli', 'allow-empty', 'true', '--allow-empty'],
  ['cli', 'adopt-unowned', 'true', '--adopt-unowned'],
  ['github', 'on-deleted', 'recover', 'on-deleted: recover'],
  ['azdo', 'on-deleted', 'purge', 'onDeleted: purge'],
  ['cli', 'on-deleted', 'recover', '--on-deleted recover'],
] as const)('%s: %s %s → %s', (platform, key, value, words) => {
  expect(setting(labeller(platform), key, value)).toBe(words);
});

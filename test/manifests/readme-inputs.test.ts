// The README's inputs: one short line each, under the task's groups in task.json's order; the whole of each input
// is in docs/inputs.md, which the README's names link to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_INPUTS,
  AZDO_GROUPS,
  inputLabel,
  isOn,
  PLATFORMS,
  type AnyInputKey,
} from '../../src/core/inputs/inputs.js';
import { summary } from '../../src/manifests/render-docs.js';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const doc = readFileSync(join(root, 'docs/inputs.md'), 'utf8');
const table = readme.slice(readme.indexOf('<!-- generated:inputs'), readme.indexOf('<!-- /generated:inputs -->'));
const keys = Object.keys(ALL_INPUTS) as AnyInputKey[];
const home = (k: AnyInputKey) =>
  inputLabel(
    k,
    PLATFORMS.find((p) => isOn(ALL_INPUTS[k], p))!,
  );

it("lists every input once, under the task's groups in their order, each linked to docs/inputs.md", () => {
  const rows = [...table.matchAll(/^\| \[`([^`]+)`\]\(docs\/inputs\.md#([a-z0-9-]+)\)/gm)];
  expect(rows.map((r) => r[1]).sort()).toEqual(keys.map(home).sort());
  for (const [, name, anchor] of rows) {
    expect(doc).toContain(`### ${name}`);
    expect(anchor).toBe(name!.toLowerCase());
  }
  const titles = [...table.matchAll(/^\*\*(.+)\*\*$/gm)].map((m) => m[1]);
  expect(titles.slice(0, AZDO_GROUPS.length)).toEqual(AZDO_GROUPS.map((g) => g.displayName));
});

it('keeps each line short: no cell of the table is a whole description', () => {
  const widest = Math.max(...table.split('\n').map((l) => l.length));
  expect(widest).toBeLessThan(260); // it was 759 with every description whole
});

it('shortens a long first sentence at its first clause, never inside code', () => {
  expect(summary('Short one. Second.')).toBe('Short one.');
  const long = `How a variable becomes a name: \`a: b\` ${'and more '.repeat(12)}.`;
  expect(summary(long)).toBe('How a variable becomes a name.');
  expect(summary(`With \`x: y\` set ${'word '.repeat(25)}(a note).`)).toBe(
    `With \`x: y\` set ${'word '.repeat(24)}word.`,
  );
});

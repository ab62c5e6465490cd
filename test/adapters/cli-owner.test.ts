// The CLI's owner: the GitHub repository of the checkout, else cli/USER@HOST; --owner checked like every input.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOwner } from '../../src/adapters/cli/owner.js';

it('in a GitHub checkout, the repository as the GitHub Action names it', () => {
  const root = mkdtempSync(join(tmpdir(), 'aml-owner-'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git/config'), '[remote "origin"]\n\turl = git@github.com:contoso/train.git\n');
  expect(cliOwner(undefined, root)).toEqual({ id: 'github.com/contoso/train' });
});

it('elsewhere, cli/USER@HOST', () => {
  expect(cliOwner(undefined, mkdtempSync(join(tmpdir(), 'aml-owner-'))).id).toMatch(/^cli\/.+@.+$/);
});

it.each(['github.com/contoso/train', 'dev.azure.com/contoso/ml/train pipeline', 'dev/laptop'])('--owner %s', (id) => {
  expect(cliOwner(id, tmpdir())).toEqual({ id });
});

it.each([
  ['empty', ''],
  ['a scope separator', 'github.com/contoso/train#prod'],
  ['a line break', 'github.com/contoso\ntrain'],
  ['a value pasted by mistake', 'p@ss=w0rd!secret-looking-value'],
  ['too long', 'x'.repeat(201)],
])('--owner refused (%s), never repeated', (_title, id) => {
  const owner = cliOwner(id, tmpdir());
  expect(owner.problem).toMatch(/^--owner: is not an owner id \(.*\); it is not shown$/);
  if (id) expect(owner.problem).not.toContain(id);
});

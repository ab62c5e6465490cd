// The repository is named once (package.json "repository"); every place a user copies it from
// (the README's `uses:` lines, the Marketplace page, the workflows) names the same one, and no
// placeholder is left.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository: { url: string } };
const REPO = 'https://github.com/aml-vault-push/aml-vault-push';
const SLUG = 'aml-vault-push/aml-vault-push';

it('package.json names the repository', () => {
  expect(pkg.repository.url).toBe(`git+${REPO}.git`);
});

it("the README's `uses:` lines name the repository at the major tag", () => {
  const uses = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/uses: ([^\s`]+)/g)].map((m) => m[1]);
  expect(uses.length).toBeGreaterThan(0);
  expect(uses.filter((u) => !u!.startsWith('actions/') && u !== `${SLUG}@v0`)).toEqual([]);
});

it('the Marketplace page links only to the repository on GitHub', () => {
  const links = [
    ...readFileSync(join(root, 'marketplace/overview.md'), 'utf8').matchAll(/https:\/\/github\.com\/\S+/g),
  ];
  expect(links.length).toBeGreaterThan(0);
  expect(links.map((m) => m[0]).filter((l) => !l.startsWith(`${REPO}#`) && !l.startsWith(`${REPO}/`))).toEqual([]);
});

it('no placeholder organization is left in any tracked file', () => {
  const r = spawnSync(
    'git',
    ['grep', '-n', '-i', '-e', 'your-org', '-e', 'YOUR_ORG', '--', ':!test/manifests/repository.test.ts'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  // git grep: 1 = no match, 0 = matches (printed), anything else = it could not search.
  expect({ status: r.status, matches: r.stdout }).toEqual({ status: 1, matches: '' });
});

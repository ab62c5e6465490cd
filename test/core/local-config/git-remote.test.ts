// The GitHub repository of a checkout, from .git/config and nothing else, named as the GitHub Action names its owner.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutOwner, githubOwnerOfRemote, remoteUrl } from '../../../src/core/local-config/git-remote.js';

describe('githubOwnerOfRemote: every form of a GitHub remote, named github.com/ORG/REPO', () => {
  it.each([
    ['https://github.com/contoso/train.git', 'github.com/contoso/train'],
    ['https://github.com/contoso/train', 'github.com/contoso/train'],
    ['https://github.com/contoso/train/', 'github.com/contoso/train'],
    ['https://user@github.com/contoso/train.git', 'github.com/contoso/train'],
    ['http://github.com/contoso/train.git', 'github.com/contoso/train'],
    ['git@github.com:contoso/train.git', 'github.com/contoso/train'],
    ['git@github.com:contoso/train', 'github.com/contoso/train'],
    ['github.com:contoso/train.git', 'github.com/contoso/train'],
    ['ssh://git@github.com/contoso/train.git', 'github.com/contoso/train'],
    ['ssh://git@github.com:22/contoso/train', 'github.com/contoso/train'],
    ['ssh://git@ssh.github.com:443/contoso/train.git', 'github.com/contoso/train'],
    ['git+ssh://git@github.com/contoso/train.git', 'github.com/contoso/train'],
    ['git://github.com/contoso/train.git', 'github.com/contoso/train'],
    ['git@github.com-work:contoso/train.git', 'github.com/contoso/train'],
    ['  https://github.com/Contoso/My.Repo_1.git  ', 'github.com/Contoso/My.Repo_1'],
    ['https://GitHub.com/contoso/train', 'github.com/contoso/train'],
    ['git@contoso.ghe.com:contoso/train.git', 'contoso.ghe.com/contoso/train'],
    ['https://github.example.com/platform/train.git', 'github.example.com/platform/train'],
  ])('%s → %s', (url, owner) => {
    expect(githubOwnerOfRemote(url)).toBe(owner);
  });

  it.each([
    ['GitLab', 'git@gitlab.com:contoso/train.git'],
    ['Azure Repos', 'https://dev.azure.com/contoso/ml/_git/train'],
    ['a bare server', 'ssh://git@git.example.com/srv/train.git'],
    ['a path of three segments', 'https://github.com/contoso/train/extra'],
    ['one segment', 'https://github.com/contoso'],
    ['a local path', '/srv/git/train.git'],
    ['a file URL', 'file:///srv/git/train.git'],
    ['an account that GitHub cannot have', 'https://github.com/-bad/train'],
    ['dot-dot', 'https://github.com/contoso/..'],
    ['empty', ''],
  ])('%s is not a GitHub repository', (_title, url) => {
    expect(githubOwnerOfRemote(url)).toBeUndefined();
  });
});

describe('remoteUrl: origin, else the first remote', () => {
  it('origin wins wherever it is', () => {
    const config = [
      '[core]',
      '\trepositoryformatversion = 0',
      '[remote "upstream"]',
      '\turl = git@github.com:upstream/train.git',
      '[remote "origin"]',
      '\turl = https://github.com/contoso/train.git',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    ].join('\n');
    expect(remoteUrl(config)).toBe('https://github.com/contoso/train.git');
  });

  it('without origin, the first remote; quoted values and comments as git reads them', () => {
    const config = '[Remote "fork"]\n  URL = "git@github.com:me/train.git" ; mine\n[remote "other"]\nurl = x\n';
    expect(remoteUrl(config)).toBe('git@github.com:me/train.git');
  });

  it('no remote', () => {
    expect(remoteUrl('[core]\n\tbare = false\n')).toBeUndefined();
  });
});

describe('checkoutOwner: the nearest .git upward', () => {
  const config = (url: string) => `[remote "origin"]\n\turl = ${url}\n`;

  it('from a subdirectory of a checkout', () => {
    const root = mkdtempSync(join(tmpdir(), 'aml-git-'));
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git/config'), config('git@github.com:contoso/train.git'));
    mkdirSync(join(root, 'src/train'), { recursive: true });
    expect(checkoutOwner(join(root, 'src/train'))).toBe('github.com/contoso/train');
  });

  it('a worktree: .git is a file, its config is the common directory’s', () => {
    const root = mkdtempSync(join(tmpdir(), 'aml-git-'));
    mkdirSync(join(root, 'main/.git/worktrees/feature'), { recursive: true });
    writeFileSync(join(root, 'main/.git/config'), config('https://github.com/contoso/train'));
    writeFileSync(join(root, 'main/.git/worktrees/feature/commondir'), '../..\n');
    mkdirSync(join(root, 'feature'));
    writeFileSync(join(root, 'feature/.git'), 'gitdir: ../main/.git/worktrees/feature\n');
    expect(checkoutOwner(join(root, 'feature'))).toBe('github.com/contoso/train');
  });

  it('a submodule: .git is a file pointing to its own git directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'aml-git-'));
    mkdirSync(join(root, '.git/modules/lib'), { recursive: true });
    writeFileSync(join(root, '.git/modules/lib/config'), config('git@github.com:contoso/lib.git'));
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib/.git'), `gitdir: ${join(root, '.git/modules/lib')}\n`);
    expect(checkoutOwner(join(root, 'lib'))).toBe('github.com/contoso/lib');
  });

  it('a checkout of another host, or no checkout: none', () => {
    const root = mkdtempSync(join(tmpdir(), 'aml-git-'));
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git/config'), config('git@gitlab.com:contoso/train.git'));
    expect(checkoutOwner(root)).toBeUndefined();
    expect(checkoutOwner(mkdtempSync(join(tmpdir(), 'aml-nogit-')))).toBeUndefined();
  });
});

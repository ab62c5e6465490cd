// The GitHub repository of a git checkout, named as the GitHub Action names its owner (`github.com/ORG/REPO`), so
// that a secret pushed from a laptop and the repository's pipeline have one owner. Reads .git/config directly (no
// git process): the remote `origin`, else the first remote. Pure parsing, plus a search upward for `.git` (a
// directory, or a file `gitdir: …` in a worktree or submodule, whose config is in the common directory).
//
// Hosts: github.com (and ssh.github.com, and ssh-config aliases `github.com-NAME`), GitHub Enterprise Cloud with data
// residency (`NAME.ghe.com`) and GitHub Enterprise Server hosts whose first label is `github` (github.example.com),
// named by their host as GITHUB_SERVER_URL names them. Any other host (GitLab, Azure Repos, a bare server) is not
// GitHub: no repository owner.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** `ORG/REPO` as GitHub allows them: an account of letters, digits and -; a repository of those and . _ */
const ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** The owner id for a remote URL: `HOST/ORG/REPO`, or undefined when it is not a GitHub repository. */
export function githubOwnerOfRemote(url: string): string | undefined {
  const parts = hostAndPath(url.trim());
  if (parts === undefined) return undefined;
  const host = githubHost(parts.host.toLowerCase());
  if (host === undefined) return undefined;
  const segments = parts.path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .split('/');
  if (segments.length !== 2) return undefined;
  const [org, repo] = segments as [string, string];
  return ORG.test(org) && REPO.test(repo) && repo !== '.' && repo !== '..' ? `${host}/${org}/${repo}` : undefined;
}

/** https://, http://, ssh://, git://, git+ssh:// URLs, and scp-like `[user@]host:path`. */
function hostAndPath(url: string): { host: string; path: string } | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    if (!/^(https?|ssh|git|git\+ssh|ssh\+git)$/i.test(scheme[1]!)) return undefined;
    try {
      const u = new URL(url.replace(/^(git\+ssh|ssh\+git):/i, 'ssh:'));
      return { host: u.hostname, path: decodeURIComponent(u.pathname) };
    } catch {
      return undefined;
    }
  }
  const scp = /^(?:[^@/:]+@)?([^@/:]+):(?!\/\/)(.+)$/.exec(url);
  return scp ? { host: scp[1]!, path: scp[2]! } : undefined;
}

function githubHost(host: string): string | undefined {
  if (host === 'github.com' || host === 'ssh.github.com' || /^github\.com-[a-z0-9._-]+$/.test(host))
    return 'github.com';
  if (/^[a-z0-9-]+\.ghe\.com$/.test(host)) return host;
  if (/^github\.[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) return host;
  return undefined;
}

/** The URL of remote `origin`, else of the first remote with a URL, in a git config file's text. */
export function remoteUrl(configText: string): string | undefined {
  const urls: Array<[string, string]> = [];
  let remote: string | undefined;
  for (const raw of configText.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      remote = section[1]!.toLowerCase() === 'remote' ? (section[2] ?? '').replace(/\\(.)/g, '$1') : undefined;
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (remote !== undefined && entry && entry[1]!.toLowerCase() === 'url' && !urls.some(([r]) => r === remote))
      urls.push([remote, unquote(entry[2]!)]);
  }
  return (urls.find(([r]) => r === 'origin') ?? urls[0])?.[1];
}

/** A git config value: quotes removed, an unquoted trailing comment dropped. */
function unquote(value: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < value.length) out += value[++i];
    else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}

/**
 * The config file of the checkout holding `dir`: the nearest `.git` upward. A `.git` file (a worktree or submodule)
 * points to its git directory; a worktree's shares the common directory's config (named in its `commondir`).
 */
export function gitConfigFile(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const dotGit = join(current, '.git');
    const gitDir = gitDirOf(dotGit);
    if (gitDir !== undefined) {
      const common = join(gitDir, 'commondir');
      const base = existsSync(common) ? resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
      const config = join(base, 'config');
      return existsSync(config) ? config : undefined;
    }
    if (dirname(current) === current) return undefined;
  }
}

function gitDirOf(dotGit: string): string | undefined {
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (pointer === undefined) return undefined;
    return isAbsolute(pointer) ? pointer : resolve(dirname(dotGit), pointer);
  } catch {
    return undefined;
  }
}

/** The owner of the GitHub repository checked out at (or above) `dir`, or undefined. Never throws. */
export function checkoutOwner(dir: string): string | undefined {
  try {
    const file = gitConfigFile(dir);
    const url = file === undefined ? undefined : remoteUrl(readFileSync(file, 'utf8'));
    return url === undefined ? undefined : githubOwnerOfRemote(url);
  } catch {
    return undefined;
  }
}

// The CLI as npm users get it: `npm pack` the repository, install the tarball globally into a
// temporary prefix with an empty cache and --offline (so it cannot need anything but itself), then
// run the installed `aml-vault-push` command — through its shebang, with Node 20 or Node 24 first
// on PATH — for --help, --version and a push into the emulator's vault.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, nodeMajor } from '../helpers/bundles.js';
import { vaultClient } from '../helpers/vault-client.js';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

let work: string;
let tarball: string;
let packed: { files: { path: string }[] };
let prefix: string;
let emu: Emulator;
let vault: SecretClient;

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    // An empty cache: the install can only use the tarball.
    env: { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} → ${r.status ?? r.error?.message}:\n${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aml-npm-'));
  packed = (JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as (typeof packed)[])[0]!;
  tarball = join(work, `aml-vault-push-${pkg.version}.tgz`);
  prefix = join(work, 'prefix');
  npm(['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], work);
  emu = await startEmulator();
  vault = vaultClient(emu);
});
afterAll(async () => {
  await emu?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the CLI bundle, its notices, README, LICENSE and package.json, nothing else', () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual(
      ['LICENSE', 'README.md', 'dist/cli/THIRD_PARTY_NOTICES.txt', 'dist/cli/index.mjs', 'package.json'].sort(),
    );
  });

  it('declares the bin, no runtime dependencies and no install scripts', () => {
    const installed = JSON.parse(
      readFileSync(join(prefix, 'lib/node_modules/aml-vault-push/package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(installed.bin).toEqual({ 'aml-vault-push': 'dist/cli/index.mjs' });
    expect(installed.private).toBeUndefined();
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies'])
      expect([field, installed[field]]).toEqual([field, undefined]);
    const scripts = Object.keys((installed.scripts as Record<string, string>) ?? {});
    expect(scripts.filter((s) => INSTALL_SCRIPTS.includes(s))).toEqual([]);
    // Nothing else was installed next to it.
    const modules = spawnSync('ls', [join(prefix, 'lib/node_modules')], { encoding: 'utf8' }).stdout.trim();
    expect(modules.split('\n')).toEqual(['aml-vault-push']);
  });
});

describe.each(NODE_RUNTIMES)('the installed aml-vault-push command on $label', (node) => {
  /** PATH with this runtime as `node` first, as a user who installed that Node would have. */
  function env(extra: Record<string, string> = {}): Record<string, string> {
    const bin = join(work, `path-${node.label}`);
    mkdirSync(bin, { recursive: true });
    try {
      symlinkSync(node.path, join(bin, 'node'));
    } catch {
      // already linked by an earlier test of this runtime
    }
    return { PATH: `${join(prefix, 'bin')}:${bin}:/usr/bin:/bin`, HOME: work, ...extra };
  }
  const run = (args: string[], extra?: Record<string, string>) =>
    spawnSync('aml-vault-push', args, { encoding: 'utf8', env: env(extra), cwd: work, timeout: 60_000 });

  it('runs on that Node', () => {
    expect(nodeMajor(node)).toBe(node.label === 'node20' ? 20 : 24);
    const r = spawnSync('node', ['--version'], { encoding: 'utf8', env: env() });
    expect(r.stdout.trim()).toMatch(node.label === 'node20' ? /^v20\./ : /^v24\./);
  });

  it('--help prints the usage', () => {
    const r = run(['--help']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: aml-vault-push /);
  });

  it("--version prints package.json's version", () => {
    const r = run(['--version']);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: `${pkg.version}\n`,
      stderr: '',
    });
  });

  it('pushes a secret into the vault', async () => {
    const name = `from-npm-${node.label}`;
    const value = `npm-installed-${node.label}-Xq7`;
    const r = run(['--vault-url', emu.vaultUrl, '--secrets', `${name}=NPM_SECRET`, '--owner', 'npm/test', '--json'], {
      ...(emu.env as unknown as Record<string, string>),
      NPM_SECRET: value,
    });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { created: string[] }).created).toEqual([name]);
    expect(r.stdout + r.stderr).not.toContain(value);
    expect((await vault.getSecret(name)).value).toBe(value);
  });
});

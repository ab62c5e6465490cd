// The extension as an organization installs it. `npm run package` builds the .vsix offline; the
// archive, read with Info-ZIP unzip (not with our own zip code), holds the two manifests, the
// Marketplace page, LICENSE and one task folder with exactly task.json, icon.png, LICENSE and the
// committed bundle with its THIRD_PARTY_NOTICES.txt.
// Then, as the agent does after installing the extension, the task folder alone is extracted to a
// temporary directory (no node_modules anywhere above it) and its bundle pushes a secret into the
// emulator's vault on Node 20 and Node 24.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, runAzdoTask } from '../helpers/bundles.js';
import { vaultClient } from '../helpers/vault-client.js';

const root = join(__dirname, '../..');
const TASK_DIR = 'AmlVaultPushV0';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  repository: { url: string };
};
const temps: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

const PUBLISHER = 'contoso-ml';
const TASK_ID = '3b1f0c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c';

/** `node scripts/package-vsix.mjs ARGS` (what `npm run package -- ARGS` runs). */
function runPackage(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'scripts/package-vsix.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** Packages for PUBLISHER with TASK_ID into outDir: the .vsix path. */
function packageVsix(outDir: string): string {
  const r = runPackage(['--publisher', PUBLISHER, '--task-id', TASK_ID.toUpperCase(), '--out-dir', outDir]);
  if (r.status !== 0) throw new Error(`package-vsix failed (${r.status ?? r.error?.message}):\n${r.stderr}`);
  return r.stdout.trim();
}

function unzip(args: string[]): string {
  const r = spawnSync('unzip', args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(`this test reads the .vsix with Info-ZIP unzip (Debian package "unzip"): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`unzip ${args.join(' ')} → ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function pngSize(png: Buffer): string {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
}

let vsix: string;
let contents: string;

beforeAll(() => {
  vsix = packageVsix(tempDir('aml-vsix-'));
  contents = tempDir('aml-vsix-contents-');
  unzip(['-q', vsix, '-d', contents]);
});
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const extracted = (path: string): Buffer => readFileSync(join(contents, path));
const committed = (path: string): Buffer => readFileSync(join(root, path));
/** Compared by digest: jest's element-wise Buffer equality takes seconds on the 1.5 MB bundle. */
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('the .vsix', () => {
  it('is a valid zip, and the same inputs give the same bytes', () => {
    expect(vsix).toMatch(new RegExp(`${PUBLISHER}\\.aml-vault-push-${pkg.version.replace(/\./g, '\\.')}\\.vsix$`));
    expect(unzip(['-tq', vsix])).toMatch(/No errors detected/);
    expect(sha256(readFileSync(packageVsix(tempDir('aml-vsix-again-'))))).toBe(sha256(readFileSync(vsix)));
  });

  it("names the extension at package.json's version and contributes the task folder", () => {
    const identity = /<Identity ([^>]*)\/>/.exec(extracted('extension.vsixmanifest').toString('utf8'))?.[1] ?? '';
    const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(identity)?.[1];
    expect({ id: attr('Id'), publisher: attr('Publisher'), version: attr('Version') }).toEqual({
      id: 'aml-vault-push',
      publisher: PUBLISHER,
      version: pkg.version,
    });
    // The links derive from package.json's repository, named nowhere else.
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    const links = [
      ...extracted('extension.vsixmanifest')
        .toString('utf8')
        .matchAll(/Links\.(\w+)" Value="([^"]*)"/g),
    ];
    expect(Object.fromEntries(links.map((m) => [m[1], m[2]]))).toEqual({
      GitHub: repo,
      Home: `${repo}#readme`,
      Getstarted: `${repo}#azure-devops-task`,
      Support: `${repo}/issues`,
      Issues: `${repo}/issues`,
      License: `${repo}/blob/main/LICENSE`,
      Repository: repo,
    });
    const vso = JSON.parse(extracted('extension.vsomanifest').toString('utf8')) as {
      contributions: { type: string; targets: string[]; properties: { name: string } }[];
    };
    expect(vso.contributions).toEqual([
      expect.objectContaining({
        type: 'ms.vss-distributed-task.task',
        targets: ['ms.vss-distributed-task.tasks'],
        properties: { name: TASK_DIR },
      }),
    ]);
  });

  it('holds the task folder with exactly task.json (with the given id), icon.png, LICENSE and the committed bundle with its notices, byte for byte', () => {
    const files = unzip(['-Z1', vsix])
      .split('\n')
      .filter((name) => name && !name.endsWith('/'))
      .sort();
    expect(files).toEqual(
      [
        '[Content_Types].xml',
        'LICENSE',
        'extension.vsixmanifest',
        'extension.vsomanifest',
        'marketplace/extension-icon.png',
        'marketplace/overview.md',
        `${TASK_DIR}/dist/azdo/index.mjs`,
        `${TASK_DIR}/dist/azdo/THIRD_PARTY_NOTICES.txt`,
        `${TASK_DIR}/LICENSE`,
        `${TASK_DIR}/icon.png`,
        `${TASK_DIR}/task.json`,
      ].sort(),
    );
    expect(files.filter((f) => /node_modules|(^|\/)(src|test|emulator|bench|scripts)\/|\.(ts|map)$/.test(f))).toEqual(
      [],
    );
    // task.json as committed, but with this build's task id.
    const taskJson = (text: string) => JSON.parse(text) as Record<string, unknown>;
    expect(taskJson(extracted(`${TASK_DIR}/task.json`).toString('utf8'))).toEqual({
      ...taskJson(committed('task.json').toString('utf8')),
      id: TASK_ID,
    });
    for (const file of ['dist/azdo/index.mjs', 'dist/azdo/THIRD_PARTY_NOTICES.txt', 'icon.png', 'LICENSE']) {
      expect([file, sha256(extracted(`${TASK_DIR}/${file}`))]).toEqual([file, sha256(committed(file))]);
    }
    expect(sha256(extracted('LICENSE'))).toBe(sha256(committed('LICENSE')));
    expect(sha256(extracted('marketplace/extension-icon.png'))).toBe(
      sha256(committed('marketplace/extension-icon.png')),
    );
    expect(pngSize(extracted(`${TASK_DIR}/icon.png`))).toBe('32x32');
    expect(pngSize(extracted('marketplace/extension-icon.png'))).toBe('128x128');
  });
});

describe('npm run package refuses, before building anything', () => {
  it.each([
    [[], /--publisher is required.*--task-id is required/s],
    [['--task-id', TASK_ID], /--publisher is required/],
    [['--publisher', 'Contoso ML', '--task-id', TASK_ID], /--publisher "Contoso ML" is not a Marketplace publisher ID/],
    [['--publisher', '-contoso', '--task-id', TASK_ID], /--publisher "-contoso" is not a Marketplace publisher ID/],
    [['--publisher', PUBLISHER], /--task-id is required/],
    [['--publisher', PUBLISHER, '--task-id', 'not-a-guid'], /--task-id "not-a-guid" is not a GUID/],
    [['--publisher', PUBLISHER, '--task-id', '00000000-0000-0000-0000-000000000000'], /is not a GUID/],
  ])('%j', (args, message) => {
    const outDir = join(tempDir('aml-vsix-refused-'), 'out');
    const r = runPackage([...args, '--out-dir', outDir]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/usage: npm run package -- --publisher PUBLISHER_ID --task-id GUID/);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('the installed task', () => {
  let emu: Emulator;
  let vault: SecretClient;

  beforeAll(async () => {
    emu = await startEmulator();
    vault = vaultClient(emu);
  });
  afterAll(async () => emu?.stop());

  it.each(NODE_RUNTIMES)('runs from the extracted task folder alone on $label and pushes a secret', async (node) => {
    const agentTasks = tempDir('aml-agent-tasks-');
    unzip(['-q', vsix, `${TASK_DIR}/*`, '-d', agentTasks]);
    const taskDir = join(agentTasks, TASK_DIR);
    // Self-contained: no node_modules in the folder or anywhere above it to resolve a package from.
    for (let dir = taskDir; dir !== dirname(dir); dir = dirname(dir))
      expect([dir, existsSync(join(dir, 'node_modules'))]).toEqual([dir, false]);

    const name = `from-vsix-${node.label}`;
    const value = `vsix-value-${node.label}-Zq9`;
    const r = await runAzdoTask({
      node,
      taskDir,
      inputs: { vaultUrl: emu.vaultUrl, secrets: `${name}=VSIX_SECRET` },
      secretVariables: { VSIX_SECRET: value },
      env: emu.env,
    });
    expect({ result: r.result, code: r.code, stderr: r.stderr }).toEqual({ result: 'Succeeded', code: 0, stderr: '' });
    expect(JSON.parse(r.outputs.created!)).toEqual([name]);
    expect(r.masks).toContain(value);
    expect(r.stdout.split('\n').filter((l) => l.includes(value) && !l.startsWith('##vso[task.setsecret]'))).toEqual([]);
    const stored = await vault.getSecret(name);
    expect(stored.value).toBe(value);
    expect(stored.properties.tags).toMatchObject({ 'managed-by': 'aml-vault-push' });
  });
});

// The README as a newcomer follows it. Its complete workflow and pipeline are the files in examples/ (which
// examples.test.ts runs), so they cannot drift; every snippet that uses the action or the task signs in. Every
// fenced shell block either runs here, on this clone, or says on its first line what it needs that this machine
// has not: "# Needs a real Azure subscription…", "# Needs a real Azure DevOps organization…" or "# Once
// published…". The runnable blocks run in order, in one shell, as a reader would paste them: the CLI from the
// clone, the packed tarball installed into a temporary prefix, the .vsix built offline, and a first push into
// the emulator started with --shell. The Quickstart's two commands run elsewhere: `npm run demo` in
// quickstart.test.ts, `npm test` is this suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ALL_INPUTS, inputLabel, type AnyInputKey } from '../../src/core/inputs/inputs.js';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

interface Block {
  lang: string;
  text: string;
  line: number;
}
const blocks: Block[] = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1]!,
  text: m[2]!,
  line: readme.slice(0, m.index).split('\n').length,
}));
const shell = blocks.filter((b) => b.lang === 'sh' || b.lang === 'bash');
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml');

/** What a marked block needs, from its first line; undefined: it must run here. */
const MARKS = [/^# Needs a real Azure subscription/, /^# Needs a real Azure DevOps organization/, /^# Once published/];
const markOf = (b: Block) => MARKS.find((m) => m.test(b.text.split('\n')[0]!));
const QUICKSTART = ['npm ci && npm run demo', 'npm test'];
const commands = (b: Block) =>
  b.text
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
const isQuickstart = (b: Block) => JSON.stringify(commands(b)) === JSON.stringify(QUICKSTART);

describe('the README', () => {
  it('has a contents list and, within its first screen, what it does, how to install and a first push', () => {
    const firstScreen = readme.split('\n').slice(0, 30).join('\n');
    expect(firstScreen).toMatch(/## Contents/);
    expect(firstScreen).toMatch(/Push the secrets/);
    expect(firstScreen).toMatch(/\[Install\]\(#install\)/);
    expect(firstScreen).toMatch(/#first-push-on-the-local-emulator/);
  });

  it('keeps the Quickstart to its two commands', () => {
    const quick = readme.slice(
      readme.indexOf('## Quickstart'),
      readme.indexOf('\n## ', readme.indexOf('## Quickstart') + 3),
    );
    const inQuick = shell.filter((b) => quick.includes(b.text));
    expect(inQuick.map(commands)).toEqual([QUICKSTART]);
  });

  it.each(['examples/github-workflow.yml', 'examples/azure-pipelines.yml'])('shows %s whole, as a block', (file) => {
    const example = readFileSync(join(root, file), 'utf8');
    expect(yamlBlocks.filter((b) => b.text === example).length).toBe(1);
    expect(readme).toContain(`](${file})`);
  });

  it('signs in in every snippet that uses the action or the task, with inputs the platform has', () => {
    const problems: string[] = [];
    for (const b of yamlBlocks) {
      const doc = yaml.load(b.text) as unknown;
      const steps: Record<string, unknown>[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v !== null && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          if (typeof o.uses === 'string' || typeof o.task === 'string') steps.push(o);
          Object.values(o).forEach(walk);
        }
      };
      walk(doc);
      for (const step of steps) {
        const github = typeof step.uses === 'string' && step.uses.startsWith('aml-vault-push/');
        const azdo = typeof step.task === 'string' && step.task.startsWith('AmlVaultPush@');
        if (!github && !azdo) continue;
        const inputs = Object.keys(((github ? step.with : step.inputs) ?? {}) as object);
        const known = (Object.keys(ALL_INPUTS) as AnyInputKey[]).map((k) => inputLabel(k, github ? 'github' : 'azdo'));
        const unknown = inputs.filter((i) => !known.includes(i));
        if (unknown.length > 0) problems.push(`line ${b.line}: no such input ${unknown.join(', ')}`);
        const signIn = github ? ['client-id', 'tenant-id'] : ['azureSubscription'];
        const missing = signIn.filter((i) => !inputs.includes(i));
        if (missing.length > 0) problems.push(`line ${b.line}: no ${missing.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('marks every shell block that cannot run here, on its first line', () => {
    const marked = shell.filter(markOf);
    // Every az command needs a subscription (or an organization): a block with one is marked.
    const unmarkedAz = shell.filter((b) => !markOf(b) && commands(b).some((c) => /^(az|\S+=\$\(az) /.test(c)));
    expect(unmarkedAz.map((b) => `line ${b.line}`)).toEqual([]);
    expect(marked.length).toBeGreaterThan(5);
  });
});

describe("the README's runnable shell blocks", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'aml-readme-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    // What the blocks leave in the clone, as they would in yours.
    rmSync(join(root, `aml-vault-push-${pkg.version}.tgz`), { force: true });
    rmSync(join(root, `build/my-publisher.aml-vault-push-${pkg.version}.vsix`), { force: true });
  });

  it('run in order in one shell and do what the README says; no value is printed', () => {
    const runnable = shell.filter((b) => !markOf(b) && !isQuickstart(b));
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    const script = [
      'set -euo pipefail',
      // A block that fails leaves no emulator behind: its npm parent goes, and the emulator notices.
      "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
      ...runnable.map(
        (b) =>
          `echo "--- README line ${b.line}" >&2\n${b.text.replace(/\/tmp\/emulator\.env/g, '"$WORK/emulator.env"')}`,
      ),
    ].join('\n');
    const prefix = join(work, 'prefix');
    const r = spawnSync('bash', ['-c', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
      env: {
        ...process.env,
        WORK: work,
        HOME: work,
        PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
        npm_config_prefix: prefix,
        npm_config_cache: join(work, 'npm-cache'),
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      },
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect({ status: r.status, tail: out.split('\n').slice(-15) }).toMatchObject({ status: 0 });
    expect(r.stdout).toContain(`${pkg.version}\n`); // --version, from the clone and from the tarball
    expect(existsSync(join(prefix, 'bin/aml-vault-push'))).toBe(true);
    expect(out).toMatch(/package-vsix: build\/my-publisher\.aml-vault-push-[\d.]+\.vsix/);
    expect(r.stdout).toMatch(/^created\s+DB-PASSWORD\s+version [0-9a-f]{32}$/m);
    expect(out).toMatch(/DB-PASSWORD\s+enabled\s.*\sours/);
    expect(out).not.toContain('correct horse');
  });
});

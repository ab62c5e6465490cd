// The import rules of src/ and emulator/ (.dependency-cruiser.cjs, run by `npm run lint`) must keep biting: in a
// copy of the repository's src/ and emulator/, a planted cycle, a planted upward import and a planted layer breach
// each fail the same command `npm run lint` runs, with a message that names both files; the untouched copy passes.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** A copy of what the rules read: src/, emulator/, the rules, tsconfig.json, package.json; node_modules linked. */
function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aml-import-rules-'));
  for (const d of ['src', 'emulator']) cpSync(join(root, d), join(dir, d), { recursive: true });
  for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json', 'package.json']) cpSync(join(root, f), join(dir, f));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs the lint's dependency step in `dir` exactly as package.json spells it. */
function lintDeps(dir: string): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '--silent', 'lint:deps'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Appends `line` to a module of the copy. */
function plant(dir: string, file: string, line: string): void {
  const path = join(dir, file);
  writeFileSync(path, `${readFileSync(path, 'utf8')}\n${line}\n`);
}

describe('import rules', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyOfRepository();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('run as part of npm run lint', () => {
    expect(pkg.scripts.lint).toContain('npm run --silent lint:deps');
    expect(pkg.scripts['lint:deps']).toMatch(/^depcruise src emulator --config \.dependency-cruiser\.cjs$/);
  });

  it('pass on the tree as it is (no baseline, no known-violations file)', () => {
    const { status, output } = lintDeps(dir);
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
    expect(pkg.scripts['lint:deps']).not.toContain('--ignore-known');
  });

  it('fail on a cycle, type-only included, naming both files', () => {
    // run-calls.ts imports plan.ts; plan.ts now imports a type from run-calls.ts back.
    plant(
      dir,
      'src/core/engine/plan.ts',
      "import type { RunCalls } from './run-calls.js';\nexport type Planted = RunCalls;",
    );
    const { status, output } = lintDeps(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(/no-circular/);
    expect(output).toContain('src/core/engine/plan.ts');
    expect(output).toContain('src/core/engine/run-calls.ts');
  });

  it('fail on a core module importing an adapter, naming both files', () => {
    plant(
      dir,
      'src/core/engine/prune.ts',
      "import { runAdapter } from '../../adapters/run-adapter.js';\nexport const planted = runAdapter;",
    );
    const { status, output } = lintDeps(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /error core-is-platform-free: src\/core\/engine\/prune\.ts → src\/adapters\/run-adapter\.ts/,
    );
  });

  it('fail on a subsystem importing one above it, naming both files', () => {
    plant(
      dir,
      'src/core/azure/names.ts',
      "import type { Label } from '../inputs/inputs.js';\nexport type Planted = Label;",
    );
    const { status, output } = lintDeps(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /error core-azure-uses-only-common: src\/core\/azure\/names\.ts → src\/core\/inputs\/inputs\.ts/,
    );
  });

  it('fail on a platform library loaded outside src/entry/', () => {
    plant(dir, 'src/adapters/run-adapter.ts', "import * as planted from '@actions/core';\nexport const p = planted;");
    const { status, output } = lintDeps(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /error only-entries-load-platform-libraries: src\/adapters\/run-adapter\.ts → (\S*\/)?node_modules\/@actions\/core/,
    );
  });

  describe('in emulator/', () => {
    it('fail on a cycle, type-only included, naming both files', () => {
      // vault.ts imports vault-store.ts; vault-store.ts now imports a type from vault.ts back.
      plant(
        dir,
        'emulator/keyvault/vault-store.ts',
        "import type { Vault } from './vault.js';\nexport type Planted = Vault;",
      );
      const { status, output } = lintDeps(dir);
      expect(status).not.toBe(0);
      expect(output).toMatch(/no-circular/);
      expect(output).toContain('emulator/keyvault/vault-store.ts');
      expect(output).toContain('emulator/keyvault/vault.ts');
    });

    it('fail on a room importing one above it, naming both files', () => {
      plant(
        dir,
        'emulator/entra/tokens.ts',
        "import type { Vault } from '../keyvault/vault.js';\nexport type Planted = Vault;",
      );
      const { status, output } = lintDeps(dir);
      expect(status).not.toBe(0);
      expect(output).toMatch(
        /error emulator-entra-uses-only-common: emulator\/entra\/tokens\.ts → emulator\/keyvault\/vault\.ts/,
      );
    });

    it('fail on a room importing the files that start the emulator, naming both files', () => {
      plant(
        dir,
        'emulator/arm/lists.ts',
        "import type { StartInfo } from '../start-info.js';\nexport type Planted = StartInfo;",
      );
      const { status, output } = lintDeps(dir);
      expect(status).not.toBe(0);
      expect(output).toMatch(
        /error emulator-arm-uses-only-common-entra-access-keyvault: emulator\/arm\/lists\.ts → emulator\/start-info\.ts/,
      );
    });

    it('fail on the emulator importing src/, naming both files', () => {
      plant(
        dir,
        'emulator/common/logger.ts',
        "import type { Logger as Planted } from '../../src/core/common/ports.js';\nexport type P = Planted;",
      );
      const { status, output } = lintDeps(dir);
      expect(status).not.toBe(0);
      expect(output).toMatch(
        /error emulator-never-uses-src: emulator\/common\/logger\.ts → src\/core\/common\/ports\.ts/,
      );
    });

    it('fail on src/ importing the emulator, naming both files', () => {
      plant(
        dir,
        'src/core/common/ports.ts',
        "import type { Logger as Planted } from '../../../emulator/common/logger.js';\nexport type P = Planted;",
      );
      const { status, output } = lintDeps(dir);
      expect(status).not.toBe(0);
      expect(output).toMatch(
        /error src-never-uses-the-emulator: src\/core\/common\/ports\.ts → emulator\/common\/logger\.ts/,
      );
    });
  });
});

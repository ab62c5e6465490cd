// No file grows past what a reader can hold: 300 lines in src/ (the input declarations, a table of
// every input, 450) and in emulator/'s modules (its tables of the services' errors and built-in roles,
// listed below, 450), 400 in bench/, scripts/ and reliability/. Lines are counted as `wc -l` counts
// them (newline characters). Every file git tracks or would track (untracked, not ignored) counts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = join(__dirname, '../..');

/** `wc -l`: the number of newline characters. */
function wcLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The emulator's tables: each entry a fact of the service with its source, read one at a time, not as a flow. */
const EMULATOR_TABLES = [
  'emulator/access/role-definitions.ts',
  'emulator/arm/errors.ts',
  'emulator/entra/errors.ts',
  'emulator/keyvault/errors.ts',
];

function limitOf(path: string): number | null {
  if (path.startsWith('src/'))
    return basename(path).startsWith('input-declaration') && path.endsWith('.ts') ? 450 : 300;
  if (path.startsWith('emulator/') && path.endsWith('.ts')) return EMULATOR_TABLES.includes(path) ? 450 : 300;
  if (/^(bench|scripts|reliability)\//.test(path)) return 400;
  return null;
}

function files(): string[] {
  const r = spawnSync(
    'git',
    [
      ...['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--'],
      ...['src', 'emulator', 'bench', 'scripts', 'reliability'],
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return [...new Set(r.stdout.split('\0').filter(Boolean))];
}

it('counts lines as wc -l does, and knows each folder’s limit', () => {
  expect([wcLines(''), wcLines('a'), wcLines('a\n'), wcLines('a\nb'), wcLines('\n\n\n')]).toEqual([0, 0, 1, 1, 3]);
  expect(limitOf('src/core/engine/scheduler.ts')).toBe(300);
  expect(limitOf('src/core/inputs/input-declaration.ts')).toBe(450);
  expect(limitOf('src/core/inputs/input-declaration-extra.ts')).toBe(450);
  expect(limitOf('bench/run.mjs')).toBe(400);
  expect(limitOf('reliability/lib/runs.ts')).toBe(400);
  expect(limitOf('scripts/build.mjs')).toBe(400);
  expect(limitOf('emulator/server.ts')).toBe(300);
  expect(limitOf('emulator/keyvault/data-plane.ts')).toBe(300);
  expect(limitOf('emulator/arm/errors.ts')).toBe(450);
  expect(limitOf('emulator/README.md')).toBeNull();
  for (const table of EMULATOR_TABLES) expect(existsSync(join(root, table))).toBe(true);
});

it('no file in src/ or emulator/ over 300 lines (input-declaration*.ts, the emulator’s tables: 450), none in bench/, scripts/, reliability/ over 400', () => {
  const all = files();
  expect(all.length).toBeGreaterThan(50);
  const over = all
    .filter((f) => limitOf(f) !== null)
    .map((f) => ({ f, lines: wcLines(readFileSync(join(root, f), 'utf8')), limit: limitOf(f)! }))
    .filter((x) => x.lines > x.limit)
    .map((x) => `${x.f}: ${x.lines} lines (limit ${x.limit})`);
  expect(over).toEqual([]);
});

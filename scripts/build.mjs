// Bundles every entry into one self-contained ESM file with esbuild.
//   dist/<entry>/index.mjs   committed: the GitHub Action, the Azure DevOps task, the CLI
//   build/emulator/main.mjs  not committed: the local Key Vault emulator
// Flags: --only dist|emulator   --quiet   --check (fail if the committed dist/ differs from a rebuild)
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const quiet = args.includes('--quiet');
const check = args.includes('--check');

// Some bundled CommonJS packages call require() on Node built-ins; ESM output needs a real require.
const banner = {
  js: "import { createRequire as __amlCreateRequire } from 'node:module';\nconst require = __amlCreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: 'node',
  // The Azure DevOps task runs on the agent's Node 20 or Node 24: target the lower one.
  target: 'node20',
  format: 'esm',
  banner,
  minify: false,
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  // Deterministic output: no timestamps, stable paths.
  metafile: true,
};

const distEntries = {
  'github/index': 'src/entry/github.ts',
  'azdo/index': 'src/entry/azdo.ts',
  'cli/index': 'src/entry/cli.ts',
};

function present(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(join(root, src))));
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)))
    .sort();
}

async function buildDist(outdir) {
  const entryPoints = present(distEntries);
  if (Object.keys(entryPoints).length === 0) return;
  const result = await build({ ...common, entryPoints, outdir, outExtension: { '.js': '.mjs' } });
  // Two copies of azure-pipelines-task-lib would split its in-memory secret vault (Microsoft's
  // minify-util refuses the same): fail the build instead.
  const copies = new Set(
    Object.keys(result.metafile.inputs)
      .map((p) => p.match(/^(.*node_modules\/azure-pipelines-task-lib)\//)?.[1])
      .filter(Boolean),
  );
  if (copies.size > 1)
    throw new Error(`azure-pipelines-task-lib is bundled ${copies.size} times: ${[...copies].join(', ')}`);
}

async function buildEmulator() {
  await build({
    ...common,
    entryPoints: { main: 'emulator/main.ts' },
    outdir: join(root, 'build/emulator'),
    outExtension: { '.js': '.mjs' },
  });
}

if (check) {
  const tmp = mkdtempSync(join(tmpdir(), 'aml-dist-'));
  try {
    await buildDist(tmp);
    const want = listFiles(tmp);
    const have = listFiles(join(root, 'dist'));
    const stale = [...new Set([...want, ...have])].filter((f) => {
      const a = join(tmp, f);
      const b = join(root, 'dist', f);
      return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
    });
    if (stale.length > 0) {
      console.error(`dist/ is stale (${stale.join(', ')}): run \`npm run build\` and commit dist/.`);
      process.exit(1);
    }
    if (!quiet) console.error('dist/ matches a fresh build.');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  if (!only || only === 'dist') await buildDist(join(root, 'dist'));
  if ((!only || only === 'emulator') && existsSync(join(root, 'emulator/main.ts'))) await buildEmulator();
  if (!quiet) console.error('built');
}

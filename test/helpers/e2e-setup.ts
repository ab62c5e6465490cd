// globalSetup of the e2e tier: its tests run the committed bundles, so a stale dist/ would test old code and
// pass or fail for the wrong reason. Stop before any test, saying which command rebuilds it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function e2eSetup(): void {
  const root = resolve(__dirname, '..', '..');
  const check = spawnSync(process.execPath, ['scripts/build.mjs', '--check', '--only', 'dist', '--quiet'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (check.status !== 0) {
    throw new Error(
      `The e2e tests run the bundles in dist/, which do not match the sources: run \`npm run build\` first.\n${check.stderr}`,
    );
  }
}

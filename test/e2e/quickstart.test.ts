// The README's first Quickstart command: the main job (the CLI bundle) on the local emulator.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

it('npm run demo pushes, reruns without writing, rotates one value, plans a dry run; no value printed', () => {
  const run = spawnSync(process.execPath, [join(root, 'scripts/demo.mjs')], { encoding: 'utf8', timeout: 120_000 });
  const out = run.stdout + run.stderr;
  expect(run.status).toBe(0);
  expect(out).toMatch(/created: \["DB-PASSWORD","openai-key"\]/);
  expect(out).toMatch(/unchanged: \["DB-PASSWORD","openai-key"\]/);
  expect(out).toMatch(/updated: \["DB-PASSWORD"\]/);
  expect(out).toMatch(/HF-TOKEN: create/);
  expect(out).toContain('Demo complete');
  for (const value of ['correct horse', 'battery staple', 'sk-demo-1', 'hf_demo']) expect(out).not.toContain(value);
});

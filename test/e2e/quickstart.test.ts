// The README's first Quickstart command: the main job (the CLI bundle) on the local emulator, ending
// with a training run's read-back through the compute's managed identity.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const VALUES = ['correct horse', 'battery staple', 'sk-demo-1', 'hf_demo'];

function demo(env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(root, 'scripts/demo.mjs')], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

/** What the demo decides on: Debian's Python SDK importable by /usr/bin/python3. */
const pythonSdk =
  spawnSync('/usr/bin/python3', ['-c', 'import azure.identity, azure.keyvault.secrets'], { stdio: 'ignore' }).status ===
  0;
const READ_BACK = /DB-PASSWORD: the value read back is the one pushed last \(14 characters; compared, not shown\)/;

it('npm run demo pushes, reruns without writing, rotates one value, plans a dry run, finds the compute missing, grants it, reads it back as the compute; no value printed', () => {
  const { status, out } = demo({ AML_DEMO_READER: '' });
  expect(status).toBe(0);
  expect(out).toMatch(/created {5}DB-PASSWORD {2}version [0-9a-f]{32}\n.*created {5}openai-key {3}version/);
  expect(out).toMatch(/unchanged {3}DB-PASSWORD\n.*unchanged {3}openai-key\n.*2 secrets in \S+: 2 unchanged/);
  expect(out).toMatch(/updated {5}DB-PASSWORD {2}version [0-9a-f]{32}\n.*unchanged {3}openai-key/);
  expect(out).toMatch(/would create HF-TOKEN/);
  expect(out).toMatch(/error: readers compute:gpu-cluster: cannot read the secrets of .*az role assignment create/);
  expect(out).toMatch(/granted {5}compute:gpu-cluster {2}Key Vault Secrets User/);
  expect(out).toMatch(/reads DB-PASSWORD as the compute's own managed identity/);
  // It says which SDK read the secret back, and it is the one this machine has.
  expect(out).toMatch(pythonSdk ? /through Debian's Python SDK/ : /through the JavaScript SDK.*is not installed/);
  expect(out).toMatch(READ_BACK);
  expect(out).toContain('Demo complete');
  for (const value of VALUES) expect(out).not.toContain(value);
});

it('AML_DEMO_READER=js reads it back through the JavaScript SDK', () => {
  const { status, out } = demo({ AML_DEMO_READER: 'js' });
  expect(status).toBe(0);
  expect(out).toMatch(/through the JavaScript SDK \(@azure\/identity ManagedIdentityCredential/);
  expect(out).toMatch(READ_BACK);
  for (const value of VALUES) expect(out).not.toContain(value);
});

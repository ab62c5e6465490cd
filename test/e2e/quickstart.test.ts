// The README's first Quickstart command: the main job (the CLI bundle) on the local emulator, with a training run's
// read-back through the compute's managed identity, then the deployment side: an endpoint missing, granted, a
// deployment made with the references, and the stale pin a rotation leaves.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const VALUES = ['correct horse', 'battery staple', 'sk-demo-1', 'hf_demo', 'correct staple'];

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

it('npm run demo pushes, reruns without writing, rotates one value, plans a dry run, finds the compute missing, grants it, reads it back as the compute, then finds the endpoint missing, grants it and the stale pin; no value printed', () => {
  const { status, out } = demo({ AML_DEMO_READER: '' });
  expect(status).toBe(0);
  expect(out).toMatch(/^ {2}created {5}DB-PASSWORD/m);
  expect(out).toMatch(/^ {2}unchanged {3}openai-key/m);
  expect(out).toMatch(/^ {2}updated {5}DB-PASSWORD/m);
  expect(out).toMatch(/would create HF-TOKEN/);
  expect(out).toMatch(/error: readers compute:gpu-cluster: cannot read the secrets of .*az role assignment create/);
  expect(out).toMatch(/^ {2}granted {5}compute:gpu-cluster/m);
  expect(out).toMatch(/error: readers endpoint:score: cannot read the secrets of .*az role assignment create/);
  expect(out).toMatch(/^ {2}granted {5}endpoint:score/m);
  expect(out).toMatch(
    /warning: readers endpoint:score: the deployment blue pins DB-PASSWORD version [0-9a-f]{32} in DB_PASSWORD.*az ml online-deployment update --name blue --endpoint-name score /,
  );
  expect(out).toMatch(
    /^ {2}reference {3}DB-PASSWORD +\$\{\{keyvault:https:\/\/localhost:\d+\/secrets\/DB-PASSWORD\/[0-9a-f]{32}\}\}$/m,
  );
  expect(out).toMatch(/Resource Manager answered 201/);
  expect(out).toMatch(
    /^ {2}stale pin {3}endpoint:score +blue DB_PASSWORD pins [0-9a-f]{32}, the vault holds [0-9a-f]{32}; the message above has the command/m,
  );
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

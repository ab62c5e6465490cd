// The main job on the local emulator: starts the embedded default vault, pushes two secrets with
// the CLI bundle, pushes again (nothing written), rotates one, then plans a change without writing,
// and ends by reading one secret back as a training run on Azure ML compute would: with the
// compute's managed identity (ManagedIdentityCredential) and a SecretClient, through Debian's
// Python SDK when /usr/bin/python3 has azure-keyvault-secrets (apt-get install python3-azure), else
// through the JavaScript SDK; it says which. AML_DEMO_READER=js forces the JavaScript one.
// No value is ever printed, by the tool or by this script: the value read back is compared.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--only', 'emulator', '--quiet'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const emulator = spawn(process.execPath, [join(root, 'build/emulator/main.mjs'), '--port', '0'], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
const info = await new Promise((resolve, reject) => {
  emulator.on('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  createInterface({ input: emulator.stdout }).once('line', (line) => resolve(JSON.parse(line)));
});

function push(title, args, values) {
  console.log(`\n== ${title}\n$ aml-vault-push ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [join(root, 'dist/cli/index.mjs'), ...args], {
    env: { ...process.env, ...info.env, ...values },
    encoding: 'utf8',
  });
  const indent = (text) => (text.trim() ? `${text.trimEnd().replace(/^/gm, '  ')}\n` : '');
  process.stdout.write(indent(run.stderr));
  // The CLI's result on stdout (JSON: names and version ids, never a value), one key a line.
  try {
    const result = JSON.parse(run.stdout);
    process.stdout.write(
      indent(
        Object.entries(result)
          .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
          .join('\n'),
      ),
    );
  } catch {
    process.stdout.write(indent(run.stdout));
  }
  return run.status;
}

// What a training script does (SDK v2 has no Run.get_secret): the compute's managed identity and a
// SecretClient. The expected value arrives in EXPECTED_VALUE; only "match" or "mismatch" comes back.
const PYTHON = '/usr/bin/python3';
const PYTHON_READER = String.raw`
import os
from azure.identity import ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient
client = SecretClient(os.environ["VAULT_URL"], ManagedIdentityCredential(), verify_challenge_resource=False)
value = client.get_secret(os.environ["SECRET_NAME"]).value
print("match" if value == os.environ["EXPECTED_VALUE"] else "mismatch")
`;
const JS_READER = `
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
const client = new SecretClient(process.env.VAULT_URL, new ManagedIdentityCredential(), {
  disableChallengeResourceVerification: true,
});
const { value } = await client.getSecret(process.env.SECRET_NAME);
console.log(value === process.env.EXPECTED_VALUE ? 'match' : 'mismatch');
`;

function pythonSdkPresent() {
  const probe = spawnSync(PYTHON, ['-c', 'import azure.identity, azure.keyvault.secrets'], { stdio: 'ignore' });
  return probe.status === 0;
}

function readBack(name, expected) {
  const python = process.env.AML_DEMO_READER !== 'js' && pythonSdkPresent();
  const how = python
    ? "Debian's Python SDK (azure-identity ManagedIdentityCredential + azure-keyvault-secrets SecretClient)"
    : 'the JavaScript SDK (@azure/identity ManagedIdentityCredential + @azure/keyvault-secrets SecretClient)' +
      (process.env.AML_DEMO_READER === 'js' ? '' : `; ${PYTHON} with azure-keyvault-secrets is not installed`);
  console.log(`\n== A training run reads ${name} with the compute's managed identity\n  through ${how}`);
  const [command, args] = python
    ? [PYTHON, ['-c', PYTHON_READER]]
    : [process.execPath, ['--input-type=module', '-e', JS_READER]];
  const run = spawnSync(command, args, {
    cwd: root,
    env: {
      ...process.env,
      ...info.env,
      VAULT_URL: info.vaultUrl,
      SECRET_NAME: name,
      EXPECTED_VALUE: expected,
      PYTHONDONTWRITEBYTECODE: '1',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const verdict = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || verdict !== 'match') {
    // stderr of a failed SDK call holds no value: the value never left the comparison.
    console.log(
      `  ${name}: ${verdict === 'mismatch' ? 'the value read back differs from the one pushed' : `the read failed (exit ${run.status}): ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`}`,
    );
    return false;
  }
  console.log(
    `  ${name}: the value read back is the one pushed last (${expected.length} characters; compared, not shown)`,
  );
  return true;
}

let failed = 0;
try {
  console.log(`Local Key Vault emulator: ${info.vaultUrl} (CA ${info.caCertFile})`);
  const vault = ['--vault-url', info.vaultUrl, '--owner', 'demo/local'];
  const secrets = ['--secrets', 'DB_PASSWORD', '--secrets', 'openai-key=OPENAI_API_KEY'];
  failed += push('First push: both secrets are created', [...vault, ...secrets], {
    DB_PASSWORD: 'correct horse',
    OPENAI_API_KEY: 'sk-demo-1',
  })
    ? 1
    : 0;
  failed += push('Same values again: nothing is written, no new version', [...vault, ...secrets], {
    DB_PASSWORD: 'correct horse',
    OPENAI_API_KEY: 'sk-demo-1',
  })
    ? 1
    : 0;
  failed += push('One value rotated: only that secret gets a new version', [...vault, ...secrets], {
    DB_PASSWORD: 'battery staple',
    OPENAI_API_KEY: 'sk-demo-1',
  })
    ? 1
    : 0;
  failed += push(
    'Dry run with a new secret: the plan, nothing written',
    [...vault, ...secrets, '--secrets', 'HF_TOKEN', '--dry-run'],
    { DB_PASSWORD: 'battery staple', OPENAI_API_KEY: 'sk-demo-1', HF_TOKEN: 'hf_demo' },
  )
    ? 1
    : 0;
  failed += readBack('DB-PASSWORD', 'battery staple') ? 0 : 1;
} finally {
  emulator.kill('SIGTERM');
}
console.log(
  failed
    ? `\n${failed} step(s) failed`
    : '\nDemo complete: the training run read DB-PASSWORD from the vault the pipeline pushed it to.',
);
process.exit(failed ? 1 : 0);

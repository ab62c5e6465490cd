// The main job on the local emulator: an Azure ML workspace with a compute cluster; pushes two secrets
// into the workspace's vault with the CLI bundle, pushes again (nothing written), rotates one, plans a
// change without writing; then checks who can read them (the cluster cannot: missing, with the fix),
// grants the cluster read access (--grant-readers), and ends by reading one secret back as a training
// run on that cluster would: as the compute's own managed identity (ManagedIdentityCredential with its
// client id) and a SecretClient, through Debian's
// Python SDK when /usr/bin/python3 has azure-keyvault-secrets (apt-get install python3-azure), else
// through the JavaScript SDK; it says which. AML_DEMO_READER=js forces the JavaScript one.
// Then the deployment side, without deploying anything: an online endpoint cannot read the secret (missing), is
// granted, the push prints each secret's injection reference, a deployment is created with that reference over
// Resource Manager (the PUT `az ml online-deployment create` sends), and after a rotation the push finds the
// deployment pinning the old version and prints the command that updates it.
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

const SUB = '00000000-0000-4000-8000-0000000e1a70';
const WORKSPACE = `${SUB}/ml-rg/train-ws`;
const COMPUTE = `${WORKSPACE}/gpu-cluster`;
const ENDPOINT = `${WORKSPACE}/score`;
const emulator = spawn(
  process.execPath,
  [
    join(root, 'build/emulator/main.mjs'),
    ...['--port', '0', '--workspace', WORKSPACE, '--compute', COMPUTE, '--online-endpoint', ENDPOINT],
  ],
  { stdio: ['ignore', 'pipe', 'ignore'] },
);
const info = await new Promise((resolve, reject) => {
  emulator.on('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  createInterface({ input: emulator.stdout }).once('line', (line) => resolve(JSON.parse(line)));
});

/** The CLI's --json result of a push (names, versions and references, never a value). */
function pushJson(args, values) {
  const run = spawnSync(process.execPath, [join(root, 'dist/cli/index.mjs'), ...args, '--json'], {
    env: { ...process.env, ...info.env, ...values },
    encoding: 'utf8',
  });
  return JSON.parse(run.stdout);
}

// What `az ml online-deployment create` sends: a PUT of the deployment with its environment variables, signed in as
// the emulator's managed identity (an Owner of its subscriptions). Only the reference travels, never a value.
const PUT_DEPLOYMENT = `
import { ManagedIdentityCredential } from '@azure/identity';
const { token } = await new ManagedIdentityCredential().getToken('https://management.azure.com/.default');
const res = await fetch(process.env.DEPLOYMENT_URL, {
  method: 'PUT',
  headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
  body: process.env.DEPLOYMENT_BODY,
});
console.log(res.status);
`;

function createDeployment(name, environmentVariables) {
  const [sub, rg, ws, endpoint] = ENDPOINT.split('/');
  const workspaceId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}`;
  const url = `${info.armUrl}${workspaceId}/onlineEndpoints/${endpoint}/deployments/${name}?api-version=2025-06-01`;
  const body = {
    location: 'local',
    sku: { name: 'Default', capacity: 1 },
    properties: {
      endpointComputeType: 'Managed',
      model: `${workspaceId}/models/demo-model/versions/1`,
      instanceType: 'Standard_DS3_v2',
      environmentVariables,
    },
  };
  console.log(
    `\n== A deployment '${name}' of the endpoint '${endpoint}' takes the references (Resource Manager PUT, as az ml online-deployment create)`,
  );
  for (const [k, v] of Object.entries(environmentVariables)) console.log(`  ${k}: ${v}`);
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PUT_DEPLOYMENT], {
    cwd: root,
    env: { ...process.env, ...info.env, DEPLOYMENT_URL: url, DEPLOYMENT_BODY: JSON.stringify(body) },
    encoding: 'utf8',
  });
  const status = run.stdout.trim();
  console.log(`  Resource Manager answered ${status || `nothing (${run.stderr.trim().split('\n').pop()})`}`);
  return status === '200' || status === '201';
}

function push(title, args, values, expectedStatus = 0) {
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
  return run.status === expectedStatus ? 0 : 1;
}

// What a training script does (SDK v2 has no Run.get_secret): the compute's managed identity and a
// SecretClient. The expected value arrives in EXPECTED_VALUE; only "match" or "mismatch" comes back.
const PYTHON = '/usr/bin/python3';
const PYTHON_READER = String.raw`
import os
from azure.identity import ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient
credential = ManagedIdentityCredential(client_id=os.environ["COMPUTE_CLIENT_ID"])
client = SecretClient(os.environ["VAULT_URL"], credential, verify_challenge_resource=False)
value = client.get_secret(os.environ["SECRET_NAME"]).value
print("match" if value == os.environ["EXPECTED_VALUE"] else "mismatch")
`;
const JS_READER = `
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
const credential = new ManagedIdentityCredential({ clientId: process.env.COMPUTE_CLIENT_ID });
const client = new SecretClient(process.env.VAULT_URL, credential, {
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
  console.log(
    `\n== A training run on gpu-cluster reads ${name} as the compute's own managed identity\n  through ${how}`,
  );
  const [command, args] = python
    ? [PYTHON, ['-c', PYTHON_READER]]
    : [process.execPath, ['--input-type=module', '-e', JS_READER]];
  const run = spawnSync(command, args, {
    cwd: root,
    env: {
      ...process.env,
      ...info.env,
      VAULT_URL: info.workspaces[WORKSPACE].vaultUrl,
      COMPUTE_CLIENT_ID: info.computes[COMPUTE].identity.identities[0].clientId,
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
  console.log(`Local Azure emulator: workspace ${WORKSPACE} with the compute gpu-cluster (CA ${info.caCertFile})`);
  const target = [
    ...['--workspace-name', 'train-ws', '--resource-group', 'ml-rg', '--subscription-id', SUB],
    ...['--resource-manager-endpoint', info.armUrl, '--owner', 'demo/local'],
  ];
  const secrets = ['--secrets', 'DB_PASSWORD', '--secrets', 'openai-key=OPENAI_API_KEY'];
  const v1 = { DB_PASSWORD: 'correct horse', OPENAI_API_KEY: 'sk-demo-1' };
  const v2 = { DB_PASSWORD: 'battery staple', OPENAI_API_KEY: 'sk-demo-1' };
  failed += push('First push: both secrets are created', [...target, ...secrets], v1);
  failed += push('Same values again: nothing is written, no new version', [...target, ...secrets], v1);
  failed += push('One value rotated: only that secret gets a new version', [...target, ...secrets], v2);
  failed += push(
    'Dry run with a new secret: the plan, nothing written',
    [...target, ...secrets, '--secrets', 'HF_TOKEN', '--dry-run'],
    { ...v2, HF_TOKEN: 'hf_demo' },
  );
  const readers = ['--readers', 'compute:gpu-cluster'];
  failed += push(
    'Can the training run read it? The cluster has no role on the vault: missing (the step fails, with the fix)',
    [...target, ...secrets, ...readers],
    v2,
    1,
  );
  failed += push(
    'Grant it: Key Vault Secrets User on the vault for the cluster’s identity',
    [...target, ...secrets, ...readers, '--grant-readers'],
    v2,
  );
  failed += readBack('DB-PASSWORD', 'battery staple') ? 0 : 1;

  const endpoint = ['--readers', 'endpoint:score'];
  failed += push(
    'Can the deployment read it? Secret injection reads as the endpoint’s identity, which has no role: missing',
    [...target, ...secrets, ...endpoint],
    v2,
    1,
  );
  failed += push(
    'Grant it, and print each secret’s injection reference (the version the vault holds now)',
    [...target, ...secrets, ...endpoint, '--grant-readers'],
    v2,
  );
  const { references } = pushJson([...target, ...secrets, ...endpoint], v2);
  failed += createDeployment('blue', {
    DB_PASSWORD: references['DB-PASSWORD'],
    OPENAI_API_KEY: references['openai-key'],
  })
    ? 0
    : 1;
  const v3 = { ...v2, DB_PASSWORD: 'correct staple' };
  failed += push(
    'DB_PASSWORD rotated: the deployment still pins the old version, and the push says how to update it',
    [...target, ...secrets, ...endpoint],
    v3,
  );
  const after = pushJson([...target, ...secrets, ...endpoint], v3);
  const stale = Object.values(after.readers)[0]['endpoint:score'].deployments.stale;
  if (stale.length !== 1 || stale[0].deployment !== 'blue') {
    console.log('  the stale pin of the deployment blue was not found');
    failed += 1;
  }
} finally {
  emulator.kill('SIGTERM');
}
console.log(
  failed
    ? `\n${failed} step(s) failed`
    : '\nDemo complete: the training run read DB-PASSWORD, as its compute, from the vault the pipeline pushed it to; ' +
        'the endpoint was granted, its deployment took the references, and the rotation found its stale pin.',
);
process.exit(failed ? 1 : 0);

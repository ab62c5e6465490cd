// The baseline: what people do today. One upsert per secret, no read first, no tags, like
// `az keyvault secret set` in a loop or azureml-core's `ws.get_default_keyvault().set_secrets(...)`,
// run with a fixed number of calls in flight. The real SDK with its defaults: default retry policy
// (a 429 is retried only when it carries Retry-After), ManagedIdentityCredential from the
// emulator's environment, and the challenge-resource check off (the emulator is not *.vault.azure.net).
//
//   node bench/naive-push.mjs --vault-url URL --concurrency N --secrets NAME=VARIABLE ...
//
// Values come from environment variables. Prints one JSON line: {"written", "failed": [names],
// "errors": {"<status or code>": count}}. Never prints a value or an error message (only status codes
// and error codes). Exits 1 when any secret failed. Generous to the baseline: it does not stop at the
// first failure (a shell loop under `set -e` would). With --concurrency 1 it is the sequential loop a
// script runs.
//
// `--mode verify` is the bench's check, not a baseline: it reads every secret back and compares it with
// its variable in memory. It prints {"matched", "mismatched": [names], "missing": [names], "errors"}.
import { parseArgs } from 'node:util';
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

const { values } = parseArgs({
  options: {
    'vault-url': { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    mode: { type: 'string', default: 'set' },
    secrets: { type: 'string', multiple: true, default: [] },
  },
  strict: true,
});
const vaultUrl = values['vault-url'];
const concurrency = Number(values.concurrency);
const mode = values.mode;
if (!vaultUrl || !Number.isInteger(concurrency) || concurrency < 1 || !['set', 'verify'].includes(mode)) {
  process.stderr.write(
    'usage: naive-push.mjs --vault-url URL --concurrency N [--mode set|verify] --secrets NAME=VARIABLE ...\n',
  );
  process.exit(2);
}
const specs = values.secrets.map((s) => {
  const eq = s.indexOf('=');
  return { name: s.slice(0, eq), variable: s.slice(eq + 1) };
});

const client = new SecretClient(vaultUrl, new ManagedIdentityCredential(), {
  disableChallengeResourceVerification: true,
});

let written = 0;
const failed = [];
const errors = {};
let next = 0;
const errorKey = (error) => String(error?.statusCode ?? error?.code ?? error?.name ?? 'unknown');

if (mode === 'verify') {
  let matched = 0;
  const mismatched = [];
  const missing = [];
  async function reader() {
    while (next < specs.length) {
      const { name, variable } = specs[next++];
      try {
        const secret = await client.getSecret(name);
        if (secret.value === (process.env[variable] ?? '')) matched++;
        else mismatched.push(name);
      } catch (error) {
        missing.push(name);
        errors[errorKey(error)] = (errors[errorKey(error)] ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, reader));
  process.stdout.write(`${JSON.stringify({ matched, mismatched, missing, errors })}\n`);
  process.exit(mismatched.length + missing.length > 0 ? 1 : 0);
}

async function worker() {
  while (next < specs.length) {
    const { name, variable } = specs[next++];
    try {
      await client.setSecret(name, process.env[variable] ?? '');
      written++;
    } catch (error) {
      failed.push(name);
      errors[errorKey(error)] = (errors[errorKey(error)] ?? 0) + 1;
    }
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
process.stdout.write(`${JSON.stringify({ written, failed, errors })}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;

// The main job on the local emulator: starts the embedded default vault, pushes two secrets with
// the CLI bundle, pushes again (nothing written), rotates one, then plans a change without writing.
// No value is ever printed, by the tool or by this script.
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
} finally {
  emulator.kill('SIGTERM');
}
console.log(
  failed
    ? `\n${failed} step(s) failed`
    : '\nDemo complete: a training run would now read DB-PASSWORD with Run.get_secret("DB-PASSWORD").',
);
process.exit(failed ? 1 : 0);

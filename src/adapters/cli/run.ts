// CLI adapter for a developer's own machine: flags named like the action's inputs, values from the
// environment (never from argv, which other users can read in the process list), the plan on
// stderr, the result as JSON on stdout. There is no masker on a terminal: values are never printed.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { DefaultAzureCredential } from '@azure/identity';
import { INPUT_KEYS, type InputKey, type RawInputs } from '../../core/types.js';
import { resultOutputs } from '../../core/summary.js';
import { runAdapter } from '../run-adapter.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
  setExitCode(code: number): void;
}

const BOOLEAN: ReadonlySet<InputKey> = new Set(['adopt-unowned', 'allow-empty', 'dry-run']);
const REPEATABLE: ReadonlySet<InputKey> = new Set(['secrets', 'include', 'exclude', 'tags']);

export const USAGE = `Usage: aml-vault-push (--workspace-name WS --resource-group RG --subscription-id SUB | --vault-name NAME | --vault-url URL)
                      --secrets NAME[=VARIABLE] ... [options]

Values are read from environment variables, never from the command line.
  --secrets SPEC            vault-secret-name=VARIABLE or VARIABLE (repeatable)
  --secrets-json-file PATH  a JSON object name -> value ('-' reads standard input)
  --include/--exclude GLOB  filter secrets-json keys (repeatable)
  --name-transform dashes|kebab|none   --content-type TYPE   --tags key=value (repeatable)
  --expires-in 90d | --expires-on DATE   --not-before DATE   --on-deleted recover|fail|purge
  --cloud AzureCloud|AzureUSGovernment|AzureChinaCloud  --resource-manager-endpoint URL  --authority-host URL
  --adopt-unowned  --allow-empty  --dry-run  --max-concurrency N  --owner ID  --verbose
Signs in with DefaultAzureCredential (az login session, environment variables, managed identity).`;

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    'secrets-json-file': { type: 'string' },
    owner: { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const key of INPUT_KEYS) {
    if (key === 'secrets-json') continue;
    options[key] = { type: BOOLEAN.has(key) ? 'boolean' : 'string', multiple: REPEATABLE.has(key) };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}\n`);
    io.setExitCode(2);
    return;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return;
  }
  const raw: RawInputs = {};
  for (const key of INPUT_KEYS) {
    const v = values[key];
    if (Array.isArray(v)) raw[key] = v.join('\n');
    else if (typeof v === 'boolean') raw[key] = String(v);
    else if (typeof v === 'string') raw[key] = v;
  }
  const jsonFile = values['secrets-json-file'];
  if (typeof jsonFile === 'string') raw['secrets-json'] = io.readFile(jsonFile === '-' ? '/dev/stdin' : jsonFile);

  const verbose = values.verbose === true;
  await runAdapter({
    raw,
    label: (key) => (key === 'secrets-json' ? '--secrets-json-file' : `--${key}`),
    lookup: (variable) => env[variable],
    variableKind: 'environment variable',
    masker: { mask: () => undefined },
    logger: {
      debug: (m) => (verbose ? io.err(`debug: ${m}\n`) : undefined),
      info: (m) => io.err(`${m}\n`),
      warning: (m) => io.err(`warning: ${m}\n`),
    },
    debug: verbose,
    signIn: {
      problems: [],
      secrets: [],
      identity: 'DefaultAzureCredential (Azure CLI, environment or managed identity)',
      credential: (cloud) => new DefaultAzureCredential({ authorityHost: cloud.authorityHost }),
    },
    owner: { id: typeof values.owner === 'string' ? values.owner : `cli/${safeUser()}@${hostname()}` },
    publish: async (result) => {
      const outputs = resultOutputs(result);
      const json = Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [k, k === 'vault-url' ? v : JSON.parse(v)]),
      );
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    },
    fail: (message) => {
      io.err(`error: ${message}\n`);
      io.setExitCode(1);
    },
    succeed: () => undefined,
  });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown-user';
  }
}

export function defaultCliIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readFile: (p) => readFileSync(p, 'utf8'),
    setExitCode: (c) => (process.exitCode = c),
  };
}

// CLI adapter for a developer's own machine: flags named like the action's inputs, values from the
// environment (never from argv, which other users can read in the process list), the plan on
// stderr, the result as JSON on stdout. There is no masker on a terminal: values are never printed.
import { networkEnvironment, setNetworkEnvironment } from '../../core/errors/describe-error.js';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { DefaultAzureCredential } from '@azure/identity';
import { INPUT_KEYS, type RawInputs } from '../../core/inputs/inputs.js';
import { labeller } from '../../core/inputs/inputs.js';
import { flagName, flagSpecs, usage } from './usage.js';
import { runOutputs } from '../../core/report/fleet-summary.js';
import { listJson, listText } from '../../core/report/list-summary.js';
import { progressBar, type ProgressSink } from '../../core/engine/progress.js';
import type { RunResult } from '../../core/run/push.js';
import { runAdapter } from '../run-adapter.js';
import { VERSION, userAgent } from '../../core/shared/user-agent.js';

export interface CliIo {
  /** Aborted when the process is told to stop (SIGTERM, SIGINT). */
  signal?: AbortSignal;
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
  setExitCode(code: number): void;
  /** Standard error is a terminal: progress is a bar redrawn in place, else plain lines. */
  errIsTty?: boolean;
}

const SUBCOMMANDS = ['push', 'list'] as const;

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  // Failure messages name the proxy the Azure SDK uses (from these variables), never its credentials.
  setNetworkEnvironment(networkEnvironment(env));
  const options = flagSpecs();
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true }));
    const extra = positionals
      .slice(1)
      .concat(positionals[0] === undefined || isSubcommand(positionals[0]) ? [] : positionals[0]);
    if (extra.length > 0)
      throw new Error(`Unexpected argument '${extra[0]}': the only subcommands are ${SUBCOMMANDS.join(' and ')}`);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage()}\n`);
    io.setExitCode(2);
    return;
  }
  const mode = positionals[0] === 'list' ? 'list' : 'push';
  if (values.help) {
    io.out(`${usage()}\n`);
    return;
  }
  if (values.version) {
    io.out(`${VERSION}\n`);
    return;
  }
  const raw: RawInputs = {};
  for (const key of INPUT_KEYS) {
    if (key === 'secrets-json') continue; // a file's path on the command line: read below
    const v = values[flagName(key)];
    if (Array.isArray(v)) raw[key] = v.join('\n');
    else if (typeof v === 'boolean') raw[key] = String(v);
    else if (typeof v === 'string') raw[key] = v;
  }
  raw.mode = mode;
  const jsonFile = values[flagName('secrets-json')];
  if (typeof jsonFile === 'string') raw['secrets-json'] = io.readFile(jsonFile === '-' ? '/dev/stdin' : jsonFile);

  const verbose = values.verbose === true;
  await runAdapter({
    raw,
    ...(io.signal && { signal: io.signal }),
    label: labeller('cli'),
    lookup: (variable) => env[variable],
    variableKind: 'environment variable',
    masker: { mask: () => undefined },
    logger: {
      debug: (m) => (verbose ? io.err(`debug: ${m}\n`) : undefined),
      info: (m) => io.err(`${m}\n`),
      warning: (m) => io.err(`warning: ${m}\n`),
    },
    debug: verbose,
    userAgent: userAgent('cli'),
    signIn: {
      problems: [],
      secrets: [],
      identity: 'DefaultAzureCredential (Azure CLI, environment or managed identity)',
      credential: (cloud, client) => new DefaultAzureCredential({ ...client, authorityHost: cloud.authorityHost }),
    },
    owner: { id: typeof values.owner === 'string' ? values.owner : `cli/${safeUser()}@${hostname()}` },
    progress: cliProgress(io),
    publish: async (result) => io.out(cliOutput(result, values.json === true)),
    fail: (message) => {
      io.err(`error: ${message}\n`);
      io.setExitCode(1);
    },
    succeed: () => undefined,
  });
}

function isSubcommand(word: string): boolean {
  return (SUBCOMMANDS as readonly string[]).includes(word);
}

/** A push: the outputs as JSON (vault-url a string, the rest parsed). A listing: a table, or JSON with --json. */
function cliOutput(result: RunResult, json: boolean): string {
  if (result.mode === 'list') return json ? `${JSON.stringify(listJson(result), null, 2)}\n` : listText(result);
  const outputs = Object.entries(runOutputs(result)).map(([k, v]) => [k, k === 'vault-url' ? v : JSON.parse(v!)]);
  return `${JSON.stringify(Object.fromEntries(outputs), null, 2)}\n`;
}

/** On a terminal, a bar redrawn in place on standard error; otherwise a plain line per report. */
function cliProgress(io: CliIo): ProgressSink {
  if (!io.errIsTty)
    return { report: ({ title, details }) => io.err(`${[title, ...details.map((d) => `  ${d}`)].join('\n')}\n`) };
  return {
    report: ({ title, fraction }) => io.err(`\r\x1b[2K${progressBar(fraction)} ${title.replace(/^Progress: /, '')}`),
    finish: () => io.err('\n'),
  };
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
    errIsTty: process.stderr.isTTY === true,
  };
}

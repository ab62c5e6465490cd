// CLI adapter for a developer's own machine: flags named like the action's inputs, values from the
// environment, a file, standard input or a prompt that does not echo (never from argv, which other users can read
// in the process list), the plan on stderr, the result as JSON on stdout. There is no masker on a terminal: values
// are never printed. Commands: push (the default), list, set NAME, delete NAME.
import { networkEnvironment, setNetworkEnvironment } from '../../core/errors/describe-error.js';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { cliSignIn } from './sign-in.js';
import { cliOwner } from './owner.js';
import { explainSignInFailures } from '../../core/errors/sign-in-failure.js';
import { INPUT_KEYS, type RawInputs } from '../../core/inputs/inputs.js';
import { labeller } from '../../core/inputs/inputs.js';
import { flagName, flagSpecs, usage } from './usage.js';
import { runOutputs } from '../../core/report/fleet-summary.js';
import { listJson, listText } from '../../core/report/list-summary.js';
import { progressBar, type ProgressSink } from '../../core/engine/progress.js';
import type { RunResult } from '../../core/run/push.js';
import { runAdapter } from '../run-adapter.js';
import { VERSION, userAgent } from '../../core/common/user-agent.js';
import { azureConfigDir } from '../../core/local-config/az-defaults.js';
import type { GivenSecret } from '../../core/inputs/input-reader.js';
import { readValue, type CliStdin } from './value-source.js';
import { hiddenPrompt } from './hidden-prompt.js';
import { runDelete } from './commands/delete.js';
import { checkCommandLine, type Command } from './commands/command-line.js';

export interface CliIo {
  /** Aborted when the process is told to stop (SIGTERM, SIGINT). */
  signal?: AbortSignal;
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
  setExitCode(code: number): void;
  /** Standard error is a terminal: progress is a bar redrawn in place, else plain lines. */
  errIsTty?: boolean;
  /** Standard input, for `set` (a pipe, or a terminal to prompt on). */
  stdin?: CliStdin;
  /** The directory a workspace config is searched from. Default: the process's. */
  cwd?: string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<void> {
  // Failure messages name the proxy the Azure SDK uses (from these variables), never its credentials.
  setNetworkEnvironment(networkEnvironment(env));
  const options = flagSpecs();
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage()}\n`);
    io.setExitCode(2);
    return;
  }
  const checked =
    values.help || values.version ? { command: 'push' as Command } : checkCommandLine(positionals, values);
  if ('problem' in checked) {
    io.err(`error: ${checked.problem}\n\nRun aml-vault-push --help for the commands and flags.\n`);
    io.setExitCode(2);
    return;
  }
  const { command, name } = checked;
  const mode = command === 'list' ? 'list' : 'push';
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
  const logger = {
    debug: (m: string) => (verbose ? io.err(`debug: ${m}\n`) : undefined),
    info: (m: string) => io.err(`${m}\n`),
    warning: (m: string) => io.err(`warning: ${m}\n`),
  };
  const fail = (message: string) => {
    io.err(`error: ${message}\n`);
    io.setExitCode(1);
  };
  const context = {
    label: labeller('cli'),
    lookup: (variable: string) => env[variable],
    variableKind: 'environment variable',
    workingDirectory: io.cwd ?? process.cwd(),
    discoverWorkspace: { azureConfigDir: azureConfigDir(env, env.HOME ?? homedir()), env },
  };
  const signIn = cliSignIn(env);
  const identity = signIn.identity!;
  const owner = cliOwner(values.owner, context.workingDirectory);

  if (command === 'delete') {
    await runDelete(name!, raw, {
      ...context,
      logger,
      owner,
      identity,
      userAgent: userAgent('cli'),
      credential: (cloud) =>
        explainSignInFailures(signIn.credential(cloud, { userAgentOptions: { userAgentPrefix: userAgent('cli') } }), {
          fix: signIn.fix!,
          debug: logger.debug,
        }),
      out: io.out,
      fail,
    });
    return;
  }
  let given: GivenSecret | undefined;
  if (command === 'set') {
    const flags = {
      ...(typeof values.env === 'string' && { env: values.env }),
      ...(typeof values.file === 'string' && { file: values.file }),
    };
    const read = await readValue(name!, flags, env, io.stdin ?? noStdin);
    if ('cancelled' in read) {
      io.err('Cancelled: nothing was written.\n');
      io.setExitCode(130);
      return;
    }
    given =
      'problem' in read
        ? { name: name!, value: '', from: 'not read', problem: read.problem }
        : { name: name!, value: read.value, from: read.from };
  }

  await runAdapter({
    raw,
    ...context,
    ...(given && { given }),
    ...(io.signal && { signal: io.signal }),
    masker: { mask: () => undefined },
    logger,
    debug: verbose,
    userAgent: userAgent('cli'),
    signIn,
    owner,
    progress: cliProgress(io),
    publish: async (result) => io.out(cliOutput(result, values.json === true)),
    fail,
    succeed: () => undefined,
  });
}

/** Standard input that is neither a pipe nor a terminal (an io without one): an empty value. */
const noStdin: CliStdin = {
  isTty: false,
  readAll: async () => Buffer.alloc(0),
  prompt: async () => undefined,
};

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

export function defaultCliIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readFile: (p) => readFileSync(p, 'utf8'),
    setExitCode: (c) => (process.exitCode = c),
    errIsTty: process.stderr.isTTY === true,
    stdin: processStdin(),
  };
}

function processStdin(): CliStdin {
  const stdin = process.stdin;
  return {
    isTty: stdin.isTTY === true,
    async readAll(limit) {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of stdin as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        total += chunk.length;
        if (total > limit) break;
      }
      return Buffer.concat(chunks);
    },
    prompt: (question) => hiddenPrompt(stdin, (t) => process.stderr.write(t), question),
  };
}

// CLI adapter for a developer's own machine: flags named like the action's inputs, values from the
// environment, a file, standard input or a prompt that does not echo (never from argv, which other users can read
// in the process list). Progress and problems go to standard error; the result to standard output, as lines for a
// person or, with --json, as JSON. There is no masker on a terminal: values are never printed. Commands: push (the
// default), list, set NAME, delete NAME; -h/--help for the tool and for each command.
import { networkEnvironment, setNetworkEnvironment } from '../../core/errors/describe-error.js';
import { relative } from 'node:path';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { cliSignIn } from './sign-in.js';
import { cliOwner } from './owner.js';
import { explainSignInFailures } from '../../core/errors/sign-in-failure.js';
import { INPUT_KEYS, type RawInputs } from '../../core/inputs/inputs.js';
import { labeller } from '../../core/inputs/inputs.js';
import { flagName, type Command } from './usage.js';
import { runOutputs } from '../../core/report/fleet-summary.js';
import { listJson, listText } from '../../core/report/list-summary.js';
import { progressBar, type ProgressSink } from '../../core/engine/progress.js';
import type { RunResult } from '../../core/run/push.js';
import { runAdapter } from '../run-adapter.js';
import { VERSION, userAgent } from '../../core/common/user-agent.js';
import { azureConfigDir } from '../../core/local-config/az-defaults.js';
import type { GivenSecret } from '../../core/inputs/input-reader.js';
import type { GivenWhere } from '../../core/run/given-secret.js';
import { pushText } from './output/terminal-lines.js';
import { readValue, type CliStdin } from './value-source.js';
import { PASTE_OFF, hiddenPrompt } from './hidden-prompt.js';
import { runDelete } from './commands/delete.js';
import { readCommandLine } from './commands/command-line.js';

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
  const line = readCommandLine(argv);
  if ('help' in line) {
    io.out(`${line.help}\n`);
    return;
  }
  if ('problem' in line) {
    const command = line.command === undefined ? '' : `${line.command} `;
    io.err(
      `error: ${line.problem}\nRun 'aml-vault-push ${command}--help' for the ${command ? 'flags' : 'commands'}.\n`,
    );
    io.setExitCode(2);
    return;
  }
  const { values, command, name } = line;
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
  raw.mode = command === 'list' ? 'list' : 'push';
  const jsonFile = values[flagName('secrets-json')];
  if (typeof jsonFile === 'string') raw['secrets-json'] = io.readFile(jsonFile === '-' ? '/dev/stdin' : jsonFile);

  const json = values.json === true;
  const verbose = values.verbose === true;
  const logger = {
    debug: (m: string) => (verbose ? io.err(`debug: ${m}\n`) : undefined),
    // "NAME: created, version …" is the engine's line for a CI log; here standard output says it (unless --verbose).
    info: (m: string) => (verbose || !APPLIED_LINE.test(m) ? io.err(`${m}\n`) : undefined),
    warning: (m: string) => io.err(`warning: ${m}\n`),
  };
  // The prompt ended the run: cancelled (Ctrl-C), or a value it could not take whole. Said as is, once.
  let stopped: 'cancelled' | { problem: string } | undefined;
  const fail = (message: string) => {
    if (stopped === 'cancelled') {
      io.err('Cancelled: nothing was written.\n');
      io.setExitCode(130);
      return;
    }
    if (stopped !== undefined) message = `${stopped.problem} (nothing was written)`;
    io.err(`error: ${message}\n`);
    io.setExitCode(1);
  };
  const workingDirectory = io.cwd ?? process.cwd();
  const context = {
    label: labeller('cli'),
    lookup: (variable: string) => env[variable],
    variableNames: () => Object.keys(env),
    variableKind: 'environment variable',
    workingDirectory,
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
      json,
      fail,
    });
    return;
  }
  // set: a value from --env, --file or a pipe is read now, so its problems are reported with every other input's
  // before any request; a value typed at the prompt only once every input is valid and the vault found, so nothing
  // typed is lost to a mistake and the prompt can say where the value goes.
  let given: GivenSecret | undefined;
  let readGiven: ((where: GivenWhere) => Promise<GivenSecret>) | undefined;
  if (command === 'set') {
    const flags = {
      ...(typeof values.env === 'string' && { env: values.env }),
      ...(typeof values.file === 'string' && { file: values.file }),
    };
    const input = io.stdin ?? noStdin;
    const stdin: CliStdin = { ...input, prompt: (question) => input.prompt(question, io.signal) };
    const read = async (question: string): Promise<GivenSecret> => {
      const value = await readValue(question, flags, env, stdin);
      if ('cancelled' in value || ('problem' in value && question !== '')) {
        stopped = 'cancelled' in value ? 'cancelled' : value;
        throw new Error('stopped at the prompt');
      }
      return 'problem' in value
        ? { name: name!, value: '', from: 'not read', problem: value.problem }
        : { name: name!, value: value.value, from: value.from };
    };
    if (flags.env !== undefined || flags.file !== undefined || !stdin.isTty) given = await read('');
    else readGiven = (where) => read(promptFor(where, workingDirectory));
  }

  await runAdapter({
    raw,
    ...context,
    ...(given && { given }),
    ...(readGiven && { given: { name: name! }, readGiven }),
    ...(io.signal && { signal: io.signal }),
    masker: { mask: () => undefined },
    logger,
    debug: verbose,
    userAgent: userAgent('cli'),
    signIn,
    owner,
    progress: cliProgress(io),
    publish: async (result) => io.out(cliOutput(result, json, command)),
    fail,
    succeed: () => undefined,
  });
}

/** The prompt: the secret, its vault(s), the workspace and the config file it came from. */
export function promptFor(where: GivenWhere, cwd: string): string {
  const vaults = where.targets.map((t) => {
    const url = new URL(t.vaultUrl);
    const vault = url.hostname.includes('.') ? url.hostname.split('.')[0] : url.host; // a local emulator's host:port
    const source = t.source === undefined ? undefined : `from ${shortPath(t.source, cwd)}`;
    const about = [t.workspace && `workspace ${t.workspace}`, source].filter(Boolean).join(', ');
    return `${vault}${about ? ` (${about})` : ''}`;
  });
  return (
    'Nothing you type is shown. Enter sets the value, Ctrl-C cancels; paste a multi-line value (a PEM) whole.\n' +
    `Value for secret ${where.name} in vault${vaults.length > 1 ? 's' : ''} ${vaults.join(', ')}: `
  );
}

/** A config file under (or above) the current directory, relative to it: `.azureml/config.json`. */
function shortPath(source: string, cwd: string): string {
  return source.replace(/\/\S+$/, (file) => {
    const rel = relative(cwd, file);
    return rel.length < file.length ? rel : file;
  });
}

const APPLIED_LINE = /^(\[[^\]]+\] )?\S+: (created|updated|recovered), version \S+$/;

/** Standard input that is neither a pipe nor a terminal (an io without one): an empty value. */
const noStdin: CliStdin = {
  isTty: false,
  readAll: async () => Buffer.alloc(0),
  prompt: async () => undefined,
};

/**
 * A push: a line per secret and a total, or with --json the outputs (vault-url a string, the rest parsed). A listing:
 * a table, or its own JSON. A listing stopped by its inputs prints nothing here (the problems are on standard error).
 */
function cliOutput(result: RunResult, json: boolean, command: Command): string {
  if (command === 'list' && result.mode === 'push') return '';
  if (result.mode === 'list') return json ? `${JSON.stringify(listJson(result), null, 2)}\n` : listText(result);
  if (!json) return pushText(result);
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
    prompt: (question, signal) => {
      // Node puts the terminal back in cooked mode at exit, but not the paste mode: a stop while prompting must too.
      const restore = () => process.stderr.write(PASTE_OFF);
      process.once('exit', restore);
      return hiddenPrompt(stdin, (t) => process.stderr.write(t), question, signal).finally(() =>
        process.removeListener('exit', restore),
      );
    },
  };
}

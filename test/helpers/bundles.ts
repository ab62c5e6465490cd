// Runs the committed bundles the way the platforms do: the GitHub runner (INPUT_* with defaults from
// action.yml, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and the Azure DevOps agent (INPUT_* with defaults
// from task.json, public variables as env, secret variables as SECRET_*, ##vso commands on stdout).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import yaml from 'js-yaml';

const root = resolve(__dirname, '../..');

export interface NodeRuntime {
  label: string;
  path: string;
}

export function nodeMajor(runtime: NodeRuntime | string): number {
  const out = spawnSync(typeof runtime === 'string' ? runtime : runtime.path, ['--version'], { encoding: 'utf8' });
  return Number(/^v(\d+)/.exec(out.stdout ?? '')?.[1]);
}

/**
 * The machine's Node 20. Not process.execPath: npm scripts put node_modules/.bin first on PATH,
 * where the `node` package links Node 24, so jest itself may be running on 24.
 */
function machineNode20(): string {
  const candidates = [
    process.env.npm_node_execpath,
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter((d) => !d.includes('node_modules'))
      .map((d) => join(d, 'node')),
    process.execPath,
  ].filter((p): p is string => !!p && existsSync(p));
  return candidates.find((p) => nodeMajor(p) === 20) ?? 'no-node-20-found-on-this-machine';
}

/** Node 20 (this machine's) and Node 24 (the npm `node` package): the runtimes the platforms use. */
export const NODE_RUNTIMES: NodeRuntime[] = [
  { label: 'node20', path: machineNode20() },
  { label: 'node24', path: join(root, 'node_modules/node/bin/node') },
];

/** The environment a hosted runner or agent would give, minus everything from this test process. */
function baseEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key]!;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> [args]`; a relative script is taken from the repository root. */
function run(
  node: string,
  script: string,
  env: Record<string, string>,
  onSpawn?: (child: ChildProcess) => void,
  args: readonly string[] = [],
  cwd: string = mkdtempSync(join(tmpdir(), 'aml-cwd-')),
): Promise<ProcessRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [resolve(root, script), ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    // Decoded by the stream: decoding each chunk alone would garble a multi-byte character that
    // straddles two chunks (and hide a value from a scan, or corrupt a mask registration).
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.stderr.on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** The CLI bundle as a script runs it: stdin closed, stdout and stderr on pipes (not a terminal), a fresh cwd. */
export function runCli(
  node: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<ProcessRun> {
  return run(node, 'dist/cli/index.mjs', env, undefined, args, cwd);
}

// ---------------------------------------------------------------- GitHub

interface ActionManifest {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}
export const actionManifest = yaml.load(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionManifest;

export interface GitHubRun extends ProcessRun {
  outputs: Record<string, string>;
  summary: string;
  /** Data of every ::add-mask:: command, unescaped. */
  masks: string[];
  files: { output: string; summary: string };
}

export interface GitHubOptions {
  node: NodeRuntime;
  inputs: Record<string, string>;
  /** The step's env: (secrets mapped by the workflow) plus e.g. the emulator's identity variables. */
  env?: Record<string, string | undefined>;
  /** Called with the process once started (e.g. to signal it, as a cancelled job's runner does). */
  onSpawn?: (child: ChildProcess) => void;
}

export async function runGitHubAction(opts: GitHubOptions): Promise<GitHubRun> {
  const dir = mkdtempSync(join(tmpdir(), 'aml-gh-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const inputs: Record<string, string> = {};
  // The runner passes every declared input, with its default when the workflow gives none.
  for (const [name, spec] of Object.entries(actionManifest.inputs)) inputs[name] = spec.default ?? '';
  Object.assign(inputs, opts.inputs);
  const env = baseEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'contoso/train',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
    ...opts.env,
  });
  const result = await run(opts.node.path, 'dist/github/index.mjs', env, opts.onSpawn);
  return {
    ...result,
    outputs: parseGitHubOutputFile(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
    masks: result.stdout
      .split(/\r?\n/)
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => unescapeGitHubData(l.slice('::add-mask::'.length))),
    files: { output, summary },
  };
}

/** GITHUB_OUTPUT heredoc format: `name<<DELIM\nvalue\nDELIM\n`. */
export function parseGitHubOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const [, name, delim] = m;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

function unescapeGitHubData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

// ---------------------------------------------------------------- Azure DevOps

interface TaskManifest {
  inputs: { name: string; defaultValue?: string }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
}
export const taskManifest = JSON.parse(readFileSync(join(root, 'task.json'), 'utf8')) as TaskManifest;

export interface VsoCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
  line: number;
}

export interface AzdoRun extends ProcessRun {
  commands: VsoCommand[];
  result?: string;
  outputs: Record<string, string>;
  /** Contents of every uploaded summary file. */
  summaries: string[];
  masks: string[];
  tempDir: string;
}

export interface AzdoOptions {
  node: NodeRuntime;
  /** Task inputs by their task.json names. */
  inputs: Record<string, string>;
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /**
   * A task folder as the agent has it after installing the extension (task.json plus its target):
   * the agent runs `node <taskDir>/<execution.HANDLER.target>` from that folder's task.json.
   * Default: the repository (its task.json and the committed bundle).
   */
  taskDir?: string;
  /** Called with the process once started (e.g. to signal it, as a cancelled job's agent does). */
  onSpawn?: (child: ChildProcess) => void;
}

/** The agent's ConvertToEnvVariableFormat and task-lib's _getVariableKey: '.' and ' ' → '_', upper case. */
export function variableKey(name: string): string {
  return name.replace(/\./g, '_').replace(/ /g, '_').toUpperCase();
}

export async function runAzdoTask(opts: AzdoOptions): Promise<AzdoRun> {
  const tempDir = mkdtempSync(join(tmpdir(), 'aml-agent-'));
  const inputs: Record<string, string> = {};
  for (const input of taskManifest.inputs) inputs[input.name] = input.defaultValue ?? '';
  Object.assign(inputs, opts.inputs);
  const variables = {
    'System.CollectionUri': 'https://dev.azure.com/contoso/',
    'System.TeamProject': 'ml',
    'Build.DefinitionName': 'train',
    'Agent.TempDirectory': tempDir,
    ...opts.variables,
  };
  const secrets = opts.secretVariables ?? {};
  const env = baseEnv({
    TF_BUILD: 'True',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${variableKey(k)}`, v])),
    ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [variableKey(k), v])),
    VSTS_PUBLIC_VARIABLES: JSON.stringify(Object.keys(variables)),
    ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`SECRET_${variableKey(k)}`, v])),
    VSTS_SECRET_VARIABLES: JSON.stringify(Object.keys(secrets)),
    ...opts.env,
  });
  const manifest = opts.taskDir
    ? (JSON.parse(readFileSync(join(opts.taskDir, 'task.json'), 'utf8')) as TaskManifest)
    : taskManifest;
  // The agent picks the handler for its Node: Node20_1 on 20, Node24 on 24 (both run the same bundle).
  const handler = opts.node.label === 'node20' ? 'Node20_1' : 'Node24';
  const target = manifest.execution[handler]?.target;
  if (!target) throw new Error(`task.json has no ${handler} handler`);
  const result = await run(opts.node.path, join(opts.taskDir ?? root, target), env, opts.onSpawn);
  const commands = parseVsoCommands(result.stdout);
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  let taskResult: string | undefined;
  for (const c of commands) {
    if (c.command === 'task.setvariable' && c.properties.isOutput === 'true') outputs[c.properties.variable!] = c.data;
    if (c.command === 'task.uploadsummary')
      summaries.push(existsSync(c.data) ? readFileSync(c.data, 'utf8') : `(missing file ${c.data})`);
    if (c.command === 'task.complete') taskResult = c.properties.result;
  }
  return {
    ...result,
    commands,
    result: taskResult,
    outputs,
    summaries,
    masks: commands.filter((c) => c.command === 'task.setsecret').map((c) => c.data),
    tempDir,
  };
}

/** The agent finds `##vso[` anywhere in a line (Command.cs) and unescapes as CommandStringConvertor does. */
export function parseVsoCommands(stdout: string): VsoCommand[] {
  const commands: VsoCommand[] = [];
  stdout.split(/\r?\n/).forEach((text, line) => {
    const start = text.indexOf('##vso[');
    if (start < 0) return;
    const end = text.indexOf(']', start);
    if (end < 0) return;
    const head = text.slice(start + 6, end);
    const space = head.indexOf(' ');
    const command = space < 0 ? head : head.slice(0, space);
    const properties: Record<string, string> = {};
    if (space >= 0) {
      for (const pair of head.slice(space + 1).split(';')) {
        const eq = pair.indexOf('=');
        if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeVso(pair.slice(eq + 1));
      }
    }
    commands.push({ command, properties, data: unescapeVso(text.slice(end + 1)), line });
  });
  return commands;
}

function unescapeVso(s: string): string {
  return s
    .replace(/%3B/g, ';')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%AZP25/g, '%');
}

export interface ServiceConnection {
  id: string;
  scheme: string;
  /** Authorization parameters, e.g. tenantid, serviceprincipalid, serviceprincipalkey. */
  parameters: Record<string, string>;
  /** Endpoint data, e.g. environment, subscriptionId, activeDirectoryAuthority. */
  data?: Record<string, string>;
  /** The connection's URL: Resource Manager for AzureRM connections. */
  url?: string;
  /** The job's access token (System.AccessToken), as the agent passes the system connection. */
  systemAccessToken?: string;
}

/** The env the agent gives a task for its service connection (agent Handler.cs: ENDPOINT_* variables). */
export function serviceConnectionEnv(c: ServiceConnection): Record<string, string> {
  const env: Record<string, string> = {
    [`ENDPOINT_AUTH_${c.id}`]: JSON.stringify({ parameters: c.parameters, scheme: c.scheme }),
    [`ENDPOINT_AUTH_SCHEME_${c.id}`]: c.scheme,
  };
  for (const [k, v] of Object.entries(c.parameters)) env[`ENDPOINT_AUTH_PARAMETER_${c.id}_${variableKey(k)}`] = v;
  if (c.data) {
    env[`ENDPOINT_DATA_${c.id}`] = JSON.stringify(c.data);
    for (const [k, v] of Object.entries(c.data)) env[`ENDPOINT_DATA_${c.id}_${variableKey(k)}`] = v;
  }
  if (c.url) env[`ENDPOINT_URL_${c.id}`] = c.url;
  if (c.systemAccessToken) {
    env.ENDPOINT_AUTH_SYSTEMVSSCONNECTION = JSON.stringify({
      parameters: { AccessToken: c.systemAccessToken },
      scheme: 'OAuth',
    });
    env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION = 'OAuth';
    env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN = c.systemAccessToken;
  }
  return env;
}

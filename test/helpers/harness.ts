// One way to drive either bundle in a test: inputs by their GitHub names, secret values by variable.
// GitHub gets the values as step env (how `env: X: ${{ secrets.X }}` arrives); Azure DevOps gets them
// as secret pipeline variables (SECRET_* plus VSTS_SECRET_VARIABLES, as the agent passes them).
import { NODE_RUNTIMES, runAzdoTask, runGitHubAction, type NodeRuntime } from './bundles.js';

export interface PushRun {
  ok: boolean;
  /** Outputs under the GitHub names (Azure DevOps camelCase names mapped back). */
  outputs: Record<string, string>;
  summary: string;
  /** The failure message the platform would show. */
  failure: string;
  stdout: string;
  stderr: string;
  masks: string[];
  /** Every file of ours the run wrote that a person or a later step can read. */
  files: string[];
}

export interface PushOptions {
  inputs: Record<string, string>;
  values?: Record<string, string>;
  debug?: boolean;
  env?: Record<string, string | undefined>;
}

export interface Harness {
  label: string;
  platform: 'github' | 'azdo';
  node: NodeRuntime;
  push(opts: PushOptions): Promise<PushRun>;
}

const camel = (k: string): string => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function gitHubHarness(node: NodeRuntime, emulatorEnv: Record<string, string>): Harness {
  return {
    label: `github/${node.label}`,
    platform: 'github',
    node,
    async push(opts) {
      const debugEnv = opts.debug ? { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1', AZURE_LOG_LEVEL: 'verbose' } : {};
      const r = await runGitHubAction({
        node,
        inputs: opts.inputs,
        env: { ...emulatorEnv, ...debugEnv, ...opts.values, ...opts.env },
      });
      const failure = r.stdout
        .split(/\r?\n/)
        .filter((l) => l.startsWith('::error::'))
        .map((l) => l.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))
        .join('\n');
      return {
        ok: r.code === 0,
        outputs: r.outputs,
        summary: r.summary,
        failure,
        stdout: r.stdout,
        stderr: r.stderr,
        masks: r.masks,
        files: [r.files.output, r.files.summary],
      };
    },
  };
}

export function azdoHarness(node: NodeRuntime, emulatorEnv: Record<string, string>): Harness {
  return {
    label: `azdo/${node.label}`,
    platform: 'azdo',
    node,
    async push(opts) {
      const inputs = Object.fromEntries(Object.entries(opts.inputs).map(([k, v]) => [camel(k), v]));
      const variables: Record<string, string> = opts.debug ? { 'System.Debug': 'true' } : {};
      const debugEnv = opts.debug ? { AZURE_LOG_LEVEL: 'verbose' } : {};
      const r = await runAzdoTask({
        node,
        inputs,
        variables,
        secretVariables: opts.values ?? {},
        env: { ...emulatorEnv, ...debugEnv, ...opts.env },
      });
      const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [kebab(k), v]));
      // The failure is the error issue (task.complete carries no copy of it).
      const failure = r.commands
        .filter((c) => (c.command === 'task.issue' || c.command === 'task.logissue') && c.properties.type === 'error')
        .map((c) => c.data)
        .join('\n');
      const summaryFiles = r.commands.filter((c) => c.command === 'task.uploadsummary').map((c) => c.data);
      return {
        ok: r.result === 'Succeeded' && r.code === 0,
        outputs,
        summary: r.summaries.join('\n'),
        failure,
        stdout: r.stdout,
        stderr: r.stderr,
        masks: r.masks,
        files: summaryFiles,
      };
    },
  };
}

/** Both bundles on both runtimes, for describe.each: `make` binds a harness to an emulator's env. */
export const HARNESSES = NODE_RUNTIMES.flatMap((node) => [
  { label: `github/${node.label}`, make: (env: Record<string, string>) => gitHubHarness(node, env) },
  { label: `azdo/${node.label}`, make: (env: Record<string, string>) => azdoHarness(node, env) },
]);

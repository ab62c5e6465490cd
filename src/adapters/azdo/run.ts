// Azure DevOps task adapter: inputs and variables through the task library, masking with
// ##vso[task.setsecret] (one line at a time: the library refuses multi-line values), output
// variables, an uploaded summary, one error issue and one setResult.
import { networkEnvironment, setNetworkEnvironment } from '../../core/errors/describe-error.js';
import type * as TaskLibModule from 'azure-pipelines-task-lib/task.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INPUT_KEYS, type InputKey, type RawInputs } from '../../core/inputs/inputs.js';
import { CORE_INPUTS, camelCase, labeller, outputLabel, type OutputName } from '../../core/inputs/inputs.js';
import { runOutputs, runSummaryMarkdown } from '../../core/report/fleet-summary.js';
import { userAgent } from '../../core/common/user-agent.js';
import { runAdapter } from '../run-adapter.js';
import { azdoSignIn, type ConnectionLib } from './sign-in.js';
import { quietly } from './quietly.js';

export type TaskLib = Pick<
  typeof TaskLibModule,
  | 'getInput'
  | 'getVariable'
  | 'getVariables'
  | 'setSecret'
  | 'setVariable'
  | 'setResult'
  | 'error'
  | 'debug'
  | 'warning'
  | 'uploadSummary'
  | 'setStdStream'
  | 'TaskResult'
> &
  ConnectionLib;

export async function runAzdo(tl: TaskLib, env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<void> {
  // Failure messages name the proxy the Azure SDK uses (from these variables), never its credentials.
  setNetworkEnvironment(networkEnvironment(env));
  const raw: RawInputs = {};
  for (const key of INPUT_KEYS) {
    const read = () => tl.getInput(camelCase(key));
    // Inputs whose text carries secret values are read without the task library's debug echo.
    raw[key] = CORE_INPUTS[key].secretBearing ? quietly(tl, read) : read();
  }
  // The service connection signs in, and answers what the pipeline left empty (cloud, subscription…).
  const { signIn, defaults } = azdoSignIn(tl, env);
  for (const [key, value] of Object.entries(defaults) as [InputKey, string][]) {
    const wantsSubscription = raw['workspace-name']?.trim() || raw.targets?.trim();
    if (!raw[key]?.trim() && (key !== 'subscription-id' || wantsSubscription)) raw[key] = value;
  }

  await runAdapter({
    raw,
    ...(signal && { signal }),
    label: labeller('azdo'),
    // A pipeline variable, secret or not, through the task library's vault; else the environment
    // (a value mapped with `env:`). Quietly: getVariable echoes the value as a debug line.
    lookup: (variable) => quietly(tl, () => tl.getVariable(variable)) ?? env[variable],
    // Names only are kept; the library reads each value too, so it runs quietly.
    variableNames: () => [...quietly(tl, () => tl.getVariables()).map((v) => v.name), ...Object.keys(env)],
    variableKind: 'pipeline variable',
    // A relative workspaceConfig is the repository's file: the checkout is System.DefaultWorkingDirectory.
    ...workingDirectory(quietly(tl, () => tl.getVariable('System.DefaultWorkingDirectory'))),
    masker: {
      mask: (fragment) => {
        // The core also hands each line separately; the library throws on a multi-line fragment.
        if (!/[\r\n]/.test(fragment)) tl.setSecret(fragment);
      },
    },
    logger: { debug: (m) => tl.debug(m), info: (m) => console.log(m), warning: (m) => tl.warning(m) },
    debug: (tl.getVariable('System.Debug') ?? '').toLowerCase() === 'true',
    userAgent: userAgent('azdo'),
    signIn,
    owner: { id: azdoOwner(env) },
    // Each progress report is a collapsed group in the log: its headline, and a line per target inside.
    progress: {
      report: ({ title, details }) => console.log([`##[group]${title}`, ...details, '##[endgroup]'].join('\n')),
    },
    publish: async (result) => {
      for (const [name, value] of Object.entries(runOutputs(result)))
        tl.setVariable(outputLabel(name as OutputName, 'azdo'), value, false, true);
      // The agent uploads the summary file as it is, unmasked: it holds names, actions and versions only.
      const dir = join(env.AGENT_TEMPDIRECTORY || tmpdir(), `aml-vault-push-${randomUUID()}`);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'aml-vault-push.md');
      writeFileSync(file, runSummaryMarkdown(result));
      tl.uploadSummary(file);
    },
    // setResult(Failed, message) would put the message in the log twice (an error issue, and task.complete's
    // text): the failure is stated once, as the error issue, and the result carries no copy of it.
    fail: (message) => {
      tl.error(message);
      tl.setResult(tl.TaskResult.Failed, '');
    },
    succeed: () => tl.setResult(tl.TaskResult.Succeeded, ''),
  });
}

function azdoOwner(env: NodeJS.ProcessEnv): string {
  const collection = (env.SYSTEM_COLLECTIONURI ?? '').replace(/^https?:\/\//, '').replace(/\/?$/, '/');
  const project = env.SYSTEM_TEAMPROJECT ?? 'unknown-project';
  const definition = env.BUILD_DEFINITIONNAME ?? env.RELEASE_DEFINITIONNAME ?? 'unknown-pipeline';
  return `${collection === '/' ? '' : collection}${project}/${definition}`;
}

function workingDirectory(dir: string | undefined): { workingDirectory?: string } {
  return dir === undefined || dir === '' ? {} : { workingDirectory: dir };
}

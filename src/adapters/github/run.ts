// GitHub Action adapter: inputs from INPUT_* (through @actions/core), values from the step's
// environment, masking with ::add-mask::, outputs to GITHUB_OUTPUT, a job summary, one setFailed.
import { networkEnvironment, setNetworkEnvironment } from '../../core/errors/describe-error.js';
import type * as ActionsCoreModule from '@actions/core';
import { INPUT_KEYS, type RawInputs } from '../../core/inputs/inputs.js';
import { labeller } from '../../core/inputs/inputs.js';
import { runOutputs, runSummaryMarkdown } from '../../core/report/fleet-summary.js';
import { userAgent } from '../../core/common/user-agent.js';
import { runAdapter } from '../run-adapter.js';
import { gitHubSignIn } from './sign-in.js';

export type ActionsCore = Pick<
  typeof ActionsCoreModule,
  | 'getInput'
  | 'setSecret'
  | 'setOutput'
  | 'setFailed'
  | 'debug'
  | 'info'
  | 'warning'
  | 'isDebug'
  | 'summary'
  | 'getIDToken'
  | 'startGroup'
  | 'endGroup'
>;

export async function runGitHub(
  core: ActionsCore,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<void> {
  // Failure messages name the proxy the Azure SDK uses (from these variables), never its credentials.
  setNetworkEnvironment(networkEnvironment(env));
  // getInput does not log; the values behind the variables are read from the step's environment.
  const raw: RawInputs = {};
  for (const key of INPUT_KEYS) raw[key] = core.getInput(key);

  await runAdapter({
    raw,
    ...(signal && { signal }),
    label: labeller('github'),
    lookup: (variable) => env[variable],
    variableNames: () => Object.keys(env),
    variableKind: 'environment variable',
    // A relative workspace-config is the repository's file: the checkout is GITHUB_WORKSPACE.
    ...(env.GITHUB_WORKSPACE && { workingDirectory: env.GITHUB_WORKSPACE }),
    masker: { mask: (fragment) => core.setSecret(fragment) },
    logger: { debug: core.debug, info: core.info, warning: core.warning },
    debug: core.isDebug(),
    userAgent: userAgent('github'),
    signIn: gitHubSignIn(
      {
        auth: core.getInput('auth'),
        clientId: core.getInput('client-id'),
        tenantId: core.getInput('tenant-id'),
        audience: core.getInput('audience'),
      },
      core,
      env,
    ),
    owner: { id: githubOwner(env) },
    // Each progress report is a collapsed group: its headline, and a line per target inside.
    progress: {
      report: ({ title, details }) => {
        core.startGroup(title);
        for (const line of details) core.info(line);
        core.endGroup();
      },
    },
    publish: async (result) => {
      for (const [name, value] of Object.entries(runOutputs(result))) core.setOutput(name, value);
      // The runner masks the summary too, but it never holds a value in the first place.
      if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(runSummaryMarkdown(result), true).write();
    },
    fail: (message) => core.setFailed(message),
    succeed: () => undefined,
  });
}

function githubOwner(env: NodeJS.ProcessEnv): string {
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/^https?:\/\//, '');
  return `${server}/${env.GITHUB_REPOSITORY ?? 'unknown-repository'}`;
}

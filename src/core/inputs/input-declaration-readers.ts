// The inputs of the readers check (can the identities training jobs run as read the pushed secrets?): part of the
// input declaration (input-declaration.ts places them among the core inputs).
import type { InputSpec } from './input-spec.js';

export const READERS_INPUTS = {
  readers: {
    kind: { type: 'lines' },
    repeats: true,
    cli: { metavar: 'READER' },
    description: (d) =>
      'Identities your jobs and deployments read the secrets as, one a line: `compute:NAME` (a compute of the workspace: each of its managed identities), ' +
      '`endpoint:NAME` (an online endpoint: its identity, which secret injection uses; RBAC vaults only), ' +
      '`workspace` (the workspace’s own identities: SDK v1 `Run.get_secret`), `serverless` (the workspace’s user-assigned identities, which serverless jobs run as), ' +
      '`identity:RESOURCE_ID` (a user-assigned managed identity) or `principal:OBJECT_ID` (a user or group whose jobs run with user identity, a service principal). ' +
      `After the push, each target’s vault is checked: can each of them get every pushed secret (RBAC role assignments or access policies)? ` +
      `\`compute:\`, \`endpoint:\`, \`workspace\` and \`serverless\` need workspace targets. See ${d.ref('grant-readers')}, ${d.ref('readers-missing')} and ${d.ref('stale-references')}.`,
    azdo: { label: 'Readers (one a line)', group: 'readers' },
  },
  'grant-readers': {
    kind: { type: 'boolean' },
    default: 'false',
    description: (d) =>
      `Grant what ${d.ref('readers')} lack, least privilege: \`Key Vault Secrets User\` on the vault (RBAC vaults) or an access policy with secrets \`get\`, \`list\`. ` +
      'Needs the right to assign roles (e.g. Key Vault Data Access Administrator on the vault) or Key Vault Contributor for access policies. ' +
      `${d.ref('dry-run')} says what it would grant.`,
    azdo: { label: 'Grant missing read access', group: 'readers', visibleRule: 'readers != ""' },
  },
  'readers-missing': {
    kind: { type: 'choice', values: ['fail', 'warn'] },
    default: 'fail',
    description: (d) =>
      `When a reader of ${d.ref('readers')} cannot read the secrets, or does not exist (a compute or identity Resource Manager does not know): \`fail\` the step (the job would get 403) or \`warn\`. ` +
      'The secrets are written either way; a reader that cannot be checked is a warning.',
    azdo: {
      label: 'When a reader cannot read',
      group: 'readers',
      visibleRule: 'readers != ""',
      options: { fail: 'fail', warn: 'warn' },
    },
  },
  'stale-references': {
    kind: { type: 'choice', values: ['warn', 'fail', 'ignore'] },
    default: 'warn',
    description: (d) =>
      `For each \`endpoint:\` line of ${d.ref('readers')}: the endpoint's deployments are read, and a \`\${{keyvault:…}}\` reference in their environment variables that pins an older version of a pushed secret is reported with the command that updates it: \`warn\`, \`fail\` the step, or \`ignore\` (the deployments are not read). ` +
      'A reference to a secret the vault does not have fails the step under `warn` too: that deployment would not start.',
    azdo: {
      label: 'When a deployment pins an older version',
      group: 'readers',
      visibleRule: 'readers != ""',
      options: { warn: 'warn', fail: 'fail', ignore: 'ignore' },
    },
  },
} satisfies Record<string, InputSpec>;

// The inputs of the readers check (can the identities training jobs run as read the pushed secrets?): part of the
// input declaration (input-declaration.ts places them among the core inputs).
import type { InputSpec } from './input-spec.js';

export const READERS_INPUTS = {
  readers: {
    kind: { type: 'lines' },
    repeats: true,
    cli: { metavar: 'READER' },
    description: (d) =>
      'Identities your training jobs read the secrets as, one a line: `compute:NAME` (a compute of the workspace: each of its managed identities), ' +
      '`workspace` (the workspace’s own identities: serverless jobs, SDK v1 `Run.get_secret`), `identity:RESOURCE_ID` (a user-assigned managed identity) ' +
      'or `principal:OBJECT_ID` (a user or group whose jobs run with user identity, a service principal). ' +
      `After the push, each target’s vault is checked: can each of them get every pushed secret (RBAC role assignments or access policies)? ` +
      `\`compute:\` and \`workspace\` need workspace targets. See ${d.ref('grant-readers')} and ${d.ref('readers-missing')}.`,
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
} satisfies Record<string, InputSpec>;

// Every input and output, declared once: the data behind inputs.ts. Descriptions are Markdown and name other inputs
// through `d.ref(key)`, so each platform's manifest and message reads its own spelling.
import { CONCURRENCY } from '../azure/limits.js';
import type { InputSpec, Platform } from './input-spec.js';
import { FLEET_INPUTS, TARGETS_INPUT } from './input-declaration-fleet.js';
import { READERS_INPUTS } from './input-declaration-readers.js';

const lines = { type: 'lines' } as const;
const text = { type: 'text' } as const;
const bool = { type: 'boolean' } as const;

/** Inputs the core reads (parse-request). Named as on GitHub: the canonical key. */
export const CORE = {
  secrets: {
    kind: lines,
    // Names only, but a value pasted where a variable's name belongs must not be echoed either.
    secretBearing: true,
    repeats: true,
    cli: { metavar: 'NAME[=VARIABLE]' },
    required: 'this or secrets-json (push)',
    description: (d) =>
      `One mapping a line: \`vault-secret-name=VARIABLE\`, or just \`VARIABLE\` (name derived with ${d.ref('name-transform')}). ` +
      `Blank lines and \`#\` comments are ignored. VARIABLE is ${variableKind(d.platform)}; the value is never read from the input itself.`,
    azdo: { label: 'Secrets (name=VARIABLE, one a line)', group: 'secrets' },
  },
  'secrets-json': {
    kind: { type: 'json' },
    secretBearing: true,
    cli: { flag: 'secrets-json-file', metavar: 'PATH' },
    required: 'this or secrets (push)',
    description: (d) =>
      d.platform === 'cli'
        ? `A file holding a JSON object name → value (\`-\` reads standard input). Filter its keys with ${d.ref('include')} / ${d.ref('exclude')}.`
        : `A JSON object name → value${d.platform === 'github' ? ', e.g. `${{ toJSON(secrets) }}`' : ''}. ` +
          `Filter its keys with ${d.ref('include')} / ${d.ref('exclude')}. \`github_token\` is excluded unless ${d.ref('include')} names it.`,
    azdo: { label: 'Secrets as JSON', group: 'secrets' },
  },
  include: {
    kind: lines,
    repeats: true,
    cli: { metavar: 'GLOB' },
    description: (d) =>
      `Glob patterns (\`*\`, \`?\`; newline or comma separated, case-insensitive) of ${d.ref('secrets-json')} keys to push. Default: all.`,
    azdo: { label: 'Include keys', group: 'secrets', visibleRule: 'secretsJson != ""' },
  },
  exclude: {
    kind: lines,
    repeats: true,
    cli: { metavar: 'GLOB' },
    description: (d) => `Glob patterns of ${d.ref('secrets-json')} keys to leave out.`,
    azdo: { label: 'Exclude keys', group: 'secrets', visibleRule: 'secretsJson != ""' },
  },
  'name-transform': {
    kind: { type: 'choice', values: ['dashes', 'kebab', 'none'] },
    default: 'dashes',
    description: () =>
      'How a variable or key becomes a vault secret name: `dashes` (DB_PASSWORD → DB-PASSWORD), `kebab` (→ db-password) or `none`. ' +
      'Vault names are 1–127 of `[0-9a-zA-Z-]` and compare case-insensitively.',
    azdo: {
      label: 'Name transform',
      group: 'secrets',
      options: { dashes: 'dashes (DB_PASSWORD → DB-PASSWORD)', kebab: 'kebab (→ db-password)', none: 'none' },
    },
  },
  ...TARGETS_INPUT,
  // Subscription, resource group, workspace: the order each narrows the next (the task's pickers list them so).
  'subscription-id': {
    kind: { type: 'guid' },
    cli: { metavar: 'GUID' },
    required: 'with a workspace (not on Azure DevOps)',
    description: (d) =>
      `The subscription (GUID) of ${d.ref('workspace-name')}, and of ${d.ref('targets')} lines without one.` +
      (d.platform === 'azdo' ? ' Default: the service connection’s subscription.' : ''),
    readmeDefault: "Azure DevOps: the connection's",
    azdo: { label: 'Subscription id', group: 'target' },
  },
  'resource-group': {
    kind: text,
    cli: { metavar: 'RG' },
    required: 'with a workspace',
    description: (d) => `The resource group of ${d.ref('workspace-name')}.`,
    azdo: { label: 'Resource group', group: 'target', editablePickList: true },
  },
  'workspace-name': {
    kind: text,
    cli: { metavar: 'WS' },
    required: 'one target',
    description: (d) =>
      `The Azure ML workspace whose default Key Vault receives the secrets (with ${d.ref('resource-group')} and ${d.ref('subscription-id')}). ` +
      `Give this, ${d.ref('vault-name')} or ${d.ref('vault-url')}.`,
    azdo: { label: 'Azure ML workspace', group: 'target', editablePickList: true },
  },
  'vault-name': {
    kind: text,
    cli: { metavar: 'NAME' },
    required: 'one target',
    description: () => "The vault name; the URL is `https://NAME.<the cloud's vault suffix>`.",
    azdo: { label: 'Vault name', group: 'target', editablePickList: true },
  },
  'vault-url': {
    kind: { type: 'url' },
    cli: { metavar: 'URL' },
    required: 'one target',
    description: () => 'The vault, e.g. `https://my-vault.vault.azure.net`. https only.',
    azdo: { label: 'Vault URL', group: 'target' },
  },
  'workspace-config': {
    kind: text,
    cli: { metavar: 'PATH' },
    required: 'one target',
    description: (d) =>
      'An Azure ML workspace config, as the portal\'s "Download config.json" gives it: `subscription_id`, `resource_group` and ' +
      '`workspace_name`, or a `Scope` resource id. A file, or a directory to search from the way `MLClient.from_config()` does ' +
      `(\`.azureml/config.json\` and the rest, up through 20 parents)${workingDirectoryNote(d.platform)}. ` +
      `Instead of ${d.ref('workspace-name')}, ${d.ref('vault-name')}, ${d.ref('vault-url')} and ${d.ref('targets')}.` +
      (d.platform === 'cli'
        ? " Without any target flag the CLI searches from the current directory, then uses az's defaults (`az configure --defaults group=RG workspace=WS`)."
        : ''),
    azdo: { label: 'Workspace config file', group: 'target' },
  },
  cloud: {
    kind: { type: 'choice', values: ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'] },
    default: 'AzureCloud',
    description: (d) =>
      '`AzureCloud`, `AzureUSGovernment` or `AzureChinaCloud`: the sign-in authority, Resource Manager and the vault DNS suffix.' +
      (d.platform === 'azdo' ? ' Default: the service connection’s environment, else AzureCloud.' : ''),
    readmeDefault: "`AzureCloud` (Azure DevOps: the connection's)",
    azdo: {
      label: 'Cloud',
      group: 'signin',
      default: '',
      options: {
        '': '(from the service connection)',
        AzureCloud: 'AzureCloud',
        AzureUSGovernment: 'AzureUSGovernment',
        AzureChinaCloud: 'AzureChinaCloud',
      },
    },
  },
  'resource-manager-endpoint': {
    kind: { type: 'url' },
    // No az or Azure SDK variable names it; the emulator's --shell output sets this one.
    cli: { metavar: 'URL', env: 'AML_VAULT_PUSH_RESOURCE_MANAGER_ENDPOINT' },
    description: (d) =>
      "Resource Manager URL, for Azure Stack and custom clouds (the token audience stays the named cloud's)." +
      (d.platform === 'azdo' ? ' Default: the service connection’s URL.' : ''),
    readmeDefault: "the cloud's (Azure DevOps: the connection's)",
    azdo: { label: 'Resource Manager endpoint', group: 'signin' },
  },
  'authority-host': {
    kind: { type: 'url' },
    // The variable @azure/identity itself reads for its credentials' authority.
    cli: { metavar: 'URL', env: 'AZURE_AUTHORITY_HOST' },
    description: (d) =>
      'Entra ID authority host for a custom cloud, e.g. `https://login.microsoftonline.com`. https only.' +
      (d.platform === 'azdo' ? ' Default: the service connection’s authority.' : ''),
    readmeDefault: "the cloud's (Azure DevOps: the connection's)",
    azdo: { label: 'Authority host', group: 'signin' },
  },
  'allowed-vault-suffixes': {
    kind: lines,
    repeats: true,
    cli: { metavar: 'SUFFIX' },
    description: (d) =>
      'DNS suffixes of vaults outside the named cloud (Azure Stack Hub, a private cloud), e.g. `vault.contoso.local`. ' +
      `A vault's host must be NAME.<the cloud's vault suffix>, NAME.<one of these> or a loopback host: any other host is refused before a token is requested (a typo'd or planted ${d.ref('vault-url')} never gets one).`,
    azdo: { label: 'Allowed vault DNS suffixes', group: 'signin' },
  },
  'content-type': {
    kind: text,
    cli: { metavar: 'TYPE' },
    description: () => 'Content type set on every pushed secret (at most 255 characters).',
    azdo: { label: 'Content type', group: 'properties' },
  },
  tags: {
    kind: lines,
    repeats: true,
    cli: { metavar: 'KEY=VALUE' },
    description: () =>
      'Tags set on every pushed secret, one `key=value` a line (at most 13; two more are the ownership tags).',
    azdo: { label: 'Tags', group: 'properties' },
  },
  'expires-in': {
    kind: { type: 'duration' },
    cli: { metavar: 'DURATION' },
    description: () =>
      'Expiry relative to when a version is written: `90d`, `12h`, `2w`, `30m`. A rerun with the same value keeps the version (and its expiry).',
    azdo: { label: 'Expires in', group: 'properties' },
  },
  'expires-on': {
    kind: { type: 'date' },
    cli: { metavar: 'DATE' },
    description: () => 'Absolute expiry, an ISO 8601 date or date-time in the future.',
    azdo: { label: 'Expires on', group: 'properties' },
  },
  'not-before': {
    kind: { type: 'date' },
    cli: { metavar: 'DATE' },
    description: () => 'Activation date, ISO 8601.',
    azdo: { label: 'Not before', group: 'properties' },
  },
  'on-deleted': {
    kind: { type: 'choice', values: ['recover', 'fail', 'purge'] },
    default: 'recover',
    description: () =>
      'When a name is soft-deleted in the vault: `recover` it, wait until it is readable, then set the value; `fail`; ' +
      'or `purge` it first (needs the purge permission; irreversible).',
    azdo: {
      label: 'When soft-deleted',
      group: 'advanced',
      options: { recover: 'recover', fail: 'fail', purge: 'purge' },
    },
  },
  'adopt-unowned': {
    kind: bool,
    default: 'false',
    description: (d) =>
      `Overwrite existing secrets that this ${d.platform === 'azdo' ? 'pipeline' : d.platform === 'cli' ? 'owner' : 'repository'} ` +
      'did not write (they lack its ownership tags). The Azure ML workspace keeps its own secrets in the same vault: leave false unless you mean it.',
    azdo: { label: 'Adopt unowned secrets', group: 'advanced' },
  },
  ...FLEET_INPUTS,
  ...READERS_INPUTS,
  'allow-empty': {
    kind: bool,
    default: 'false',
    description: () =>
      'Allow pushing an empty value. A misspelled secret expands to an empty string; pushing it would wipe the real value.',
    azdo: { label: 'Allow empty values', group: 'secrets' },
  },
  'dry-run': {
    kind: bool,
    default: 'false',
    description: () =>
      'Print the plan (create / update / unchanged / recover / blocked, with reasons) and write nothing. Blocked secrets still fail the step, as the real run would.',
    azdo: { label: 'Dry run', group: 'advanced' },
  },
  'call-timeout': {
    kind: { type: 'duration' },
    default: '30s',
    cli: { metavar: 'DURATION' },
    description: () =>
      'How long one request to the vault may go unanswered before it is abandoned and retried (`30s`, `2m`; 1 s to 10 min). Recover and purge wait four times as long.',
    azdo: { label: 'Call timeout', group: 'advanced' },
  },
  'run-deadline': {
    kind: { type: 'duration' },
    default: '15m',
    cli: { metavar: 'DURATION' },
    description: () =>
      'How long the whole push may take (`15m`, `1h`; 1 min to 6 h). Then it stops, and the secrets not written are named; a vault that answers nothing at all stops the run sooner.',
    azdo: { label: 'Run deadline', group: 'advanced' },
  },
  'max-concurrency': {
    kind: { type: 'number', min: CONCURRENCY.min, max: CONCURRENCY.max },
    default: String(CONCURRENCY.default),
    cli: { metavar: 'N' },
    description: () =>
      `How many secrets are read or written at once (${CONCURRENCY.min}–${CONCURRENCY.max}). The tool also keeps within the vault's rate limits and slows down when throttled.`,
    azdo: { label: 'Max concurrency', group: 'advanced' },
  },
} satisfies Record<string, InputSpec>;

/** Inputs of one platform's sign-in or its own tooling: read by that adapter, not by the core. */
export const PLATFORM_ONLY = {
  azureSubscription: {
    kind: { type: 'connection' },
    on: ['azdo'],
    required: 'to sign in with a connection',
    description: () =>
      'The Azure Resource Manager service connection to sign in with: workload identity federation (recommended), a service principal (secret or certificate) or a managed identity. Without one the task uses DefaultAzureCredential.',
    azdo: { label: 'Azure Resource Manager connection', aliases: ['ConnectedServiceName'] },
  },
  auth: {
    kind: { type: 'choice', values: ['auto', 'oidc', 'azure-cli', 'default'] },
    default: 'auto',
    on: ['github'],
    description: (d) =>
      `How to sign in: \`oidc\`: the runner's ID token through a federated credential (needs \`permissions: id-token: write\`); a fresh ID token is fetched whenever a new access token is needed. ` +
      `\`azure-cli\`: the session of an earlier \`azure/login\` step. \`default\`: \`DefaultAzureCredential\` (self-hosted runner with a managed identity). ` +
      `\`auto\`: \`oidc\` when ${d.ref('client-id')}, ${d.ref('tenant-id')} and an ID token are there, else \`default\`.`,
  },
  'client-id': {
    kind: { type: 'guid' },
    on: ['github'],
    required: 'for oidc',
    description: () =>
      'Client id of the app registration or user-assigned managed identity with the federated credential (oidc), or the managed identity to use (default).',
  },
  'tenant-id': {
    kind: text,
    on: ['github'],
    required: 'for oidc',
    description: () => 'Its tenant (GUID or domain), for oidc.',
  },
  audience: {
    kind: text,
    default: 'api://AzureADTokenExchange',
    on: ['github'],
    description: () => "The ID token's audience; must match the federated credential.",
  },
  env: {
    kind: text,
    on: ['cli'],
    cli: { metavar: 'VARIABLE' },
    description: () => "With `set`: the value is this environment variable's.",
  },
  file: {
    kind: text,
    on: ['cli'],
    cli: { metavar: 'PATH' },
    description: () =>
      "With `set`: the value is this file's bytes exactly (UTF-8 text, at most 25 KB: a PEM, a JSON key). Without `--env` or `--file`, `set` reads standard input, or prompts without echo on a terminal.",
  },
  owner: {
    kind: text,
    on: ['cli'],
    cli: { metavar: 'ID', default: 'github.com/ORG/REPO in a GitHub checkout, else cli/USER@HOST' },
    description: () =>
      'The owner written into the ownership tags. In a git checkout whose remote is a GitHub repository, the repository, as the GitHub Action names it; elsewhere `cli/USER@HOST`. Set it to hand secrets over (docs/ownership.md).',
  },
  json: {
    kind: bool,
    on: ['cli'],
    description: () =>
      'The result as JSON on standard output, for scripts: the outputs of a push (or `set`), the listing of `list`, the deletion of `delete`. Without it, one line per secret for a person.',
  },
  verbose: { kind: bool, on: ['cli'], description: () => 'Debug lines on standard error (never a value).' },
  help: { kind: bool, on: ['cli'], description: () => 'Print this help.' },
  version: { kind: bool, on: ['cli'], description: () => 'Print the version.' },
} satisfies Record<string, InputSpec>;

function workingDirectoryNote(platform: Platform): string {
  switch (platform) {
    case 'github':
      return '; a relative path starts at `GITHUB_WORKSPACE`';
    case 'azdo':
      return '; a relative path starts at `System.DefaultWorkingDirectory`';
    case 'cli':
      return '';
  }
}

function variableKind(platform: Platform): string {
  switch (platform) {
    case 'github':
      return 'an environment variable of the step (map secrets with `env:`)';
    case 'azdo':
      return 'a pipeline variable, secret or not';
    case 'cli':
      return 'an environment variable';
  }
}

// ── Outputs ──────────────────────────────────────────────────────────────────────────────────────────────────

export const OUTPUTS = {
  created: 'JSON array of the secret names created (with several targets: in any of them).',
  updated: 'JSON array of the secret names given a new version (in any target).',
  unchanged: 'JSON array of the secret names already up to date, no new version (in any target).',
  recovered: 'JSON array of the secret names recovered from soft delete (in any target).',
  failed:
    'JSON array of the secret names that failed or were blocked in any target (all of them in a target that failed as a whole).',
  versions:
    'JSON object: secret name → new version id; with several targets keyed by the secret id `VAULT_URL/secrets/NAME`.',
  deleted: 'JSON array of the secret names soft-deleted by prune (in a dry run: that would be), in any target.',
  'vault-url': 'The vault URL written to; with several targets, one URL a line.',
  results:
    'JSON object: vault URL → `{created, updated, unchanged, recovered, deleted, failed, versions}` of that vault (plus `error` when the target failed as a whole).',
  readers:
    'With `readers`: JSON object, vault URL → reader line as given → `{status, identities: [{principalId, clientId, status, via}], reason}` (clientId for user-assigned identities: Resource Manager shows none for a system-assigned one); status `reads`, `missing`, `granted` or `unknown`. ' +
    'An `endpoint:` line also has `deployments`: `{checked, stale: [{deployment, variable, secret, pinned, current, command}], absent: [{deployment, variable, secret}], connections: [{deployment, variable, reference}]}`.',
  references:
    'JSON object: secret name → its injection reference with the version the vault holds now, `${{keyvault:https://VAULT/secrets/NAME/VERSION}}`, for each secret written or unchanged (paste it into a deployment’s environment variables); with several targets keyed by vault URL first.',
} as const;

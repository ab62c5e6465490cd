// The CLI's flags and its help (the tool's and each command's), all from the input declaration: a flag exists
// because an input does, and its line in the help is the first sentence of the input's description.
import {
  ALL_INPUTS,
  describeInput,
  inputDefault,
  inputLabel,
  inputsOf,
  type AnyInputKey,
} from '../../core/inputs/inputs.js';

export const COMMANDS = ['push', 'list', 'set', 'delete'] as const;
export type Command = (typeof COMMANDS)[number];

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** What the value is, e.g. URL, for "--vault-url needs a value: --vault-url URL". */
  metavar?: string;
}

/** The CLI's inputs: the core's plus its own (owner, verbose, help). */
export const CLI_INPUTS: readonly AnyInputKey[] = inputsOf('cli');

/** Flags only some commands take; every other flag goes with every command. */
export const ONLY_FOR: Partial<Record<AnyInputKey, readonly Command[]>> = {
  secrets: ['push'],
  'secrets-json': ['push'],
  include: ['push'],
  exclude: ['push'],
  'name-transform': ['push'],
  prune: ['push'],
  env: ['set'],
  file: ['set'],
  'content-type': ['push', 'set'],
  tags: ['push', 'set'],
  'expires-in': ['push', 'set'],
  'expires-on': ['push', 'set'],
  'not-before': ['push', 'set'],
  'on-deleted': ['push', 'set'],
  'allow-empty': ['push', 'set'],
  'warn-expiry-days': ['push', 'set'],
  'max-concurrency': ['push', 'set'],
  'call-timeout': ['push', 'set'],
  'run-deadline': ['push', 'set'],
  readers: ['push', 'set'],
  'grant-readers': ['push', 'set'],
  'readers-missing': ['push', 'set'],
  'adopt-unowned': ['push', 'set', 'delete'],
  'dry-run': ['push', 'set', 'delete'],
};

export function takesFlag(command: Command, key: AnyInputKey): boolean {
  const only = ONLY_FOR[key];
  return only === undefined || only.includes(command);
}

/** The flag's name without dashes: `secrets-json-file` for the input `secrets-json`. */
export function flagName(key: AnyInputKey): string {
  return inputLabel(key, 'cli').slice(2);
}

function metavarOf(key: AnyInputKey): string | undefined {
  const spec = ALL_INPUTS[key];
  if (spec.kind.type === 'boolean') return undefined;
  return spec.cli?.metavar ?? (spec.kind.type === 'choice' ? spec.kind.values.join('|') : 'VALUE');
}

/** The command line's flags, keyed by flag name. */
export function flagSpecs(): Record<string, FlagSpec> {
  const specs: Record<string, FlagSpec> = {};
  for (const key of CLI_INPUTS) {
    const spec = ALL_INPUTS[key];
    const metavar = metavarOf(key);
    specs[flagName(key)] = {
      type: spec.kind.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.repeats && { multiple: true }),
      ...(metavar !== undefined && { metavar }),
    };
  }
  return specs;
}

const WIDTH = 100;
const FLAG_COLUMN = 30;

/** Markdown to terminal text: code spans lose their backticks. */
function plain(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1');
}

/** The first sentence (without "With `set`:", the help of a command says it), cut at a word to fit the line. */
function short(text: string, room: number): string {
  const sentence = plain(text)
    .replace(/^With [a-z]+: (\w)/, (_, c: string) => c.toUpperCase())
    .split(/(?<=\.)\s+(?=[A-Z])/)[0]!
    .replace(/\.$/, '');
  if (sentence.length <= room) return sentence;
  const cut = sentence.slice(0, room - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), room / 2))}…`;
}

/** Help groups, in order; a CLI-only input has no Azure DevOps group and is placed here by name. */
const GROUPS: { title: string; has(key: AnyInputKey): boolean }[] = [
  { title: 'Target', has: (k) => ALL_INPUTS[k].azdo?.group === 'target' },
  { title: 'Secrets', has: (k) => ALL_INPUTS[k].azdo?.group === 'secrets' || k === 'env' || k === 'file' },
  { title: 'Secret properties', has: (k) => ALL_INPUTS[k].azdo?.group === 'properties' },
  { title: 'Who reads the secrets', has: (k) => ALL_INPUTS[k].azdo?.group === 'readers' },
  { title: 'Sign-in and cloud', has: (k) => ALL_INPUTS[k].azdo?.group === 'signin' },
  { title: 'Advanced', has: (k) => ALL_INPUTS[k].azdo?.group === 'advanced' || k === 'owner' },
  { title: 'Output', has: (k) => ['json', 'verbose', 'help', 'version'].includes(k) },
];

function flagLine(key: AnyInputKey): string {
  const spec = ALL_INPUTS[key];
  const metavar = metavarOf(key);
  const flag = `${key === 'help' ? '-h, ' : ''}${inputLabel(key, 'cli')}${metavar === undefined ? '' : ` ${metavar}`}`;
  const fallback = inputDefault(key, 'cli');
  const notes = [
    spec.repeats ? 'repeatable' : undefined,
    fallback !== undefined && spec.kind.type !== 'boolean' ? `default ${fallback}` : undefined,
  ].filter((n) => n !== undefined);
  const tail = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  const left = `  ${flag}`;
  const text = `${short(describeInput(key, 'cli'), WIDTH - FLAG_COLUMN - tail.length)}${tail}`;
  // A long flag (a choice's values) gets its description on the next line.
  if (left.length >= FLAG_COLUMN) return `${left}\n${' '.repeat(FLAG_COLUMN)}${text}`;
  return `${left.padEnd(FLAG_COLUMN)}${text}`;
}

function flagGroups(keys: readonly AnyInputKey[]): string[] {
  const out: string[] = [];
  for (const group of GROUPS) {
    const inGroup = keys.filter((k) => group.has(k));
    if (inGroup.length > 0) out.push('', `${group.title}:`, ...inGroup.map(flagLine));
  }
  return out;
}

const TARGET_NOTE = [
  'The target: --workspace-name WS --resource-group RG --subscription-id GUID, --vault-name, --vault-url, --targets',
  'or --workspace-config PATH. With none: .azureml/config.json (or config.json, as MLClient.from_config() finds it)',
  "in this directory or up to 20 parents, then az's defaults (az configure --defaults group=RG workspace=WS).",
];

const ABOUT: Record<Command, { usage: string; what: string[]; examples: string[] }> = {
  push: {
    usage: 'aml-vault-push [push] --secrets NAME[=VARIABLE] ... [TARGET] [flags]',
    what: [
      'Pushes secrets from environment variables (or a JSON file) into the Key Vault of each target: created,',
      'updated, or left alone when unchanged. A secret another owner wrote is never overwritten.',
    ],
    examples: [
      "aml-vault-push --secrets HF_TOKEN --secrets DB_PASSWORD       # from this directory's .azureml/config.json",
      'aml-vault-push --secrets-json-file secrets.json --vault-name kv-train --dry-run',
      'aml-vault-push --secrets HF_TOKEN --readers compute:gpu-cluster --json',
    ],
  },
  set: {
    usage: 'aml-vault-push set NAME [--env VARIABLE | --file PATH] [TARGET] [flags]',
    what: [
      'Sets one secret. Its value comes from --env, --file, a pipe, or a prompt that shows nothing as you type;',
      'the prompt comes once every flag is checked and the vault is found, and says where the value goes.',
    ],
    examples: [
      'aml-vault-push set db-password                      # prompts for the value',
      "aml-vault-push set tls-key --file key.pem           # a file's bytes exactly (a PEM, a JSON key)",
      'cat key.pem | aml-vault-push set tls-key            # from a pipe',
      'aml-vault-push set hf-token --env HF_TOKEN --vault-name kv-train',
    ],
  },
  list: {
    usage: 'aml-vault-push list [TARGET] [--json]',
    what: ['Lists every secret of each target: name, enabled, updated, expiry, content type, owner. Never a value.'],
    examples: ['aml-vault-push list', 'aml-vault-push list --vault-name kv-train --json'],
  },
  delete: {
    usage: 'aml-vault-push delete NAME [TARGET] [--dry-run] [--adopt-unowned]',
    what: [
      'Soft-deletes one secret this owner wrote (never purged: az keyvault secret recover brings it back).',
      "A secret without this owner's tags is refused unless --adopt-unowned.",
    ],
    examples: [
      'aml-vault-push delete db-password',
      'aml-vault-push delete db-password --vault-name kv-train --dry-run',
    ],
  },
};

/** One command's help: its usage line, what it does, its flags in groups, examples. */
export function commandUsage(command: Command): string {
  const about = ABOUT[command];
  return [
    `Usage: ${about.usage}`,
    '',
    ...about.what,
    ...flagGroups(CLI_INPUTS.filter((k) => takesFlag(command, k) && k !== 'version')),
    '',
    ...TARGET_NOTE,
    '',
    'Examples:',
    ...about.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** The tool's help: the commands, then every flag. */
export function usage(): string {
  return [
    'Usage: aml-vault-push COMMAND [NAME] [flags]',
    '',
    'Pushes secrets into the Key Vault of an Azure ML workspace, from this machine. Signs in with a',
    'service principal from AZURE_* variables, a managed identity on Azure, or your az login session.',
    '',
    'Commands:',
    '  push    (the default) push the secrets named by --secrets / --secrets-json-file',
    '  set     set one secret: its value from --env, --file, a pipe, or a prompt that shows nothing as you type',
    '  list    list the secrets of each target (names, dates, owners; never a value)',
    '  delete  soft-delete one secret this owner wrote',
    ...flagGroups(CLI_INPUTS),
    '',
    ...TARGET_NOTE,
    '',
    'Each secret prints one line on standard output (created, updated, unchanged, recovered, blocked, failed), then',
    'a total; --json prints JSON instead. Progress and problems go to standard error. A value is never printed.',
    '',
    'Examples:',
    '  aml-vault-push set db-password',
    '  aml-vault-push --secrets HF_TOKEN --secrets DB_PASSWORD',
    '  aml-vault-push list',
    '',
    "Run 'aml-vault-push COMMAND --help' for a command's flags.",
  ].join('\n');
}

// The CLI's flags and --help text, both from the input declaration: a flag exists because an input does.
import {
  ALL_INPUTS,
  describeInput,
  inputDefault,
  inputLabel,
  inputsOf,
  type AnyInputKey,
} from '../../core/inputs/inputs.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
}

/** The CLI's inputs: the core's plus its own (owner, verbose, help). */
export const CLI_INPUTS: readonly AnyInputKey[] = inputsOf('cli');

/** The flag's name without dashes: `secrets-json-file` for the input `secrets-json`. */
export function flagName(key: AnyInputKey): string {
  return inputLabel(key, 'cli').slice(2);
}

/** node:util parseArgs options, keyed by flag name. */
export function flagSpecs(): Record<string, FlagSpec> {
  const specs: Record<string, FlagSpec> = {};
  for (const key of CLI_INPUTS) {
    const spec = ALL_INPUTS[key];
    specs[flagName(key)] = {
      type: spec.kind.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.repeats && { multiple: true }),
    };
  }
  return specs;
}

const WIDTH = 100;

/** Markdown to terminal text: code spans lose their backticks. */
function plain(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1');
}

function wrap(text: string, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      out.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(indent + line);
  return out;
}

export function usage(): string {
  const out = [
    'Usage: aml-vault-push [push] [TARGET] --secrets NAME[=VARIABLE] ... [options]',
    '       aml-vault-push set NAME [TARGET] [--env VARIABLE | --file PATH] [options]',
    '       aml-vault-push delete NAME [TARGET] [--dry-run] [--adopt-unowned]',
    '       aml-vault-push list [TARGET] [--json]',
    '',
    'Commands:',
    '  push    (the default) push the secrets named by --secrets / --secrets-json-file',
    '  set     one secret: its value from --env, --file, standard input, or a prompt that shows nothing as you type',
    '  delete  soft-delete one secret this owner wrote (never purged: az keyvault secret recover brings it back)',
    '  list    every secret of each target (name, enabled, updated, expiry, content type, owner), never a value',
    '',
    'TARGET: --workspace-name WS --resource-group RG --subscription-id GUID | --vault-name NAME | --vault-url URL',
    '  | --targets TARGET ... | --workspace-config PATH. With none of them: the first of .azureml/config.json,',
    '  .azureml/project.json, aml_config/config.json, aml_config/project.json, config.json, project.json in the',
    "  current directory or up to 20 parents (as MLClient.from_config() finds it), then az's defaults",
    '  (az configure --defaults group=RG workspace=WS, with the subscription of az account set).',
    '',
    'Values are never taken from the command line: environment variables, a file, standard input or the prompt.',
    'Signs in with DefaultAzureCredential (az login session, environment variables, managed identity).',
    'The plan goes to standard error, the result as JSON to standard output.',
    '',
    'Options:',
  ];
  for (const key of CLI_INPUTS) {
    const spec = ALL_INPUTS[key];
    const metavar =
      spec.kind.type === 'boolean'
        ? ''
        : ` ${spec.cli?.metavar ?? (spec.kind.type === 'choice' ? spec.kind.values.join('|') : 'VALUE')}`;
    const notes = [
      spec.repeats ? 'repeatable' : undefined,
      inputDefault(key, 'cli') !== undefined && spec.kind.type !== 'boolean'
        ? `default ${inputDefault(key, 'cli')}`
        : undefined,
    ].filter((n) => n !== undefined);
    out.push(`  ${inputLabel(key, 'cli')}${metavar}${notes.length > 0 ? `  (${notes.join('; ')})` : ''}`);
    out.push(...wrap(plain(describeInput(key, 'cli')), '      '));
  }
  return out.join('\n');
}

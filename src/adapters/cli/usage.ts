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
    'Usage: aml-vault-push [push] (--workspace-name WS --resource-group RG --subscription-id GUID | --vault-name NAME',
    '                             | --vault-url URL | --targets TARGET ...) --secrets NAME[=VARIABLE] ... [options]',
    '       aml-vault-push list (the same target flags) [--json] [--owner ID] [--owner-scope NAME]',
    '',
    'Values are read from environment variables (or a JSON file), never from the command line.',
    'Signs in with DefaultAzureCredential (az login session, environment variables, managed identity).',
    'The plan goes to standard error, the result as JSON to standard output.',
    'list shows every secret of each target (name, enabled, updated, expiry, content type, owner), never a value.',
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

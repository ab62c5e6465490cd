// The CLI's command line: which command, its NAME, and which flags it takes. Nothing from argv is echoed in a
// problem except the known command words: an argument where none belongs may be a value typed by mistake.
import { flagName } from '../usage.js';
import type { AnyInputKey } from '../../../core/inputs/inputs.js';

export const COMMANDS = ['push', 'list', 'set', 'delete'] as const;
export type Command = (typeof COMMANDS)[number];

/** Flags only some commands take; every other flag goes with every command. */
const ONLY_FOR: Partial<Record<AnyInputKey, readonly Command[]>> = {
  secrets: ['push'],
  'secrets-json': ['push'],
  include: ['push'],
  exclude: ['push'],
  'name-transform': ['push'],
  prune: ['push'],
  env: ['set'],
  file: ['set'],
  json: ['list'],
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
  'adopt-unowned': ['push', 'set', 'delete'],
  'dry-run': ['push', 'set', 'delete'],
};

const HOW_TO_GIVE_A_VALUE =
  'values are never taken from the command line (other users can read it in the process list, and it stays in the ' +
  'shell history): pipe it (printf %s "$VALUE" | aml-vault-push set NAME ...), use --file PATH or --env VARIABLE, ' +
  'or run set on a terminal and type it at the prompt, which shows nothing';

export type CommandLine = { command: Command; name?: string } | { problem: string };

export function checkCommandLine(positionals: string[], values: Record<string, unknown>): CommandLine {
  const [first, ...rest] = positionals;
  if (first !== undefined && !(COMMANDS as readonly string[]).includes(first)) {
    return {
      problem: `the first argument is not a command (${COMMANDS.join(', ')}); it is not shown, in case it is a value. Flags start with --`,
    };
  }
  const command = (first ?? 'push') as Command;
  const takesName = command === 'set' || command === 'delete';
  if (takesName && rest.length === 0)
    return { problem: `${command} needs the secret's NAME: aml-vault-push ${command} NAME [flags]` };
  const extra = takesName ? rest.slice(1) : rest;
  if (extra.length > 0) {
    return {
      problem:
        command === 'set'
          ? `set takes one NAME and no value (the extra argument is not shown): ${HOW_TO_GIVE_A_VALUE}`
          : `${command} takes ${takesName ? 'one NAME' : 'no arguments'} (the extra argument is not shown); ${HOW_TO_GIVE_A_VALUE}`,
    };
  }
  for (const [key, commands] of Object.entries(ONLY_FOR) as [AnyInputKey, readonly Command[]][]) {
    if (values[flagName(key)] !== undefined && !commands.includes(command))
      return { problem: `--${flagName(key)} goes with ${commands.join(' or ')}, not ${command}` };
  }
  return takesName ? { command, name: rest[0]! } : { command };
}

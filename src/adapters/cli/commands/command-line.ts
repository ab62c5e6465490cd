// The CLI's command line: which command, its NAME, and which flags it takes. Nothing from argv is echoed in a
// problem except the known command words: an argument where none belongs may be a value typed by mistake.
import { COMMANDS, ONLY_FOR, commandUsage, flagName, flagSpecs, usage, type Command } from '../usage.js';
import { readArgv, type FlagValues } from './argv.js';
import type { AnyInputKey } from '../../../core/inputs/inputs.js';
import { closest } from './did-you-mean.js';

export { COMMANDS, type Command };

const HOW_TO_GIVE_A_VALUE =
  'a value is never taken from the command line (other users can read it in the process list): give it with ' +
  '--file PATH, --env VARIABLE, a pipe (cat key.pem | aml-vault-push set NAME) or type it at the prompt';

/** `command` with a problem: the command the line was meant for, for "Run '… COMMAND --help'". */
export type CommandLine = { command: Command; name?: string } | { problem: string; command?: Command };

export function isCommand(word: string | undefined): word is Command {
  return (COMMANDS as readonly (string | undefined)[]).includes(word);
}

/** The command a line is for, even a wrong one (for its help); undefined when the first word is not a command. */
export function commandOf(positionals: readonly string[]): Command | undefined {
  const first = positionals[0];
  if (first === undefined) return 'push';
  return isCommand(first) ? first : undefined;
}

export function checkCommandLine(positionals: string[], values: Record<string, unknown>): CommandLine {
  const [first, ...rest] = positionals;
  if (first !== undefined && !isCommand(first)) {
    // A word close to a command is a typo, and safe to repeat; anything else may be a value typed by mistake.
    const meant = closest(first, COMMANDS);
    return {
      problem:
        meant === undefined
          ? `unknown command (not shown, in case it is a value); the commands are ${COMMANDS.join(', ')}, and flags start with --`
          : `unknown command ${first} (did you mean ${meant}?)`,
    };
  }
  const command = (first ?? 'push') as Command;
  const takesName = command === 'set' || command === 'delete';
  if (takesName && rest.length === 0)
    return { command, problem: `${command} needs the secret's NAME: aml-vault-push ${command} NAME [flags]` };
  const extra = takesName ? rest.slice(1) : rest;
  if (extra.length > 0) {
    return {
      command,
      problem:
        command === 'set'
          ? `set takes one NAME and no value (the extra argument is not shown): ${HOW_TO_GIVE_A_VALUE}`
          : `${command} takes ${takesName ? 'one NAME' : 'no arguments'} (the extra argument is not shown); flags start with --`,
    };
  }
  for (const [key, commands] of Object.entries(ONLY_FOR) as [AnyInputKey, readonly Command[]][]) {
    if (values[flagName(key)] !== undefined && !commands.includes(command))
      return { command, problem: `--${flagName(key)} goes with ${commands.join(' or ')}, not ${command}` };
  }
  return takesName ? { command, name: rest[0]! } : { command };
}

export type ReadLine =
  { values: FlagValues; command: Command; name?: string } | { help: string } | { problem: string; command?: Command };

/**
 * The whole command line: help when asked for (-h, --help, `help [COMMAND]`, or no argument at all; it wins over any
 * other mistake on the line), else the command and its flags, else the first mistake.
 */
export function readCommandLine(argv: readonly string[]): ReadLine {
  const flagsEnd = argv.indexOf('--');
  const before = flagsEnd === -1 ? argv : argv.slice(0, flagsEnd);
  const first = argv[0];
  // Nothing at all: a person finding out what the tool does (as gh, az and kubectl answer).
  if (first === undefined) return { help: usage() };
  if (first === 'help') {
    const about = argv[1];
    if (about === undefined) return { help: usage() };
    if (isCommand(about)) return { help: commandUsage(about) };
    const unknown = checkCommandLine([about], {});
    return 'problem' in unknown ? unknown : { help: usage() };
  }
  if (before.includes('-h') || before.includes('--help'))
    return { help: isCommand(first) ? commandUsage(first) : usage() };
  const parsed = readArgv(argv, flagSpecs());
  const guess = isCommand(first) ? first : first?.startsWith('-') ? 'push' : undefined;
  if ('problem' in parsed) return { problem: parsed.problem, ...(guess && { command: guess }) };
  if (parsed.values.version === true) return { values: parsed.values, command: 'push' };
  const checked = checkCommandLine(parsed.positionals, parsed.values);
  if ('problem' in checked) return checked;
  return { values: parsed.values, ...checked };
}

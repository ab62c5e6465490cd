// The command line split into flags and arguments, with the first mistake as one line naming the flag as it was
// typed: an unknown flag (and the one meant), a flag without its value, a value given to a switch (`--dry-run=yes`,
// `--allow-empty true`, `--allow-empty: true` as in YAML). What follows `=` is never echoed: it may be a value.
import type { FlagSpec } from '../usage.js';
import { closest } from './did-you-mean.js';

export type FlagValues = Record<string, string | boolean | string[] | undefined>;
export type Argv = { values: FlagValues; positionals: string[] } | { problem: string };

/** Words a person may put after a switch, meaning it: safe to name (none is a value). */
const SWITCH_WORDS = /^(true|false|yes|no|on|off|1|0)$/i;
/** Flags people reach for to give the value itself. */
const VALUE_FLAGS = new Set(['value', 'secret-value', 'password', 'secret']);
const SHORT: Record<string, string> = { h: 'help' };

export function readArgv(argv: readonly string[], specs: Record<string, FlagSpec>): Argv {
  const values: FlagValues = {};
  const positionals: string[] = [];
  const names = Object.keys(specs);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    const typed = eq === -1 ? arg : arg.slice(0, eq);
    const name = long ? typed.slice(2) : (SHORT[typed.slice(1)] ?? '');
    const spec = specs[name];
    if (spec === undefined) return { problem: unknownFlag(typed, names, specs) };
    if (spec.type === 'boolean') {
      if (eq !== -1) return { problem: switchTakesNoValue(typed) };
      const next = argv[i + 1];
      if (next !== undefined && SWITCH_WORDS.test(next)) return { problem: switchTakesNoValue(typed, next) };
      values[name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-'))
        return { problem: `${typed} needs a value: ${typed} ${spec.metavar ?? 'VALUE'}` };
      value = next;
      i++;
    }
    if (spec.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else values[name] = value;
  }
  return { values, positionals };
}

function switchTakesNoValue(typed: string, word?: string): string {
  return `${typed} takes no value: write ${typed} alone to turn it on, leave it out for off${word === undefined ? '' : ` (drop the '${word}' after it)`}`;
}

function unknownFlag(typed: string, names: readonly string[], specs: Record<string, FlagSpec>): string {
  const bare = typed.replace(/^-+/, '');
  if (VALUE_FLAGS.has(bare.toLowerCase()))
    return `${typed}: a value is never taken from the command line (other users can read it in the process list); give it with --file PATH, --env VARIABLE, a pipe, or type it at the prompt`;
  // `--allow-empty:` — a YAML habit.
  const withoutColon = bare.replace(/:$/, '');
  const colonSpec = withoutColon !== bare ? specs[withoutColon] : undefined;
  if (colonSpec !== undefined) {
    const how = colonSpec.type === 'boolean' ? '' : ` ${colonSpec.metavar ?? 'VALUE'}`;
    return `unknown flag ${typed} (no colon: write --${withoutColon}${how})`;
  }
  const meant = closest(bare, names);
  return `unknown flag ${typed}${meant === undefined ? '' : ` (did you mean --${meant}?)`}`;
}

// Reads raw input strings for the parsers: text, lines, booleans and choices, and collects every problem and every
// value read (for masking). A problem names the input by the platform's label.
import { displayName } from '../azure/names.js';
import type { InputKey, RawInputs } from './inputs.js';

export interface ParseContext {
  /** The platform's name of an input, e.g. 'secrets-json' (GitHub) or 'secretsJson' (Azure DevOps). */
  label(key: InputKey): string;
  /** A variable's value (GitHub: the step's environment; Azure DevOps: a pipeline variable), undefined when unset. */
  lookup(variable: string): string | undefined;
  /** 'environment variable' | 'pipeline variable', for messages. */
  variableKind: string;
}

/** Input access plus the problem and value lists every reader appends to. */
export class Reader {
  readonly problems: string[] = [];
  readonly values: string[] = [];
  /** Every valid vault secret name read, problems or not. */
  readonly names: string[] = [];

  constructor(
    private readonly raw: RawInputs,
    readonly ctx: ParseContext,
  ) {}

  label(key: InputKey): string {
    return this.ctx.label(key);
  }

  problem(key: InputKey, message: string): void {
    this.problems.push(`${this.label(key)}: ${message}`);
  }

  /** The input as given, or undefined when it is unset or blank. */
  rawText(key: InputKey): string | undefined {
    const text = this.raw[key];
    return text === undefined || text.trim() === '' ? undefined : text;
  }

  /** The trimmed input, or undefined when it is unset or blank. */
  text(key: InputKey): string | undefined {
    return this.rawText(key)?.trim();
  }

  /** Numbered lines of a list input; blank lines and lines starting with '#' are left out. */
  lines(key: InputKey): { line: number; text: string }[] {
    const text = this.rawText(key);
    if (text === undefined) return [];
    return text
      .split(/\r\n|\r|\n/)
      .map((t, i) => ({ line: i + 1, text: t.trim() }))
      .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  }

  /** true/false in any letter case (a superset of GitHub's getBooleanInput); unset means false. */
  boolean(key: InputKey): boolean {
    const text = this.text(key);
    if (text === undefined) return false;
    if (/^true$/i.test(text)) return true;
    if (!/^false$/i.test(text)) this.problem(key, `${displayName(text)} is not a boolean; use true or false`);
    return false;
  }

  /** One of a fixed set, in any letter case; a bad value is a problem and yields the default. */
  choice<T extends string>(key: InputKey, allowed: readonly T[], fallback: T): T {
    const text = this.text(key);
    if (text === undefined) return fallback;
    const found = allowed.find((a) => a === text.toLowerCase());
    if (found === undefined) this.problem(key, `${displayName(text)} is not one of ${allowed.join(', ')}`);
    return found ?? fallback;
  }
}

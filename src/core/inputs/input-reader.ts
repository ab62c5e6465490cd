// Reads raw input strings for the parsers: text, lines, booleans and choices, and collects every problem and every
// value read (for masking). A problem names the input by the platform's label.
import { displayName } from '../azure/names.js';
import { CORE_INPUTS, type InputKey, type Label, type RawInputs } from './inputs.js';
import type { WorkspaceDiscovery } from '../local-config/config-target.js';

export interface ParseContext {
  /** The platform's name of an input, e.g. 'secrets-json' (GitHub) or 'secretsJson' (Azure DevOps). */
  label: Label;
  /** A variable's value (GitHub: the step's environment; Azure DevOps: a pipeline variable), undefined when unset. */
  lookup(variable: string): string | undefined;
  /** Every variable name lookup() can see (GitHub, CLI: the environment; Azure DevOps: the pipeline variables and
   *  the environment): names only, for "did you mean" when a `secrets` line names one that is not set. */
  variableNames(): string[];
  /** 'environment variable' | 'pipeline variable', for messages. */
  variableKind: string;
  /** Where a relative `workspace-config` starts (GitHub: GITHUB_WORKSPACE; Azure DevOps:
   *  System.DefaultWorkingDirectory; CLI: the current directory). Default: the process's current directory. */
  workingDirectory?: string;
  /** With no target input at all, look for a workspace config from workingDirectory, then in az's defaults (CLI). */
  discoverWorkspace?: WorkspaceDiscovery;
  /** One secret given directly (the CLI's `set NAME`), instead of `secrets` and `secrets-json`; only its name when
   *  the value is read later, once every input is valid and the target found (run/given-secret.ts). */
  given?: GivenSecret | GivenName;
}

/** A secret whose value the platform read itself (prompt, standard input, a file, a variable): `from` says which. */
export interface GivenSecret {
  name: string;
  value: string;
  /** e.g. 'typed at the prompt', 'from standard input', 'from the file key.pem'. Never the value. */
  from: string;
  /** The value could not be read (a file that is not UTF-8, an unset variable): reported with every other problem. */
  problem?: string;
}

/** A secret given directly whose value is not read yet. */
export interface GivenName {
  name: string;
}

/** Input access plus the problem and value lists every reader appends to. */
export class Reader {
  readonly problems: string[] = [];
  readonly values: string[] = [];
  /** Every valid vault secret name read, problems or not. */
  readonly names: string[] = [];
  /** What the parse chose that a person should hear about (e.g. the config file a workspace came from). */
  readonly notes: string[] = [];

  constructor(
    private readonly raw: RawInputs,
    readonly ctx: ParseContext,
  ) {}

  /** Inputs read from their declared environment variable (CLI `cli.env`) rather than given: key → variable. */
  private readonly fromEnvironment = new Map<InputKey, string>();

  label(key: InputKey): string {
    const variable = this.fromEnvironment.get(key);
    const label = this.ctx.label(key);
    return variable === undefined ? label : `${variable} (the environment variable behind ${label})`;
  }

  problem(key: InputKey, message: string): void {
    this.problems.push(`${this.label(key)}: ${message}`);
  }

  /** The input as given, or undefined when it is unset or blank. */
  rawText(key: InputKey): string | undefined {
    const text = this.raw[key];
    if (text !== undefined && text.trim() !== '') return text;
    // The CLI's flag wins; without it, the variable the declaration names (e.g. the emulator's --shell sets one).
    const variable = CORE_INPUTS[key].cli?.env;
    if (variable === undefined || this.ctx.label.platform !== 'cli') return undefined;
    const fallback = this.ctx.lookup(variable);
    if (fallback === undefined || fallback.trim() === '') return undefined;
    this.fromEnvironment.set(key, variable);
    return fallback;
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

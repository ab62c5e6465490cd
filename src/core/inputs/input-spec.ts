// The shape of an input's declaration (see inputs.ts): its kind, default, platforms and per-platform details.

import type { Platform } from '../common/types.js';

export type { Platform };
export const PLATFORMS: readonly Platform[] = ['github', 'azdo', 'cli'];

export type InputKind =
  | { type: 'text' }
  | { type: 'lines' }
  | { type: 'json' }
  | { type: 'boolean' }
  | { type: 'choice'; values: readonly string[] }
  | { type: 'number'; min: number; max: number }
  | { type: 'duration' }
  | { type: 'date' }
  | { type: 'url' }
  | { type: 'guid' }
  | { type: 'connection' };

/** Azure DevOps groups the task's inputs in the pipeline editor (task.json `groups`). */
export const AZDO_GROUPS = [
  { name: 'target', displayName: 'Target', isExpanded: true },
  { name: 'secrets', displayName: 'Secrets', isExpanded: true },
  { name: 'properties', displayName: 'Secret properties', isExpanded: false },
  { name: 'readers', displayName: 'Who reads the secrets', isExpanded: false },
  { name: 'signin', displayName: 'Sign-in and cloud', isExpanded: false },
  { name: 'advanced', displayName: 'Advanced', isExpanded: false },
] as const;
export type AzdoGroup = (typeof AZDO_GROUPS)[number]['name'];

/** What a description is written for: the platform and how it names other inputs. */
export interface DocContext {
  platform: Platform;
  /** Another input's name on this platform, in backticks. (A string, not AnyInputKey, which is derived from the
   *  declaration itself; describeInput refuses a name that is not declared, and a test renders every description.) */
  ref(key: string): string;
}

export interface InputSpec {
  kind: InputKind;
  /** Default on every platform, unless a platform overrides it. */
  default?: string;
  /** The platforms that have this input; all three when absent. */
  on?: readonly Platform[];
  /** Markdown, one or two sentences. */
  description(d: DocContext): string;
  /** The text carries, or may by mistake carry, secret values: read without any debug echo. */
  secretBearing?: boolean;
  /** CLI: the flag repeats, its values joined by newlines (a multi-line input). */
  repeats?: boolean;
  /** env: an environment variable the CLI reads when the flag is not given (see Reader.rawText). */
  cli?: { flag?: string; metavar?: string; default?: string; env?: string };
  azdo?: {
    label: string;
    group?: AzdoGroup;
    visibleRule?: string;
    /** A pick list the editor fills from the service connection, where a typed value still works. */
    editablePickList?: boolean;
    /** Overrides the default on Azure DevOps (e.g. '' where the service connection answers). */
    default?: string;
    aliases?: readonly string[];
    /** Labels of a choice's values in the editor. */
    options?: Record<string, string>;
  };
  /** README default column, where it is not simply `default` (e.g. "the connection's"). */
  readmeDefault?: string;
  /** README Required column, when the input is required in some case (e.g. "one target"); absent: no. */
  required?: string;
}

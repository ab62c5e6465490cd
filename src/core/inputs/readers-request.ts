// The `readers` inputs as parsed (parse-readers.ts): which identities must be able to read, and what to do if not.

/** One line of `readers`, as parsed. `line` is the text as given (trimmed): the key of the `readers` output. */
export type ReaderLine =
  | { kind: 'compute'; name: string; line: string }
  | { kind: 'endpoint'; name: string; line: string }
  | { kind: 'workspace'; line: string }
  | { kind: 'serverless'; line: string }
  | { kind: 'identity'; resourceId: string; line: string }
  | { kind: 'principal'; objectId: string; line: string };

export type StaleReferences = 'warn' | 'fail' | 'ignore';

export interface ReadersRequest {
  lines: ReaderLine[];
  /** grant-readers: grant what is missing. */
  grant: boolean;
  /** readers-missing: a reader that cannot read fails the step, or only warns. */
  missing: 'fail' | 'warn';
  /** stale-references: what a deployment of an `endpoint:` reader pinning an older version does to the step. */
  stale: StaleReferences;
}

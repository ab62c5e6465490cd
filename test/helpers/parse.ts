// Shared by the parse-request tests: the platform contexts and a parse that always has a target.
import { parseRequest, type ParseContext, type Parsed } from '../../src/core/inputs/parse-request.js';
import type { PushIntent, RawInputs } from '../../src/core/inputs/inputs.js';
import { labeller } from '../../src/core/inputs/inputs.js';

export const NOW = new Date('2025-06-01T00:00:00Z');
export const DAY = 86_400_000;

export type Vars = Record<string, string | undefined>;

/** GitHub's labels (the input keys themselves) and environment. */
export function githubContext(vars: Vars): ParseContext {
  return {
    label: labeller('github'),
    lookup: (name) => vars[name],
    variableNames: () => Object.keys(vars),
    variableKind: 'environment variable',
  };
}

/** Azure DevOps' labels (camelCase) and pipeline variables. */
export function azdoContext(vars: Vars): ParseContext {
  return {
    label: labeller('azdo'),
    lookup: (name) => vars[name],
    variableNames: () => Object.keys(vars),
    variableKind: 'pipeline variable',
  };
}

/** A vault is always given unless a test is about the target, so each test sees only its own problems. */
export function parse(raw: RawInputs, vars: Vars = {}, ctx: ParseContext = githubContext(vars)): Parsed {
  return parseRequest({ 'vault-name': 'kv1', ...raw }, ctx, NOW);
}

/** The problems, in order, each containing its expected fragment; and then no request. */
export function expectProblems(parsed: Parsed, expected: string[]): void {
  expect(parsed.problems).toHaveLength(expected.length);
  expected.forEach((fragment, i) => expect(parsed.problems[i]).toContain(fragment));
  expect(parsed.request).toBeUndefined();
}

export function requestOf(parsed: Parsed): PushIntent {
  expect(parsed.problems).toEqual([]);
  if (!parsed.request) throw new Error('no request');
  return parsed.request;
}

// Values shaped like variable names (hf_…, ghp_…, AKIA…, hunter2, password) written where a variable's name belongs:
// on every platform's labels, the problem names the input and the line, and never carries the text, a piece of it,
// or a shortened form of it.
import { displayName } from '../../../src/core/azure/names.js';
import { labeller, type Platform } from '../../../src/core/inputs/inputs.js';
import type { ParseContext } from '../../../src/core/inputs/input-reader.js';
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import { readValue } from '../../../src/adapters/cli/value-source.js';
import { NOW } from '../../helpers/parse.js';

const VALUES = [
  'hf_abcd1234efgh',
  'hf_AbCd1234567',
  'ghp_1234abcdEFGH5678ijkl',
  'github_pat_11ABCDEFG0aBcDeFgHiJ_kLmN',
  'AKIAIOSFODNN7EXAMPLE',
  'xoxb_1234_5678_abcdef',
  'hunter2',
  'password',
  'Tr0ub4dor',
  'a.b.c.d',
];
const PLATFORMS: [Platform, string][] = [
  ['github', 'environment variable'],
  ['azdo', 'pipeline variable'],
  ['cli', 'environment variable'],
];

/** --env never reaches standard input. */
const NO_STDIN = {
  isTty: true,
  readAll: () => Promise.reject(new Error('unused')),
  prompt: () => Promise.reject(new Error('unused')),
};

/** Every form of `text` a message must not carry: the text, each piece of 4 or more characters, its display. */
function forms(text: string): string[] {
  const pieces = new Set<string>([text, displayName(text), JSON.stringify(text), `${text.slice(0, 7)}…`]);
  for (let i = 0; i + 4 <= text.length; i++) pieces.add(text.slice(i, i + 4).toLowerCase());
  return [...pieces];
}

function expectClean(message: string, text: string): void {
  const lower = message.toLowerCase();
  for (const form of forms(text)) expect([form, lower.includes(form.toLowerCase())]).toEqual([form, false]);
}

/** The environment of a run where the value is held by a variable (as a pasted token usually is), next to names
 *  close to it: none of them may be suggested. */
function contextHolding(platform: Platform, kind: string, value: string): ParseContext {
  const vars: Record<string, string> = { HF_TOKEN: value, [`${value}X`.toUpperCase()]: 'other', PATH: '/bin' };
  return {
    label: labeller(platform),
    lookup: (name) => vars[name],
    variableNames: () => Object.keys(vars),
    variableKind: kind,
  };
}

const cases = PLATFORMS.flatMap(([platform, kind]) =>
  VALUES.flatMap((value): [Platform, string, string, string, RawInputs, string][] => [
    [platform, kind, value, 'the whole line', { secrets: `OK\n${value}` }, 'line 2'],
    [platform, kind, value, "after '='", { secrets: `hf-token=${value}` }, 'line 1'],
    [
      platform,
      kind,
      value,
      'a secrets-json key',
      { 'secrets-json': `{"A":"v","${value} x":"${value}"}` },
      'key number 2',
    ],
  ]),
);

describe('a value shaped like a name is never repeated', () => {
  it.each(cases)('%s (%s): %s, %s', (platform, kind, value, _where, raw, position) => {
    const ctx = contextHolding(platform, kind, value);
    const parsed = parseRequest(
      { 'vault-name': 'kv1', ...raw },
      { ...ctx, lookup: (n) => (n === 'OK' ? 'v' : ctx.lookup(n)) },
      NOW,
    );
    expect(parsed.request).toBeUndefined();
    expect(parsed.problems).toHaveLength(1);
    const [problem] = parsed.problems as [string];
    const input = raw.secrets !== undefined ? 'secrets' : 'secrets-json';
    expect(problem.startsWith(`${labeller(platform)(input)}`)).toBe(true);
    expect(problem).toContain(position);
    expect(problem).not.toContain('did you mean');
    expectClean(problem, value);
    // Nor in the names a failed run reports: hf-token is the name the user chose, nothing derived from the value.
    for (const name of parsed.names) expectClean(name, value);
  });

  it.each(VALUES)('the CLI --env %s', async (value) => {
    const env = { HF_TOKEN: value, [`${value}X`.toUpperCase()]: 'other' };
    const read = await readValue('hf-token', { env: value }, env, NO_STDIN);
    if (!('problem' in read)) throw new Error(`expected a problem, got ${Object.keys(read).join()}`);
    expect(read.problem).toMatch(/^--env: /);
    expect(read.problem).not.toContain('did you mean');
    expectClean(read.problem, value);
  });
});

describe('a name that is not set gets the closest set name', () => {
  it.each(PLATFORMS)('%s', (platform, kind) => {
    const vars: Record<string, string> = { DB_PASSWORD: 'pw' };
    const ctx: ParseContext = {
      label: labeller(platform),
      lookup: (name) => vars[name],
      variableNames: () => Object.keys(vars),
      variableKind: kind,
    };
    const parsed = parseRequest({ 'vault-name': 'kv1', secrets: 'db=DB_PASWORD' }, ctx, NOW);
    expect(parsed.problems).toEqual([
      `${labeller(platform)('secrets')} line 1: no ${kind} of that name is set (the part after '=' is not shown, in case it is a value); did you mean DB_PASSWORD?`,
    ]);
    // The name before '=' is the user's choice of name: a failed run still reports it.
    expect(parsed.names).toEqual(['db']);
  });

  it('the CLI --env', async () => {
    const read = await readValue('db', { env: 'DB_PASWORD' }, { DB_PASSWORD: 'pw' }, NO_STDIN);
    expect(read).toEqual({
      problem:
        '--env: names no environment variable that is set (not shown, in case it is a value); did you mean DB_PASSWORD?',
    });
  });
});

it('a variable the platform names but gives no value (an empty secret variable on Azure DevOps) is empty, by name', () => {
  const ctx: ParseContext = {
    label: labeller('azdo'),
    lookup: () => undefined,
    variableNames: () => ['EMPTY_ONE'],
    variableKind: 'pipeline variable',
  };
  const parsed = parseRequest({ 'vault-name': 'kv1', secrets: 'EMPTY_ONE' }, ctx, NOW);
  expect(parsed.problems).toEqual([
    'secrets line 1 (EMPTY_ONE): pipeline variable EMPTY_ONE is empty; a misspelled secret expands to an empty string; to push it anyway: allowEmpty: true',
  ]);
  const allowed = parseRequest({ 'vault-name': 'kv1', secrets: 'EMPTY_ONE', 'allow-empty': 'true' }, ctx, NOW);
  expect(allowed.request?.secrets).toEqual([{ name: 'EMPTY-ONE', value: '', origin: 'secrets line 1 (EMPTY_ONE)' }]);
});

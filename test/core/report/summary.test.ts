import { failureReport, OUTPUT_NAMES, resultOutputs, summaryMarkdown } from '../../../src/core/report/summary.js';
import type { Action, PushResult, SecretOutcome } from '../../../src/core/common/types.js';

const VAULT = 'https://kv1.vault.azure.net';

function outcome(
  name: string,
  action: Action,
  status: SecretOutcome['status'],
  extra: Partial<SecretOutcome> = {},
): SecretOutcome {
  return { name, origin: `secrets line 1 (${name})`, action, reason: `reason for ${name}`, status, ...extra };
}

/** One of each, as a real run reports them. */
const applied: SecretOutcome[] = [
  outcome('A', 'create', 'done', { version: 'v-a' }),
  outcome('B', 'update', 'done', { version: 'v-b' }),
  outcome('C', 'unchanged', 'done', { version: 'v-c-current' }),
  outcome('D', 'recover', 'done', { version: 'v-d' }),
  outcome('E', 'blocked', 'failed', {
    error: 'exists without the ownership tag; set adopt-unowned: true to take it over',
  }),
  outcome('F', 'update', 'failed', { error: 'Forbidden\r\nCaller: appid=1\r\nAction: setSecret' }),
];
/** The same, as a dry run plans them. */
const planned: SecretOutcome[] = applied.map((o) => {
  const { version: _v, error: _e, ...rest } = o;
  return { ...rest, status: 'planned' };
});

describe('resultOutputs', () => {
  it('has exactly the documented outputs of one vault (deleted, results, readers and references are the whole run’s: fleet-summary)', () => {
    expect(Object.keys(resultOutputs({ vaultUrl: VAULT, dryRun: false, outcomes: [] })).sort()).toEqual(
      OUTPUT_NAMES.filter((n) => !['deleted', 'results', 'readers', 'references'].includes(n)).sort(),
    );
  });

  it.each<[string, PushResult, Record<string, unknown>]>([
    [
      'a real run lists what was done',
      { vaultUrl: VAULT, dryRun: false, outcomes: applied },
      {
        created: ['A'],
        updated: ['B'],
        unchanged: ['C'],
        recovered: ['D'],
        failed: ['E', 'F'],
        versions: { A: 'v-a', B: 'v-b', D: 'v-d' },
      },
    ],
    [
      'a dry run lists what would be done; blocked still fails; no versions',
      { vaultUrl: VAULT, dryRun: true, outcomes: planned },
      { created: ['A'], updated: ['B', 'F'], unchanged: ['C'], recovered: ['D'], failed: ['E'], versions: {} },
    ],
    [
      'nothing',
      { vaultUrl: VAULT, dryRun: false, outcomes: [] },
      { created: [], updated: [], unchanged: [], recovered: [], failed: [], versions: {} },
    ],
    [
      'a done outcome without a version id',
      { vaultUrl: VAULT, dryRun: false, outcomes: [outcome('A', 'create', 'done')] },
      { created: ['A'], updated: [], unchanged: [], recovered: [], failed: [], versions: {} },
    ],
    [
      'a failed recover counts as failed only',
      { vaultUrl: VAULT, dryRun: false, outcomes: [outcome('D', 'recover', 'failed', { error: 'x' })] },
      { created: [], updated: [], unchanged: [], recovered: [], failed: ['D'], versions: {} },
    ],
    [
      'a planned outcome in a real run (not applied) is listed nowhere',
      { vaultUrl: VAULT, dryRun: false, outcomes: [outcome('A', 'create', 'planned')] },
      { created: [], updated: [], unchanged: [], recovered: [], failed: [], versions: {} },
    ],
    [
      'a name like __proto__ is an ordinary key of versions',
      { vaultUrl: VAULT, dryRun: false, outcomes: [outcome('__proto__', 'create', 'done', { version: 'v1' })] },
      {
        created: ['__proto__'],
        updated: [],
        unchanged: [],
        recovered: [],
        failed: [],
        versions: { ['__proto__']: 'v1' },
      },
    ],
  ])('%s', (_title, result, expected) => {
    const outputs = resultOutputs(result);
    const decoded = Object.fromEntries(
      Object.entries(outputs)
        .filter(([k]) => k !== 'vault-url')
        .map(([k, v]) => [k, JSON.parse(v) as unknown]),
    );
    expect(decoded).toEqual(expected);
    expect(outputs['vault-url']).toBe(result.vaultUrl);
    for (const value of Object.values(outputs)) expect(typeof value).toBe('string');
  });
});

describe('summaryMarkdown', () => {
  it('renders a real run: heading, counts, one row per secret', () => {
    expect(summaryMarkdown({ vaultUrl: VAULT, dryRun: false, outcomes: applied })).toBe(
      [
        '### aml-vault-push: kv1.vault.azure.net',
        '',
        '1 created · 1 updated · 1 unchanged · 1 recovered · 2 failed',
        '',
        '| Secret | Action | Version | Reason |',
        '|---|---|---|---|',
        '| A | create | v-a | reason for A |',
        '| B | update | v-b | reason for B |',
        '| C | unchanged | v-c-current | reason for C |',
        '| D | recover | v-d | reason for D |',
        '| E | blocked |  | exists without the ownership tag; set adopt-unowned: true to take it over |',
        '| F | update (failed) |  | Forbidden<br>Caller: appid=1<br>Action: setSecret |',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, PushResult, RegExp[]]>([
    [
      'a dry run says so in the heading and the counts',
      { vaultUrl: VAULT, dryRun: true, outcomes: planned },
      [
        /^### aml-vault-push: kv1\.vault\.azure\.net \(dry run\)$/m,
        /^Dry run, nothing was written\. The plan: 1 created · 2 updated · 1 unchanged · 1 recovered · 1 failed$/m,
        /^\| E \| blocked \| {2}\| reason for E \|$/m,
      ],
    ],
    [
      'the port of a local vault stays in the heading',
      { vaultUrl: 'https://localhost:8443', dryRun: false, outcomes: [] },
      [/^### aml-vault-push: localhost:8443$/m, /^No secrets\.$/m],
    ],
    [
      'cells escape pipes, line breaks and HTML',
      { vaultUrl: VAULT, dryRun: false, outcomes: [outcome('A', 'create', 'failed', { error: 'a | b\nc <script>&' })] },
      [/^\| A \| create \(failed\) \| {2}\| a \\\| b<br>c &lt;script&gt;&amp; \|$/m],
    ],
  ])('%s', (_title, result, patterns) => {
    const markdown = summaryMarkdown(result);
    for (const pattern of patterns) expect(markdown).toMatch(pattern);
  });

  it('every table row has four cells whatever the reasons hold', () => {
    const markdown = summaryMarkdown({
      vaultUrl: VAULT,
      dryRun: false,
      outcomes: [outcome('A', 'update', 'done', { reason: '|||\r\n|' })],
    });
    const row = markdown.split('\n').find((l) => l.startsWith('| A '));
    expect(row?.split(/(?<!\\)\|/).length).toBe(6);
  });
});

describe('failureReport', () => {
  it.each<[string, PushResult, string | undefined]>([
    ['none failed', { vaultUrl: VAULT, dryRun: false, outcomes: applied.slice(0, 4) }, undefined],
    [
      'one line per failed secret, service CRLFs folded',
      { vaultUrl: VAULT, dryRun: false, outcomes: applied },
      [
        'E (secrets line 1 (E)): exists without the ownership tag; set adopt-unowned: true to take it over',
        'F (secrets line 1 (F)): Forbidden Caller: appid=1 Action: setSecret',
      ].join('\n'),
    ],
    [
      'a blocked plan in a dry run, by its reason',
      { vaultUrl: VAULT, dryRun: true, outcomes: planned },
      'E (secrets line 1 (E)): reason for E',
    ],
    ['nothing to push', { vaultUrl: VAULT, dryRun: false, outcomes: [] }, undefined],
  ])('%s', (_title, result, expected) => {
    expect(failureReport(result)).toBe(expected);
  });
});

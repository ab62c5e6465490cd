// Outputs, summary and failure report of a run: one target keeps the single-vault meaning; several are combined
// (a name in any target, vault-url one a line, versions by secret id) and `results` holds each vault's own.
import { fleetFailureReport, fleetOutputs, fleetSummaryMarkdown } from '../../../src/core/report/fleet-summary.js';
import { listSummaryMarkdown, listText } from '../../../src/core/report/list-summary.js';
import type { FleetResult, TargetResult } from '../../../src/core/run/fleet.js';
import type { SecretOutcome } from '../../../src/core/common/types.js';

const K1 = 'https://kv1.vault.azure.net';
const K2 = 'https://kv2.vault.azure.net';
const done = (name: string, action: SecretOutcome['action'], version?: string): SecretOutcome => ({
  name,
  origin: `secrets line (${name})`,
  action,
  reason: 'r',
  status: 'done',
  ...(version && { version }),
});
const target = (vaultUrl: string | undefined, patch: Partial<TargetResult> = {}): TargetResult => ({
  target: vaultUrl ?? 'sub/rg/ws3',
  ...(vaultUrl && { vaultUrl }),
  outcomes: [],
  deleted: [],
  ...patch,
});
const run = (targets: TargetResult[], patch: Partial<FleetResult> = {}): FleetResult => ({
  mode: 'push',
  dryRun: false,
  secrets: ['A', 'B'],
  targets,
  expiring: [],
  ...patch,
});

describe('fleetOutputs', () => {
  it('one target: the single-vault outputs, plus deleted, results and references (name → reference)', () => {
    const result = run([
      target(K1, {
        outcomes: [done('A', 'create', 'v1'), { ...done('B', 'unchanged'), currentVersion: 'v0' }],
        deleted: [{ name: 'old', status: 'done', reason: 'r' }],
      }),
    ]);
    const outputs = fleetOutputs(result);
    expect(outputs).toEqual({
      created: '["A"]',
      updated: '[]',
      unchanged: '["B"]',
      recovered: '[]',
      failed: '[]',
      versions: '{"A":"v1"}',
      deleted: '["old"]',
      'vault-url': K1,
      references: JSON.stringify({
        A: `\${{keyvault:${K1}/secrets/A/v1}}`,
        B: `\${{keyvault:${K1}/secrets/B/v0}}`,
      }),
      results: JSON.stringify({
        [K1]: {
          created: ['A'],
          updated: [],
          unchanged: ['B'],
          recovered: [],
          deleted: ['old'],
          failed: [],
          versions: { A: 'v1' },
        },
      }),
    });
  });

  it('several targets: names from any target, failed in any, versions by secret id, URLs one a line', () => {
    const result = run([
      target(K1, { outcomes: [done('A', 'create', 'v1'), done('B', 'update', 'v2')] }),
      target(K2, {
        outcomes: [done('A', 'unchanged'), { ...done('B', 'update'), status: 'failed', error: 'write failed: x' }],
      }),
      target(undefined, { error: 'cannot read workspace' }),
      target(K1, { target: 'sub/rg/ws4', sameVaultAs: K1 }),
    ]);
    const outputs = fleetOutputs(result);
    expect(JSON.parse(outputs.created)).toEqual(['A']);
    expect(JSON.parse(outputs.updated)).toEqual(['B']);
    expect(JSON.parse(outputs.unchanged)).toEqual(['A']);
    expect(JSON.parse(outputs.failed)).toEqual(['B', 'A']);
    expect(JSON.parse(outputs.versions)).toEqual({ [`${K1}/secrets/A`]: 'v1', [`${K1}/secrets/B`]: 'v2' });
    expect(outputs['vault-url']).toBe(`${K1}\n${K2}`);
    const results = JSON.parse(outputs.results) as Record<string, { failed: string[]; error?: string }>;
    expect(Object.keys(results)).toEqual([K1, K2, 'sub/rg/ws3']);
    expect(results['sub/rg/ws3']).toMatchObject({ failed: ['A', 'B'], error: 'cannot read workspace' });
    // references: keyed by vault URL first; a failed write has none, an unchanged one without a known version none.
    expect(JSON.parse(outputs.references)).toEqual({
      [K1]: { A: `\${{keyvault:${K1}/secrets/A/v1}}`, B: `\${{keyvault:${K1}/secrets/B/v2}}` },
      [K2]: {},
    });
  });
});

describe('summary and failure report', () => {
  const result = run(
    [
      target(K1, {
        outcomes: [{ ...done('A', 'create', 'v1'), expiresOn: new Date('2026-01-04T00:00:00Z') }],
        deleted: [{ name: 'old', status: 'done', reason: 'written by me, no longer in the input' }],
      }),
      target(undefined, { error: 'cannot read workspace' }),
    ],
    {
      expiring: [{ vaultUrl: K1, name: 'A', expiresOn: new Date('2026-01-04T00:00:00Z'), days: 3.2 }],
    },
  );

  it('a section per target with delete rows and an expiry column', () => {
    const md = fleetSummaryMarkdown(result);
    expect(md).toContain('## aml-vault-push: 2 targets, 1 failed');
    expect(md).toContain('### aml-vault-push: kv1.vault.azure.net');
    expect(md).toContain('1 created · 0 updated · 0 unchanged · 0 recovered · 1 deleted · 0 failed');
    expect(md).toContain('| A | create | v1 | ⚠️ 2026-01-04 (in 3 d) | r |');
    expect(md).toContain('| old | delete |  |  | written by me, no longer in the input |');
    expect(md).toContain('### aml-vault-push: sub/rg/ws3');
    expect(md).toContain('**Failed:** cannot read workspace');
  });

  it('the failure report names the target that failed', () => {
    expect(fleetFailureReport(result)).toBe('[sub/rg/ws3] sub/rg/ws3: cannot read workspace');
    expect(fleetFailureReport(run([target(K1, { outcomes: [done('A', 'create', 'v1')] })]))).toBeUndefined();
  });
});

describe('list rendering', () => {
  const listing = {
    mode: 'list' as const,
    targets: [
      {
        target: K1,
        vaultUrl: K1,
        secrets: [
          {
            name: 'A',
            enabled: true,
            tags: {},
            updatedOn: new Date('2026-01-01T10:00:00Z'),
            expiresOn: new Date('2026-02-01T00:00:00Z'),
            contentType: 'text/plain',
            owner: { kind: 'ours' as const },
          },
          { name: 'b', enabled: false, tags: {}, owner: { kind: 'other' as const, owner: 'github.com/x/y#s' } },
        ],
      },
    ],
  };
  it('a table per target with owners', () => {
    expect(listSummaryMarkdown(listing)).toContain('| A | yes | 2026-01-01 | 2026-02-01 | text/plain | ours |');
    expect(listSummaryMarkdown(listing)).toContain('| b | no |  |  |  | github.com/x/y#s |');
    expect(listText(listing)).toContain('  b     disabled  -           -           -             github.com/x/y#s');
  });
});

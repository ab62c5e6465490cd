// The readers check rendered and decided: identities of an ARM identity block, the fix commands, the deterministic
// assignment name, the output, the "Who can read" table, which verdicts fail the step and which only warn.
import { identitiesOf } from '../../../src/core/readers/identity-blocks.js';
import {
  accessPolicyCommand,
  fixCommand,
  roleAssignmentCommand,
  secretsUserRoleId,
} from '../../../src/core/readers/fixes.js';
import { assignmentName } from '../../../src/core/readers/grant.js';
import { combine } from '../../../src/core/readers/check-readers.js';
import { readersFailed, readersFailureLines, readersWarnings } from '../../../src/core/readers/verdict-messages.js';
import { readersMarkdown, readersOutput } from '../../../src/core/report/readers-report.js';
import type { ReadersReport, ReaderVerdict } from '../../../src/core/readers/types.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.KeyVault/vaults/kv-train`;
const P1 = '7e57c0de-0000-4000-8000-0000000000a1';
const P2 = '7e57c0de-0000-4000-8000-0000000000a2';
const C2 = '7e57c0de-0000-4000-8000-0000000000b2';
const UAI = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/train-id`;

describe('identitiesOf', () => {
  it.each([['SystemAssigned,UserAssigned'], ['SystemAssigned, UserAssigned']])('reads both kinds from %s', (type) => {
    const { identities } = identitiesOf({
      type,
      principalId: P1.toUpperCase(),
      userAssignedIdentities: { [UAI]: { principalId: P2, clientId: C2 } },
    });
    expect(identities).toEqual([
      { principalId: P1, principalType: 'ServicePrincipal', what: 'system-assigned' },
      { principalId: P2, clientId: C2, principalType: 'ServicePrincipal', what: 'train-id' },
    ]);
  });
  it.each([[undefined], [{ type: 'None' }], [{ type: 'SystemAssigned' }]])('no identity in %j', (identity) => {
    expect(identitiesOf(identity).identities).toEqual([]);
  });
});

describe('fixes and grants', () => {
  it('names the exact commands', () => {
    expect(roleAssignmentCommand(P1, 'ServicePrincipal', VAULT_ID)).toBe(
      `az role assignment create --assignee-object-id ${P1} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope ${VAULT_ID}`,
    );
    expect(accessPolicyCommand(P1, 'kv-train')).toBe(
      `az keyvault set-policy --name kv-train --object-id ${P1} --secret-permissions get list`,
    );
    expect(fixCommand('policies', P1, undefined, VAULT_ID)).toContain('--name kv-train ');
    expect(secretsUserRoleId(VAULT_ID)).toBe(
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
    );
  });
  it('the assignment name is a GUID, the same for the same scope, principal and role in any letter case', () => {
    const a = assignmentName(VAULT_ID, P1, '4633458b-17de-408a-b874-0445c86b69e6');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(assignmentName(VAULT_ID.toUpperCase(), P1.toUpperCase(), '4633458B-17DE-408A-B874-0445C86B69E6')).toBe(a);
    expect(assignmentName(VAULT_ID, P2, '4633458b-17de-408a-b874-0445c86b69e6')).not.toBe(a);
  });
});

describe('verdicts and report', () => {
  it('a line is missing if any identity is, then unknown, then granted, then reads', () => {
    expect(
      combine([
        { principalId: P1, status: 'reads' },
        { principalId: P2, status: 'missing', reason: 'x' },
      ]).status,
    ).toBe('missing');
    expect(
      combine([
        { principalId: P1, status: 'unknown' },
        { principalId: P2, status: 'granted' },
      ]).status,
    ).toBe('unknown');
    expect(
      combine([
        { principalId: P1, status: 'reads' },
        { principalId: P2, status: 'granted' },
      ]).status,
    ).toBe('granted');
    expect(combine([{ principalId: P1, status: 'reads' }]).status).toBe('reads');
  });

  const missing: ReaderVerdict = {
    status: 'missing',
    identities: [{ principalId: P1, status: 'missing', reason: 'no role assignment; to let it read, run: az …' }],
    reason: `${P1}: no role assignment; to let it read, run: az …`,
  };
  const reads: ReaderVerdict = {
    status: 'reads',
    identities: [{ principalId: P2, clientId: C2, status: 'reads', via: 'access policy' }],
  };
  const unknown: ReaderVerdict = { status: 'unknown', identities: [], reason: "the compute 'gpu' was not found" };
  const target = (report: Partial<ReadersReport>) => ({
    target: 'sub/rg/ws',
    vaultUrl: 'https://kv-train.vault.azure.net',
    readers: {
      verdicts: { 'compute:gpu': missing, workspace: reads, 'compute:cpu': unknown },
      notes: [],
      missing: 'fail',
      dryRun: false,
      ...report,
    } as ReadersReport,
  });

  it('fail: a missing reader fails the step and says the secrets were written; unknown only warns', () => {
    const t = target({});
    expect(readersFailed(t)).toBe(true);
    expect(readersFailureLines(t, '')).toEqual([
      `readers compute:gpu: cannot read the secrets of https://kv-train.vault.azure.net (the secrets were written): ${missing.reason}`,
    ]);
    expect(readersWarnings(t)).toEqual([
      "readers compute:cpu: could not check whether it reads https://kv-train.vault.azure.net: the compute 'gpu' was not found",
    ]);
  });

  it('warn: nothing fails, the missing reader is a warning', () => {
    const t = target({ missing: 'warn', notes: ['the vault has public network access disabled: …'] });
    expect(readersFailed(t)).toBe(false);
    expect(readersWarnings(t)).toHaveLength(3);
    expect(readersWarnings(t)[2]).toBe(
      'https://kv-train.vault.azure.net: the vault has public network access disabled: …',
    );
  });

  it('a dry run that would grant does not fail', () => {
    const wouldGrant: ReaderVerdict = {
      status: 'missing',
      identities: [
        { principalId: P1, status: 'missing', reason: 'x; dry run: would grant Key Vault Secrets User at …' },
      ],
    };
    expect(
      readersFailed({
        ...target({ dryRun: true }),
        readers: { verdicts: { 'compute:gpu': wouldGrant }, notes: [], missing: 'fail', stale: 'warn', dryRun: true },
      }),
    ).toBe(false);
  });

  it('the output is keyed by vault URL and line; the table has a row per identity', () => {
    const t = target({});
    expect(JSON.parse(readersOutput([t]))).toEqual({ 'https://kv-train.vault.azure.net': t.readers.verdicts });
    const md = readersMarkdown(t).join('\n');
    expect(md).toContain('#### Who can read');
    expect(md).toContain(`| compute:gpu | ${P1} | ❌ missing | no role assignment; to let it read, run: az … |`);
    expect(md).toContain(`| workspace | ${P2} (client ${C2}) | ✅ reads | access policy |`);
    expect(md).toContain("| compute:cpu |  | ⚠️ unknown | the compute 'gpu' was not found |");
  });
});

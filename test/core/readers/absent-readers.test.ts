// A reader that does not exist (Resource Manager 404 for its compute or identity) is missing: it fails under
// readers-missing: fail (dry run or not) and warns under warn, saying what the workspace does have and that the
// secrets were written.
import { checkReaders } from '../../../src/core/readers/check-readers.js';
import { RoleDefinitions } from '../../../src/core/readers/role-definitions.js';
import { readersFailed, readersFailureLines, readersWarnings } from '../../../src/core/readers/verdict-messages.js';
import type { ArmClient, ArmResponse } from '../../../src/core/targets/workspace-vault.js';
import type { ReaderLine } from '../../../src/core/inputs/readers-request.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const RG = `/subscriptions/${SUB}/resourceGroups/ml-rg`;
const WS_ID = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/train-ws`;
const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train`;
const VAULT_URL = 'https://kv-train.vault.azure.net';
const uai = (name: string) => `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const P1 = '7e57c0de-0000-4000-8000-0000000000a1';
const quiet = { debug: () => undefined, info: () => undefined, warning: () => undefined };
const NOT_FOUND: ArmResponse = { status: 404, code: 'ResourceNotFound' };

const compute = (name: string, identities: string[] = []) => ({
  name,
  ...(identities.length > 0 && {
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: Object.fromEntries(identities.map((id) => [id, { principalId: P1 }])),
    },
  }),
});

/** Resource Manager as a map from path to answer; everything else is 404. */
function fakeArm(answers: Record<string, ArmResponse>): ArmClient & { calls: string[] } {
  const calls: string[] = [];
  const answer = (id: string): ArmResponse => {
    calls.push(id);
    return answers[id] ?? NOT_FOUND;
  };
  return {
    calls,
    get: async (id) => answer(id),
    put: async (id) => answer(id),
    next: async (link) => answer(link),
  };
}

async function check(
  line: ReaderLine,
  answers: Record<string, ArmResponse>,
  opts: { missing?: 'fail' | 'warn'; dryRun?: boolean; workspace?: Record<string, unknown> | null } = {},
) {
  const arm = fakeArm(answers);
  const readers = await checkReaders(
    { lines: [line], grant: false, missing: opts.missing ?? 'fail', stale: 'warn' },
    {
      display: 'train-ws',
      vaultUrl: VAULT_URL,
      vaultId: VAULT_ID,
      vault: { properties: { enableRbacAuthorization: true } },
      ...(opts.workspace !== null && {
        workspace: { workspaceId: WS_ID, workspace: opts.workspace ?? {}, display: 'train-ws' },
      }),
    },
    ['db-password'],
    { arm, roles: new RoleDefinitions(arm), logger: quiet, dryRun: opts.dryRun ?? false },
  );
  const t = { target: 'train-ws', vaultUrl: VAULT_URL, readers };
  return { verdict: readers.verdicts[line.line]!, t, calls: arm.calls };
}

const nosuch: ReaderLine = { kind: 'compute', name: 'nosuch', line: 'compute:nosuch' };
const computes = (...items: object[]): ArmResponse => ({ status: 200, body: { value: items } });

describe('a compute that does not exist', () => {
  it.each<[string, ArmResponse, string]>([
    ['lists the computes there are', computes(compute('gpu'), compute('cpu')), 'its computes: cpu, gpu'],
    ['says when there are none', computes(), 'it has no computes'],
    [
      'says when they cannot be listed',
      { status: 403, code: 'AuthorizationFailed' },
      'its computes could not be listed (403 AuthorizationFailed)',
    ],
  ])('%s', async (_title, list, listed) => {
    const { verdict, t } = await check(nosuch, { [`${WS_ID}/computes`]: list });
    expect(verdict).toEqual({
      status: 'missing',
      identities: [],
      reason: `the compute 'nosuch' does not exist in train-ws; ${listed}`,
    });
    expect(readersFailed(t)).toBe(true);
    expect(readersFailureLines(t, '')).toEqual([
      `readers compute:nosuch: the compute 'nosuch' does not exist in train-ws; ${listed} (the secrets were written to ${VAULT_URL})`,
    ]);
  });

  it('follows the listing to its next page', async () => {
    const next = 'https://management.example/next?page=2';
    const { verdict } = await check(nosuch, {
      [`${WS_ID}/computes`]: { status: 200, body: { value: [compute('a1')], nextLink: next } },
      [next]: computes(compute('b2')),
    });
    expect(verdict.reason).toMatch(/its computes: a1, b2$/);
  });

  it('warns under readers-missing: warn, and still says the secrets were written', async () => {
    const { t } = await check(nosuch, { [`${WS_ID}/computes`]: computes(compute('gpu')) }, { missing: 'warn' });
    expect(readersFailed(t)).toBe(false);
    expect(readersWarnings(t)).toEqual([
      `readers compute:nosuch: the compute 'nosuch' does not exist in train-ws; its computes: gpu (the secrets were written to ${VAULT_URL})`,
    ]);
  });

  it('fails a dry run too: no grant could make it read', async () => {
    const { t } = await check(nosuch, { [`${WS_ID}/computes`]: computes() }, { dryRun: true });
    expect(readersFailed(t)).toBe(true);
    expect(readersFailureLines(t, '')[0]).toMatch(/\(dry run: nothing was written to /);
  });

  it('a compute Resource Manager refuses to show is unknown, not missing', async () => {
    const { verdict, t } = await check(nosuch, {
      [`${WS_ID}/computes/nosuch`]: { status: 403, code: 'AuthorizationFailed' },
    });
    expect(verdict.status).toBe('unknown');
    expect(readersFailed(t)).toBe(false);
  });
});

describe('an identity that does not exist', () => {
  const line: ReaderLine = { kind: 'identity', resourceId: uai('nosuch'), line: `identity:${uai('nosuch')}` };

  it('lists the user-assigned identities of the workspace and its computes, each once', async () => {
    const workspace = {
      identity: { type: 'SystemAssigned,UserAssigned', userAssignedIdentities: { [uai('ws-id')]: {} } },
    };
    const { verdict, t } = await check(
      line,
      { [`${WS_ID}/computes`]: computes(compute('gpu', [uai('gpu-id'), uai('ws-id')]), compute('cpu')) },
      { workspace },
    );
    expect(verdict).toEqual({
      status: 'missing',
      identities: [],
      reason: `no such user-assigned identity; the user-assigned identities of train-ws and its computes: ${uai('gpu-id')}, ${uai('ws-id')}`,
    });
    expect(readersFailed(t)).toBe(true);
    expect(readersFailureLines(t, '')[0]).toMatch(/\(the secrets were written to https:\/\/kv-train/);
  });

  it('says when there are none', async () => {
    const { verdict } = await check(line, { [`${WS_ID}/computes`]: computes(compute('cpu')) });
    expect(verdict.reason).toBe(
      `no such user-assigned identity; the workspace train-ws and its computes have no user-assigned identity`,
    );
  });

  it('with a vault target, says only that it does not exist', async () => {
    const { verdict, calls } = await check(line, {}, { workspace: null });
    expect(verdict).toEqual({
      status: 'missing',
      identities: [],
      reason: `no such user-assigned identity`,
    });
    expect(calls).toEqual([uai('nosuch')]);
  });
});

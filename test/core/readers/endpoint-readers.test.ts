// endpoint: and serverless readers on Resource Manager's answers (a plain object in place of the client): an endpoint
// that does not exist is missing, listing the workspace's endpoints; one without an identity is unknown; on an
// access-policy vault it is missing whatever the policies say, and nothing is granted; serverless takes the workspace's
// user-assigned identities only, and a workspace with none says jobs run as the submitter (a warning, not a failure);
// the deployments' pins fail or warn as stale-references says, an absent secret fails under warn, ignore reads none.
import { checkReaders } from '../../../src/core/readers/check-readers.js';
import { RoleDefinitions } from '../../../src/core/readers/role-definitions.js';
import { readersFailed, readersFailureLines, readersWarnings } from '../../../src/core/readers/verdict-messages.js';
import type { ArmClient, ArmResponse } from '../../../src/core/targets/workspace-vault.js';
import type { ReaderLine, StaleReferences } from '../../../src/core/inputs/readers-request.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const RG = `/subscriptions/${SUB}/resourceGroups/ml-rg`;
const WS_ID = `${RG}/providers/Microsoft.MachineLearningServices/workspaces/train-ws`;
const EP = `${WS_ID}/onlineEndpoints`;
const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv-train`;
const VAULT_URL = 'https://kv-train.vault.azure.net';
const P1 = '7e57c0de-0000-4000-8000-0000000000a1';
const P2 = '7e57c0de-0000-4000-8000-0000000000a2';
const OLD = '0123456789abcdef0123456789abcdef';
const NEW = 'fedcba9876543210fedcba9876543210';
const quiet = { debug: () => undefined, info: () => undefined, warning: () => undefined };
const ok = (body: object): ArmResponse => ({ status: 200, body: body as Record<string, unknown> });
const list = (...value: object[]) => ok({ value });
const endpoint: ReaderLine = { kind: 'endpoint', name: 'score', line: 'endpoint:score' };
const serverless: ReaderLine = { kind: 'serverless', line: 'serverless' };

function fakeArm(answers: Record<string, ArmResponse>): ArmClient & { calls: string[] } {
  const calls: string[] = [];
  const answer = (method: string, id: string): ArmResponse => {
    calls.push(`${method} ${id}`);
    if (id.endsWith('/roleAssignments')) return list();
    return answers[id] ?? { status: 404, code: 'ResourceNotFound' };
  };
  return {
    calls,
    get: async (id) => answer('GET', id),
    put: async (id) => answer('PUT', id),
    next: async (link) => answer('GET', link),
  };
}

async function check(
  line: ReaderLine,
  answers: Record<string, ArmResponse>,
  opts: { policies?: boolean; stale?: StaleReferences; workspace?: Record<string, unknown>; names?: string[] } = {},
) {
  const arm = fakeArm(answers);
  const readers = await checkReaders(
    { lines: [line], grant: true, missing: 'warn', stale: opts.stale ?? 'warn' },
    {
      display: 'train-ws',
      vaultUrl: VAULT_URL,
      vaultId: VAULT_ID,
      vault: opts.policies
        ? { properties: { tenantId: SUB, accessPolicies: [{ objectId: P1, permissions: { secrets: ['get'] } }] } }
        : { properties: { enableRbacAuthorization: true } },
      workspace: { workspaceId: WS_ID, workspace: opts.workspace ?? {}, display: 'train-ws' },
      run: new Map([['db-password', { name: 'db-password', version: NEW }]]),
      listNames: async () => opts.names ?? ['db-password'],
    },
    ['db-password'],
    { arm, roles: new RoleDefinitions(arm), logger: quiet, dryRun: false },
  );
  const t = { target: 'train-ws', vaultUrl: VAULT_URL, readers };
  return { verdict: readers.verdicts[line.line]!, t, calls: arm.calls };
}

const systemEndpoint = ok({ name: 'score', identity: { type: 'SystemAssigned', principalId: P1 } });
const deployments = (variables: Record<string, string>) =>
  list({ name: 'blue', properties: { environmentVariables: variables } });
const ref = (name: string, version: string) =>
  `\${{keyvault:https://kv-train.vault.azure.net/secrets/${name}/${version}}}`;

it('an endpoint that does not exist is missing, naming the endpoints there are', async () => {
  const { verdict } = await check(endpoint, { [EP]: list({ name: 'b-ep' }, { name: 'a-ep' }) });
  expect(verdict).toEqual({
    status: 'missing',
    identities: [],
    reason: "the online endpoint 'score' does not exist in train-ws; its online endpoints: a-ep, b-ep",
  });
});

it('an endpoint without a managed identity is unknown with why', async () => {
  const { verdict } = await check(endpoint, {
    [`${EP}/score`]: ok({ identity: { type: 'None' } }),
    [`${EP}/score/deployments`]: list(),
  });
  expect(verdict).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/has no managed identity/) });
});

it('an RBAC vault: the endpoint identity is granted Key Vault Secrets User', async () => {
  const { verdict, calls } = await check(endpoint, {
    [`${EP}/score`]: systemEndpoint,
    [`${EP}/score/deployments`]: list(),
  });
  expect(verdict.status).toBe('missing'); // the fake refuses the PUT (404)
  expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([
    expect.stringMatching(new RegExp(`^PUT ${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/`)),
  ]);
});

it('an access-policy vault: missing though a policy lets it get, no access policy added', async () => {
  const { verdict, calls, t } = await check(
    endpoint,
    { [`${EP}/score`]: systemEndpoint, [`${EP}/score/deployments`]: list() },
    { policies: true },
  );
  expect(verdict.identities[0]).toMatchObject({ principalId: P1, status: 'missing' });
  expect(verdict.reason).toMatch(/secret injection reads only vaults that use the Azure RBAC permission model/);
  expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
  expect(readersFailed(t)).toBe(false); // readers-missing: warn
  expect(readersWarnings(t).join('\n')).toContain(
    'az keyvault update --name kv-train --enable-rbac-authorization true',
  );
});

describe('the deployments’ pins', () => {
  const answers = (variables: Record<string, string>) => ({
    [`${EP}/score`]: systemEndpoint,
    [`${EP}/score/deployments`]: deployments(variables),
  });
  it.each<[StaleReferences, boolean]>([
    ['warn', false],
    ['fail', true],
  ])('a stale pin under %s: failed %s', async (stale, failed) => {
    const { t, verdict } = await check(endpoint, answers({ DB: ref('db-password', OLD) }), { stale });
    expect(verdict.deployments?.stale).toHaveLength(1);
    expect(readersFailed(t)).toBe(failed);
    const said = (failed ? readersFailureLines(t, '') : readersWarnings(t)).join('\n');
    expect(said).toContain(`readers endpoint:score: the deployment blue pins db-password version ${OLD} in DB`);
    expect(said).toContain(`--set 'environment_variables.DB=${ref('db-password', NEW)}'`);
  });

  it('a reference to a secret the vault lacks fails under warn', async () => {
    const { t } = await check(endpoint, answers({ X: ref('never-pushed', OLD) }), { names: ['db-password'] });
    expect(readersFailed(t)).toBe(true);
    expect(readersFailureLines(t, '')).toEqual([
      `readers endpoint:score: the deployment blue references the secret never-pushed in X, which ${VAULT_URL} does not have: the deployment would not start (SecretsInjectionError); push that secret or correct the reference`,
    ]);
  });

  it('ignore reads no deployment', async () => {
    const { verdict, calls } = await check(endpoint, answers({ DB: ref('db-password', OLD) }), { stale: 'ignore' });
    expect(verdict.deployments).toBeUndefined();
    expect(calls.some((c) => c.includes('/deployments'))).toBe(false);
  });

  it('deployments that cannot be listed are a warning', async () => {
    const { t } = await check(endpoint, {
      [`${EP}/score`]: systemEndpoint,
      [`${EP}/score/deployments`]: { status: 403, code: 'AuthorizationFailed' },
    });
    expect(readersWarnings(t)).toContain(
      'readers endpoint:score: its deployments could not be listed: Resource Manager answered 403 AuthorizationFailed',
    );
  });
});

describe('serverless', () => {
  it('the workspace’s user-assigned identities, not its system-assigned one', async () => {
    const { verdict } = await check(
      serverless,
      {},
      {
        workspace: {
          identity: {
            type: 'SystemAssigned,UserAssigned',
            principalId: P1,
            userAssignedIdentities: {
              [`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u`]: { principalId: P2 },
            },
          },
        },
      },
    );
    expect(verdict.identities.map((i) => i.principalId)).toEqual([P2]);
  });

  it('a workspace with none: serverless jobs run as the submitter, a warning', async () => {
    const { verdict, t } = await check(
      serverless,
      {},
      { workspace: { identity: { type: 'SystemAssigned', principalId: P1 } } },
    );
    expect(verdict.status).toBe('unknown');
    expect(readersFailed(t)).toBe(false);
    expect(readersWarnings(t).join('\n')).toMatch(
      /readers serverless: .*has no user-assigned identity, so serverless jobs cannot run as a managed identity there: they run as the user who submits them/,
    );
  });
});

// The check's decisions on Resource Manager's answers, with a plain object in place of the Resource Manager client:
// what cannot be read is unknown with why, a condition is unknown, a dry run writes nothing, a refused grant names
// the roles and the command.
import { checkReaders } from '../../../src/core/readers/check-readers.js';
import { RoleDefinitions } from '../../../src/core/readers/role-definitions.js';
import type { ArmClient, ArmResponse } from '../../../src/core/targets/workspace-vault.js';
import type { ReadersRequest } from '../../../src/core/inputs/readers-request.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/ml-rg/providers/Microsoft.KeyVault/vaults/kv-train`;
const OID = '7e57c0de-0000-4000-8000-0000000000a1';
const quiet = { debug: () => undefined, info: () => undefined, warning: () => undefined };
const request: ReadersRequest = {
  lines: [{ kind: 'principal', objectId: OID, line: `principal:${OID}` }],
  grant: true,
  missing: 'fail',
  stale: 'warn',
};
const rbacVault = { properties: { enableRbacAuthorization: true, tenantId: SUB } };

function fakeArm(answers: Record<string, ArmResponse>): ArmClient & { calls: string[] } {
  const calls: string[] = [];
  const answer = (method: string, id: string, query?: Record<string, string>): ArmResponse => {
    const call = `${method} ${id}${query?.$filter ? ` ${query.$filter}` : ''}`;
    calls.push(call);
    // The most specific answer that matches.
    const key = Object.keys(answers)
      .filter((k) => call.includes(k))
      .sort((a, b) => b.length - a.length)[0];
    return key ? answers[key]! : { status: 404, code: 'NotFound' };
  };
  return {
    calls,
    get: async (id, _v, query) => answer('GET', id, query),
    put: async (id) => answer('PUT', id),
    next: async (link) => answer('GET', link),
  };
}

async function check(
  answers: Record<string, ArmResponse>,
  opts: { vault?: Record<string, unknown>; dryRun?: boolean } = {},
) {
  const arm = fakeArm(answers);
  const report = await checkReaders(
    request,
    {
      display: 'x',
      vaultUrl: 'https://kv-train.vault.azure.net',
      vaultId: VAULT_ID,
      ...('vault' in opts ? { vault: opts.vault } : { vault: rbacVault }),
    },
    ['db-password'],
    { arm, roles: new RoleDefinitions(arm), logger: quiet, dryRun: opts.dryRun ?? false },
  );
  return { verdict: report.verdicts[`principal:${OID}`]!, calls: arm.calls };
}

const assignment = (roleGuid: string, extra: object = {}) => ({
  properties: {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    principalId: OID,
    scope: VAULT_ID,
    ...extra,
  },
});
const list = (...items: object[]): ArmResponse => ({ status: 200, body: { value: items } });

it('no right to read the vault resource: unknown, and nothing else is asked', async () => {
  const { verdict, calls } = await check({}, { vault: undefined });
  expect(verdict).toMatchObject({
    status: 'unknown',
    reason: expect.stringMatching(/no right to read the vault's resource/),
  });
  expect(calls).toEqual([]);
});

it('no right to read the role assignments: unknown, no grant attempted', async () => {
  const { verdict, calls } = await check({ roleAssignments: { status: 403, code: 'AuthorizationFailed' } });
  expect(verdict.identities[0]).toMatchObject({
    status: 'unknown',
    reason: expect.stringMatching(/no right to read the vault's role assignments \(403 AuthorizationFailed/),
  });
  expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
});

it('an assignment with a condition: unknown, no grant attempted', async () => {
  const { verdict, calls } = await check({
    roleAssignments: list(
      assignment('4633458b-17de-408a-b874-0445c86b69e6', { condition: "@Resource[name] StringEquals 'x'" }),
    ),
  });
  expect(verdict.identities[0]).toMatchObject({
    status: 'unknown',
    reason: expect.stringMatching(/has a condition, which is not evaluated/),
  });
  expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
});

it('the filter is assignedTo the principal, at the vault', async () => {
  const { calls } = await check({ roleAssignments: list(assignment('4633458b-17de-408a-b874-0445c86b69e6')) });
  expect(calls).toEqual([`GET ${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments assignedTo('${OID}')`]);
});

it('a group’s object id (assignedTo refuses it with 400): its own assignments, by principalId', async () => {
  const { verdict, calls } = await check({
    "assignedTo('": { status: 400, code: 'InvalidFilter' },
    "principalId eq '": list(assignment('4633458b-17de-408a-b874-0445c86b69e6')),
  });
  expect(verdict.status).toBe('reads');
  expect(calls).toEqual([
    `GET ${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments assignedTo('${OID}')`,
    `GET ${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments principalId eq '${OID}'`,
  ]);
});

it('a dry run says what it would grant and writes nothing', async () => {
  const { verdict, calls } = await check({ roleAssignments: list() }, { dryRun: true });
  expect(verdict.identities[0]!.reason).toMatch(
    /dry run: would grant Key Vault Secrets User at .*kv-train \(nothing granted\)/,
  );
  expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
});

it('a refused grant names the roles and the command; a bare object id gets no principal type', async () => {
  const { verdict } = await check({
    roleAssignments: list(),
    [`PUT ${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/`]: {
      status: 403,
      code: 'AuthorizationFailed',
      message: 'does not have authorization',
    },
  });
  expect(verdict.status).toBe('missing');
  expect(verdict.identities[0]!.reason).toMatch(
    new RegExp(
      `Role Based Access Control Administrator, User Access Administrator or Owner .*a person with such a role runs: az role assignment create --assignee-object-id ${OID} --role "Key Vault Secrets User" --scope`,
    ),
  );
});

it('409 RoleAssignmentExists: the assignment is there already', async () => {
  const { verdict } = await check({
    roleAssignments: list(),
    [`PUT ${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/`]: {
      status: 409,
      code: 'RoleAssignmentExists',
    },
  });
  expect(verdict.identities[0]).toMatchObject({ status: 'granted', via: expect.stringMatching(/exists already/) });
});

it('a custom role that cannot be read: unknown', async () => {
  const { verdict, calls } = await check({
    roleAssignments: list(assignment('99999999-9999-4999-8999-999999999999')),
    roleDefinitions: { status: 403 },
  });
  expect(verdict.identities[0]).toMatchObject({
    status: 'unknown',
    reason: expect.stringMatching(/could not be read/),
  });
  expect(calls.filter((c) => c.includes('roleDefinitions'))).toHaveLength(1);
});

it('a vault given by URL is found among the subscriptions the identity can see, then checked', async () => {
  const arm = fakeArm({
    'GET /subscriptions': { status: 200, body: { value: [{ subscriptionId: SUB }] } },
    [`GET /subscriptions/${SUB}/providers/Microsoft.KeyVault/vaults`]: {
      status: 200,
      body: {
        value: [
          {
            id: VAULT_ID,
            properties: {
              vaultUri: 'https://KV-TRAIN.vault.azure.net/',
              enableRbacAuthorization: false,
              accessPolicies: [{ objectId: OID, permissions: { secrets: ['get'] } }],
            },
          },
        ],
      },
    },
  });
  const report = await checkReaders(
    { ...request, grant: false },
    { display: 'https://kv-train.vault.azure.net', vaultUrl: 'https://kv-train.vault.azure.net' },
    ['db-password'],
    { arm, roles: new RoleDefinitions(arm), logger: quiet, dryRun: false },
  );
  expect(report.verdicts[`principal:${OID}`]).toMatchObject({
    status: 'reads',
    identities: [{ principalId: OID, status: 'reads', via: 'access policy' }],
  });
  expect(arm.calls).toEqual(['GET /subscriptions', `GET /subscriptions/${SUB}/providers/Microsoft.KeyVault/vaults`]);
});

it('a vault given by URL that is in none of them: unknown, saying where it looked', async () => {
  const arm = fakeArm({ 'GET /subscriptions': { status: 200, body: { value: [{ subscriptionId: SUB }] } } });
  const report = await checkReaders(
    request,
    { display: 'u', vaultUrl: 'https://kv-other.vault.azure.net' },
    ['db-password'],
    { arm, roles: new RoleDefinitions(arm), logger: quiet, dryRun: false },
  );
  expect(report.verdicts[`principal:${OID}`]).toMatchObject({
    status: 'unknown',
    reason: expect.stringMatching(/not found in the 1 subscription\(s\) the identity can read/),
  });
});

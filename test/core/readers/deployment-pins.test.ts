// Stale-pin detection, table-driven: which references of an endpoint's deployments pin an older version of a secret
// of this run, which name a secret the vault lacks, which are connections; and the command that updates each.
import { findPins, type DeploymentEnv, type PinContext } from '../../../src/core/readers/deployment-pins.js';
import { injectionNeedsRbac } from '../../../src/core/readers/injection-fix.js';

const OLD = '0123456789abcdef0123456789abcdef';
const NEW = 'fedcba9876543210fedcba9876543210';
const VAULT = 'https://kv-train.vault.azure.net';
const ref = (name: string, version?: string, host = 'kv-train.vault.azure.net') =>
  `\${{keyvault:https://${host}/secrets/${name}${version ? `/${version}` : ''}}}`;
const ctx: PinContext = {
  endpoint: 'score',
  resourceGroup: 'ml-rg',
  workspaceName: 'train-ws',
  vaultUrl: VAULT,
  run: new Map([
    ['db-password', { name: 'DB-PASSWORD', version: NEW }],
    ['planned', { name: 'planned' }],
  ]),
  existing: new Set(['db-password', 'planned', 'other-secret']),
};
const one = (variables: Record<string, string>, c: PinContext = ctx) =>
  findPins([{ name: 'blue', variables }] as DeploymentEnv[], c);
const update = (variable: string, version = NEW) =>
  `az ml online-deployment update --name blue --endpoint-name score --resource-group ml-rg --workspace-name train-ws --set 'environment_variables.${variable}=${ref('DB-PASSWORD', version)}'`;

it.each<[string, Record<string, string>, { stale?: object[]; absent?: object[]; connections?: object[] }]>([
  ['the current version', { DB: ref('db-password', NEW) }, {}],
  [
    'the current version, upper-case host and version',
    { DB: ref('DB-PASSWORD', NEW.toUpperCase(), 'KV-TRAIN.vault.azure.net') },
    {},
  ],
  [
    'an older version',
    { DB: ref('db-password', OLD) },
    {
      stale: [
        { deployment: 'blue', variable: 'DB', secret: 'DB-PASSWORD', pinned: OLD, current: NEW, command: update('DB') },
      ],
    },
  ],
  [
    'no version',
    { DB: ref('db-password') },
    {
      stale: [
        { deployment: 'blue', variable: 'DB', secret: 'DB-PASSWORD', pinned: '', current: NEW, command: update('DB') },
      ],
    },
  ],
  [
    'a reference inside other text: no --set (the rest of the text is never repeated)',
    { DSN: `user=x;pwd=${ref('db-password', OLD)}` },
    {
      stale: [
        expect.objectContaining({
          variable: 'DSN',
          command: `set DSN of the deployment blue to reference ${ref('DB-PASSWORD', NEW)} in its YAML, then run az ml online-deployment update --file DEPLOYMENT.yml`,
        }),
      ],
    },
  ],
  ['another vault', { DB: ref('db-password', OLD, 'kv-other.vault.azure.net') }, {}],
  ['a secret of the vault not in this run', { X: ref('other-secret', OLD) }, {}],
  [
    'a secret the vault lacks',
    { X: ref('never-pushed', OLD) },
    { absent: [{ deployment: 'blue', variable: 'X', secret: 'never-pushed' }] },
  ],
  ['a secret of this run without a known version (a planned write)', { P: ref('planned', OLD) }, {}],
  [
    'a connection',
    { C: '${{azureml://connections/openai/credentials/key}}' },
    {
      connections: [
        { deployment: 'blue', variable: 'C', reference: '${{azureml://connections/openai/credentials/key}}' },
      ],
    },
  ],
  ['plain values', { A: 'hunter2', B: '' }, {}],
])('%s', (_, variables, expected) => {
  expect(one(variables)).toEqual({
    checked: ['blue'],
    stale: expected.stale ?? [],
    absent: expected.absent ?? [],
    connections: expected.connections ?? [],
  });
});

it('without a listing of the vault, a reference to another secret is not called absent', () => {
  const { existing: _, ...unlisted } = ctx;
  expect(one({ X: ref('never-pushed', OLD) }, unlisted).absent).toEqual([]);
});

it('a value never appears in what is found, only names, versions and references', () => {
  const found = JSON.stringify(one({ DSN: `pwd=hunter2;${ref('db-password', OLD)}`, A: 'hunter2' }));
  expect(found).not.toContain('hunter2');
});

it('an endpoint on an access-policy vault: missing, the switch to RBAC with who to grant first, no access policy', () => {
  const vaultId = '/subscriptions/s/resourceGroups/ml-rg/providers/Microsoft.KeyVault/vaults/kv-pol';
  const v = injectionNeedsRbac(
    { principalId: 'e1', principalType: 'ServicePrincipal', what: 'system-assigned' },
    vaultId,
    [{ objectId: 'ws1' }, { objectId: 'e1' }, { objectId: 'ws1' }, { objectId: 'runner' }],
  );
  expect(v.status).toBe('missing');
  expect(v.reason).toContain('secret injection reads only vaults that use the Azure RBAC permission model');
  expect(v.reason).toContain('(ws1, runner)');
  expect(v.reason).toContain('az keyvault update --name kv-pol --enable-rbac-authorization true');
  expect(v.reason).toContain(`--role "Key Vault Secrets User" --scope ${vaultId}`);
});

// Workspace → vault over the emulator's Resource Manager, with a real service-principal credential
// and the SDK pipeline: the found URL, and each failure's message.
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, useDiscoveryProxy, type Emulator } from '../../helpers/emulator.js';
import { resolveWorkspaceVault } from '../../../src/core/targets/workspace-vault.js';
import { CLOUDS, withOverrides } from '../../../src/core/azure/clouds.js';
import { labeller } from '../../../src/core/inputs/inputs.js';

const SUB = '9a3e5f00-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const RG = 'ml-rg';
const quiet = { debug: () => undefined, info: () => undefined, warning: () => undefined };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator([
    ...['--workspace', `${SUB}/${RG}/ws-one`, '--workspace', `${SUB}/${RG}/ws-gone=-`],
    ...['--hub', `${SUB}/${RG}/hub-one`, '--project', `${SUB}/${RG}/proj-one=${SUB}/${RG}/hub-one`],
    ...['--hub', `${SUB}/${RG}/hub-managed=managed`, '--project', `${SUB}/${RG}/proj-managed=${SUB}/${RG}/hub-managed`],
  ]);
  useDiscoveryProxy(emu);
});
afterAll(async () => emu?.stop());
beforeEach(async () => emu.configure({ armRoles: {} }));

function lookup(
  workspaceName: string,
  resourceGroup = RG,
  naming?: { workspaceName: string; resourceGroup: string; subscriptionId: string },
  platform: 'github' | 'azdo' | 'cli' = 'github',
) {
  const sp = emu.identities.servicePrincipal;
  const cloud = withOverrides(CLOUDS.AzureCloud, { resourceManager: emu.armUrl, authorityHost: emu.authorityHost });
  const credential = new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, {
    authorityHost: emu.authorityHost,
  });
  return resolveWorkspaceVault(
    { kind: 'workspace', subscriptionId: SUB, resourceGroup, workspaceName, ...(naming && { naming }) },
    { credential, cloud, logger: quiet, identity: `client id ${sp.clientId}`, label: labeller(platform) },
  );
}

it('finds the workspace vault URI', async () => {
  await expect(lookup('ws-one')).resolves.toBe(emu.workspaces[`${SUB}/${RG}/ws-one`]!.vaultUrl.replace(/\/$/, ''));
});

it('a project resolves through properties.hubResourceId to its hub’s vault', async () => {
  const hub = emu.workspaces[`${SUB}/${RG}/hub-one`]!;
  await expect(lookup('proj-one')).resolves.toBe(hub.vaultUrl.replace(/\/$/, ''));
  await expect(lookup('hub-one')).resolves.toBe(hub.vaultUrl.replace(/\/$/, ''));
});

it.each([
  [
    'a hub',
    'hub-managed',
    /^workspace 'hub-managed' .* has no Key Vault of its own .*Microsoft-managed.*Attach a customer-managed Key Vault to the workspace/,
  ],
  [
    'a project of such a hub',
    'proj-managed',
    /^workspace 'proj-managed' .*: its hub \/subscriptions\/.*hub-managed has no Key Vault of its own .*Microsoft-managed.*to the hub/,
  ],
])('%s with a Microsoft-managed vault is refused, saying so', async (_t, name, message) => {
  await emu.clearRequests();
  await expect(lookup(name)).rejects.toMatchObject({
    name: 'WorkspaceLookupError',
    message: expect.stringMatching(message),
  });
  expect(await emu.requests('vault')).toEqual([]);
});

it('with Reader on the workspace only, builds the vault URL from its name and the cloud suffix', async () => {
  await emu.configure({ armRoles: { [emu.identities.servicePrincipal.clientId]: 'workspace' } });
  const vaultName = emu.workspaces[`${SUB}/${RG}/ws-one`]!.keyVaultId.split('/').pop()!;
  await expect(lookup('ws-one')).resolves.toBe(`https://${vaultName.toLowerCase()}.vault.azure.net`);
});

it.each<[string, () => Promise<unknown>, RegExp]>([
  ['a workspace name with a typo', () => lookup('ws-onee'), /workspace 'ws-onee' .* was not found/],
  ['an unknown resource group', () => lookup('ws-one', 'nope-rg'), /resource group 'nope-rg' was not found/],
  ['a deleted vault', () => lookup('ws-gone'), /no longer exists .*deleted/],
])('%s', async (_t, run, message) => {
  await expect(run()).rejects.toMatchObject({ name: 'WorkspaceLookupError', message: expect.stringMatching(message) });
});

it('no role on the workspace names the role to grant and the identity', async () => {
  await emu.configure({ armRoles: { [emu.identities.servicePrincipal.clientId]: 'none' } });
  await expect(lookup('ws-one')).rejects.toMatchObject({
    message: expect.stringMatching(
      new RegExp(`client id ${emu.identities.servicePrincipal.clientId}.*Reader role on the workspace`),
    ),
  });
});

describe('a workspace that is not found names each part where the person gave it', () => {
  beforeEach(async () => emu.configure({ armRoles: {} }));
  const key = (k: string) => `the key ${k} of /home/me/project/config.json`;
  const config = {
    workspaceName: key('workspace_name'),
    resourceGroup: key('resource_group'),
    subscriptionId: key('subscription_id'),
  };

  it.each([
    ['the inputs on GitHub', 'github', undefined, 'check workspace-name, resource-group and subscription-id'],
    ['the inputs on Azure DevOps', 'azdo', undefined, 'check workspaceName, resourceGroup and subscriptionId'],
    ['the flags of the CLI', 'cli', undefined, 'check --workspace-name, --resource-group and --subscription-id'],
    [
      'config.json',
      'cli',
      config,
      `check ${key('workspace_name')}, ${key('resource_group')} and ${key('subscription_id')}`,
    ],
    [
      'a targets line',
      'github',
      { workspaceName: 'targets line 2', resourceGroup: 'targets line 2', subscriptionId: 'targets line 2' },
      'check targets line 2 (',
    ],
  ] as const)('%s', async (_title, platform, naming, words) => {
    const error = await lookup('no-such-ws', RG, naming, platform).catch((e: Error) => e);
    expect((error as Error).message).toContain(words);
    if (naming === config) expect((error as Error).message).not.toMatch(/--resource-group|--subscription-id/);
  });

  it('a resource group from config.json that does not exist: the key and the file, no flag', async () => {
    const error = await lookup('ws-one', 'no-such-rg', config, 'cli').catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      new RegExp(
        `resource group 'no-such-rg' was not found .*: check ${key('resource_group')} and ${key('subscription_id')}`,
      ),
    );
    expect((error as Error).message).not.toContain('--');
  });
});

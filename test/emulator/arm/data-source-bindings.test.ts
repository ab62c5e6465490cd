// The Azure DevOps task's pickers (task.json dataSourceBindings) against the emulator's Resource
// Manager: each binding's URL is expanded as the server does (test/helpers/data-source.ts), requested
// with the service connection's service principal, and the resultSelector/resultTemplate must give
// the names a user would pick from.
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, useDiscoveryProxy, useEmulatorEnv, type Emulator } from '../../helpers/emulator.js';
import { taskManifest } from '../../helpers/bundles.js';
import { expandEndpointUrl, pickerEntries, renderMustache, type DataSourceBinding } from '../../helpers/data-source.js';
import { armClient } from '../support.js';

const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const task = taskManifest as unknown as {
  inputs: { name: string; type: string }[];
  dataSourceBindings: DataSourceBinding[];
};
const binding = (target: string): DataSourceBinding => {
  const b = task.dataSourceBindings.find((d) => d.target === target);
  if (!b) throw new Error(`task.json has no dataSourceBinding for ${target}`);
  return b;
};

let emu: Emulator;
let arm: ReturnType<typeof armClient>;
/** An Azure Resource Manager service connection: its URL (with the trailing slash) and subscription. */
let endpoint: { url: string; subscriptionId: string };

beforeAll(async () => {
  emu = await startEmulator([
    '--workspace',
    `${SUB}/ml-rg/train-ws`,
    '--workspace',
    `${SUB}/ml-rg/eval-ws=shared-kv`,
    '--workspace',
    `${SUB}/Other-RG/batch-ws`,
    '--workspace',
    `${OTHER_SUB}/ml-rg/elsewhere-ws`,
    '--quiet',
  ]);
  useEmulatorEnv(emu);
  useDiscoveryProxy(emu);
  const sp = emu.identities.servicePrincipal;
  arm = armClient(
    new ClientSecretCredential(emu.tenantId, sp.clientId, sp.clientSecret, { authorityHost: emu.authorityHost }),
  );
  endpoint = { url: `${emu.armUrl}/`, subscriptionId: SUB };
});
afterAll(() => emu?.stop());

async function pick(target: string, inputs: Record<string, string> = {}): Promise<string[]> {
  const b = binding(target);
  const url = expandEndpointUrl(b, endpoint, inputs);
  const res = await arm.get(url);
  expect([url, res.status]).toEqual([url, 200]);
  const entries = pickerEntries(b, res.json);
  for (const e of entries) expect(e.DisplayValue).toBe(e.Value);
  return entries.map((e) => e.Value);
}

describe('task.json dataSourceBindings', () => {
  it('bind the resource group, workspace and vault pickers to the service connection input', () => {
    const connection = task.inputs.find((i) => i.type.startsWith('connectedService:AzureRM'))!;
    expect(task.dataSourceBindings.map((b) => [b.target, b.endpointId]).sort()).toEqual(
      [
        ['resourceGroup', `$(${connection.name})`],
        ['vaultName', `$(${connection.name})`],
        ['workspaceName', `$(${connection.name})`],
      ].sort(),
    );
    for (const b of task.dataSourceBindings) {
      expect(task.inputs.map((i) => i.name)).toContain(b.target);
      expect(b.endpointUrl.startsWith('{{{endpoint.url}}}subscriptions/{{{endpoint.subscriptionId}}}/')).toBe(true);
    }
  });

  it("resourceGroup lists the connection subscription's resource groups", async () => {
    expect((await pick('resourceGroup')).sort()).toEqual(['Other-RG', 'ml-rg'].sort());
  });

  it('workspaceName lists the workspaces of the chosen resource group', async () => {
    expect(await pick('workspaceName', { resourceGroup: 'ml-rg' })).toEqual(['eval-ws', 'train-ws']);
    expect(await pick('workspaceName', { resourceGroup: 'Other-RG' })).toEqual(['batch-ws']);
  });

  it("vaultName lists the subscription's vaults", async () => {
    expect(await pick('vaultName')).toEqual(['kv-batch-ws', 'kv-train-ws', 'shared-kv']);
  });

  it('the expander is strict: an unset variable or input is an error, not an empty string', () => {
    expect(() => renderMustache('{{{endpoint.nope}}}', { endpoint })).toThrow(/endpoint\.nope/);
    expect(() => expandEndpointUrl(binding('workspaceName'), endpoint, {})).toThrow(/\$\(resourceGroup\)/);
    expect(renderMustache('{{a}}|{{{a}}}', { a: 'x&y' })).toBe('x&amp;y|x&y');
  });
});

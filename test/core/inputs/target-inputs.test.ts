// Target and cloud inputs: workspace-name + resource-group + subscription-id, vault-name per cloud,
// endpoint overrides, and every bad combination reported before any request.
import { parseRequest, type ParseContext } from '../../../src/core/inputs/parse-request.js';
import { CLOUDS } from '../../../src/core/azure/clouds.js';
import { isTenantId, isGuid, httpsBaseUrl } from '../../../src/core/azure/azure-ids.js';
import type { RawInputs } from '../../../src/core/inputs/inputs.js';

const ctx: ParseContext = {
  label: (k) => k,
  lookup: (v) => (v === 'A' ? 'value' : undefined),
  variableNames: () => ['A'],
  variableKind: 'environment variable',
};
const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const parse = (raw: RawInputs) => parseRequest({ secrets: 'A', ...raw }, ctx);

describe('target: workspace', () => {
  it('reads a workspace target (subscription id normalised to lower case)', () => {
    const parsed = parse({
      'workspace-name': 'ml-ws_1',
      'resource-group': 'rg.ml(prod)',
      'subscription-id': SUB.toUpperCase(),
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.request?.targets[0]?.target).toEqual({
      kind: 'workspace',
      workspaceName: 'ml-ws_1',
      resourceGroup: 'rg.ml(prod)',
      subscriptionId: SUB,
    });
    expect(parsed.request?.cloud).toEqual(CLOUDS.AzureCloud);
  });

  it.each<[string, RawInputs, string[]]>([
    [
      'missing resource group and subscription',
      { 'workspace-name': 'ws1' },
      ['resource-group: is required with workspace-name', 'subscription-id: is required with workspace-name'],
    ],
    [
      'subscription not a GUID',
      { 'workspace-name': 'ws1', 'resource-group': 'rg', 'subscription-id': 'my-sub' },
      ["subscription-id: 'my-sub' is not a subscription id"],
    ],
    [
      'workspace name with a typo character',
      { 'workspace-name': 'ws 1', 'resource-group': 'rg', 'subscription-id': SUB },
      ['workspace-name:', 'is not a valid Azure ML workspace name'],
    ],
    [
      'resource group ending in a dot',
      { 'workspace-name': 'ws1', 'resource-group': 'rg.', 'subscription-id': SUB },
      ['resource-group:', 'is not a valid resource group name'],
    ],
    [
      'both vault-url and a workspace',
      {
        'vault-url': 'https://kv.vault.azure.net',
        'workspace-name': 'ws1',
        'resource-group': 'rg',
        'subscription-id': SUB,
      },
      ['set one of vault-url, vault-name, workspace-name, not vault-url and workspace-name'],
    ],
    [
      'resource group without a workspace',
      { 'vault-name': 'kv1', 'resource-group': 'rg' },
      ['resource-group: is used only with workspace-name'],
    ],
  ])('%s', (_t, raw, fragments) => {
    const parsed = parse(raw);
    expect(parsed.request).toBeUndefined();
    for (const f of fragments) expect(parsed.problems.join('\n')).toContain(f.replace(/'/g, ''));
  });
});

describe('target: clouds', () => {
  it.each([
    ['AzureCloud', 'https://kv1.vault.azure.net', 'https://login.microsoftonline.com', 'https://management.azure.com'],
    [
      'azureusgovernment',
      'https://kv1.vault.usgovcloudapi.net',
      'https://login.microsoftonline.us',
      'https://management.usgovcloudapi.net',
    ],
    [
      'AzureChinaCloud',
      'https://kv1.vault.azure.cn',
      'https://login.chinacloudapi.cn',
      'https://management.chinacloudapi.cn',
    ],
  ])('%s: vault-name, authority and Resource Manager', (cloud, vaultUrl, authority, arm) => {
    const parsed = parse({ 'vault-name': 'kv1', cloud });
    expect(parsed.request?.targets[0]?.target).toEqual({ kind: 'vault', vaultUrl });
    expect(parsed.request?.cloud.authorityHost).toBe(authority);
    expect(parsed.request?.cloud.resourceManager).toBe(arm);
    expect(parsed.request?.cloud.resourceManagerAudience).toBe(arm);
  });

  it('endpoint overrides keep the named cloud and its Resource Manager audience', () => {
    const parsed = parse({
      'vault-name': 'kv1',
      cloud: 'AzureUSGovernment',
      'resource-manager-endpoint': 'https://arm.local:8443/',
      'authority-host': 'https://login.local/',
    });
    expect(parsed.request?.cloud).toEqual({
      ...CLOUDS.AzureUSGovernment,
      resourceManager: 'https://arm.local:8443',
      authorityHost: 'https://login.local',
    });
  });

  it.each<[RawInputs, string]>([
    [
      { cloud: 'AzureGermanCloud' },
      'cloud: AzureGermanCloud is not one of AzureCloud, AzureUSGovernment, AzureChinaCloud',
    ],
    [{ 'authority-host': 'http://login.local' }, 'authority-host: must start with https://, not http://'],
    [{ 'resource-manager-endpoint': 'management.azure.com' }, 'resource-manager-endpoint: is not a URL'],
  ])('%j', (raw, problem) => {
    const parsed = parse({ 'vault-name': 'kv1', ...raw });
    expect(parsed.problems.map((p) => p.replace(/'/g, ''))).toContain(problem);
  });
});

describe('Azure identifier shapes', () => {
  it.each([
    [SUB, true, true],
    ['contoso.onmicrosoft.com', false, true],
    ['contoso', false, false],
    ['0b1f6471-1bf0-4dda-aec3-cb9272f0959', false, false],
  ])('%s: guid %s, tenant %s', (text, guid, tenant) => {
    expect([isGuid(text), isTenantId(text)]).toEqual([guid, tenant]);
  });

  it.each([
    ['https://a.b/', { url: 'https://a.b' }],
    ['https://a.b/path/', { url: 'https://a.b/path' }],
    ['https://u:p@a.b', { problem: 'must not contain a user name or password' }],
    ['https://a.b/?x=1', { problem: 'must not have a query or fragment' }],
  ])('httpsBaseUrl(%s)', (text, expected) => {
    expect(httpsBaseUrl(text)).toEqual(expected);
  });
});

// Every Azure request of a run says who sent it: "aml-vault-push/VERSION (github|azdo|cli)" in front of
// the SDK's own User-Agent, on Key Vault, Resource Manager and Entra ID alike. The committed bundles
// run a push that signs in through Entra (GitHub OIDC, the Azure DevOps service connection's
// federation; the CLI uses the managed identity, which has no Entra request), finds the vault over
// Resource Manager and writes to it; the emulator's request log records each request's User-Agent.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { NODE_RUNTIMES, serviceConnectionEnv } from '../helpers/bundles.js';
import { azdoHarness, gitHubHarness } from '../helpers/harness.js';
import { userAgent } from '../../src/core/common/user-agent.js';

const root = join(__dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const RG = 'ml-rg';
const NO_MI = { IDENTITY_ENDPOINT: undefined, IDENTITY_HEADER: undefined };

interface Logged {
  service: string;
  method: string;
  path: string;
  userAgent?: string;
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator(['--workspace', `${SUB}/${RG}/train-ws`]);
});
afterAll(async () => emu?.stop());

/** The Azure requests (not the CI OIDC issuers, which are GitHub's and Azure DevOps') since the last clear. */
async function azureRequests(): Promise<Logged[]> {
  return ((await emu.requests()) as Logged[]).filter((r) => r.service !== 'oidc');
}

function expectEveryRequestFrom(requests: Logged[], platform: 'github' | 'azdo' | 'cli', services: string[]): void {
  const prefix = `aml-vault-push/${version} (${platform}) `;
  expect(userAgent(platform, version)).toBe(prefix.trim());
  expect([...new Set(requests.map((r) => r.service))].sort()).toEqual(services.sort());
  const without = requests.filter((r) => !r.userAgent?.startsWith(prefix) || r.userAgent.length === prefix.length);
  expect(without.map((r) => `${r.service} ${r.method} ${r.path}: ${r.userAgent ?? '(none)'}`)).toEqual([]);
}

describe.each(NODE_RUNTIMES)('the User-Agent on $label', (node) => {
  const workspace = { 'workspace-name': 'train-ws', 'resource-group': RG, 'subscription-id': SUB };

  it('GitHub: Entra, Resource Manager and Key Vault requests carry aml-vault-push/VERSION (github)', async () => {
    await emu.clearRequests();
    const run = await gitHubHarness(node, emu.env).push({
      inputs: {
        ...workspace,
        'resource-manager-endpoint': emu.armUrl,
        'authority-host': emu.authorityHost,
        auth: 'oidc',
        'client-id': emu.identities.github.clientId,
        'tenant-id': emu.tenantId,
        secrets: `ua-github-${node.label}=UA_VALUE`,
      },
      values: { UA_VALUE: 'user-agent-test' },
      env: NO_MI,
    });
    expect(run.failure).toBe('');
    expectEveryRequestFrom(await azureRequests(), 'github', ['entra', 'arm', 'vault']);
  });

  it('Azure DevOps: the same with (azdo)', async () => {
    await emu.clearRequests();
    const conn = emu.identities.azdo.serviceConnectionId;
    const run = await azdoHarness(node, emu.env).push({
      inputs: { ...workspace, 'azure-subscription': conn, secrets: `ua-azdo-${node.label}=UA_VALUE` },
      values: { UA_VALUE: 'user-agent-test' },
      env: {
        ...NO_MI,
        ...serviceConnectionEnv({
          id: conn,
          scheme: 'WorkloadIdentityFederation',
          parameters: { tenantid: emu.tenantId, serviceprincipalid: emu.identities.azdo.clientId },
          data: { environment: 'AzureCloud', subscriptionId: SUB, activeDirectoryAuthority: `${emu.authorityHost}/` },
          url: `${emu.armUrl}/`,
          systemAccessToken: emu.identities.azdo.systemAccessToken,
        }),
      },
    });
    expect(run.failure).toBe('');
    expectEveryRequestFrom(await azureRequests(), 'azdo', ['entra', 'arm', 'vault']);
  });

  it('CLI: Resource Manager and Key Vault requests carry (cli)', async () => {
    await emu.clearRequests();
    const r = spawnSync(
      node.path,
      [
        join(root, 'dist/cli/index.mjs'),
        ...Object.entries(workspace).flatMap(([k, v]) => [`--${k}`, v]),
        '--resource-manager-endpoint',
        emu.armUrl,
        '--secrets',
        `ua-cli-${node.label}=UA_VALUE`,
      ],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...emu.env, UA_VALUE: 'user-agent-test' },
        timeout: 60_000,
      },
    );
    expect({ status: r.status, error: r.stderr.split('\n').filter((l) => l.startsWith('error:')) }).toEqual({
      status: 0,
      error: [],
    });
    expectEveryRequestFrom(await azureRequests(), 'cli', ['arm', 'vault']);
  });
});

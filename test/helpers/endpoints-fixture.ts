// Online endpoints for the endpoint: readers tests (bundles, CLI, demo-like flows): on the readers fixture's RBAC
// workspace, a system-assigned and a user-assigned endpoint and one for the stale pins; one on the access-policy
// workspace; a workspace with a user-assigned identity for serverless. Deployments are made over the emulator's
// Resource Manager as `az ml online-deployment create` would.
import { ManagedIdentityCredential } from '@azure/identity';
import type { Emulator } from './emulator.js';
import { armClient } from '../emulator/support.js';
import { POL, READER_FLAGS, SUB, WS } from './readers-fixture.js';

export const SRV = `${SUB}/ml-rg/srv-ws`;

export const ENDPOINT_FLAGS = [
  ...READER_FLAGS,
  ...['--online-endpoint', `${WS}/score-sys`, '--online-endpoint', `${WS}/score-uai=user:uai-ep`],
  ...['--online-endpoint', `${WS}/score-stale`, '--online-endpoint', `${WS}/score-gone`],
  ...['--online-endpoint', `${POL}/score-pol`],
  ...['--workspace', SRV, '--workspace-identity', `${SRV}=uai-srv`],
];

/** The endpoint's identities as the start line lists them. */
export function endpointOf(emu: Emulator, path: string): { principalId: string; clientId: string } {
  return emu.onlineEndpoints[path]!.identity.identities[0]!;
}

/** PUT a deployment of an endpoint with these environment variables, as `az ml online-deployment create` does. */
export async function putDeployment(
  emu: Emulator,
  endpointPath: string,
  deployment: string,
  environmentVariables: Record<string, string>,
): Promise<void> {
  for (const k of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) process.env[k] = emu.env[k];
  const arm = armClient(new ManagedIdentityCredential());
  const [sub, rg, ws, name] = endpointPath.split('/');
  const id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}/onlineEndpoints/${name}/deployments/${deployment}`;
  const res = await arm.send('PUT', `${emu.armUrl}${id}?api-version=2025-06-01`, {
    location: 'local',
    sku: { name: 'Default', capacity: 1 },
    properties: {
      endpointComputeType: 'Managed',
      model: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}/models/m/versions/1`,
      instanceType: 'Standard_DS3_v2',
      environmentVariables,
    },
  });
  expect([200, 201]).toContain(res.status);
}

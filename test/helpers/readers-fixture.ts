// The emulator of the readers tests (bundles and CLI): two workspaces (one with an access-policy vault), computes
// with system-assigned, user-assigned and no identity, a hub with a project, a hub with a Microsoft-managed vault;
// custom roles made over its Resource Manager; a SecretClient signed in as one of its managed identities.
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Emulator } from './emulator.js';
import { armClient } from '../emulator/support.js';

export const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const RG = `/subscriptions/${SUB}/resourceGroups/ml-rg`;
export const WS = `${SUB}/ml-rg/train-ws`;
export const POL = `${SUB}/ml-rg/pol-ws`;
export const AUTHZ = 'providers/Microsoft.Authorization';
export const WILD = '0c0c0c0c-1111-4222-8333-444444444401';
export const NOT_GET = '0c0c0c0c-1111-4222-8333-444444444402';

export const READER_FLAGS = [
  '--workspace',
  WS,
  '--workspace',
  POL,
  ...['c-fail', 'c-grant', 'c-wild', 'c-notget', 'c-noright', 'c-secret', 'c-group', 'c-url'].flatMap((c) => [
    '--compute',
    `${WS}/${c}`,
  ]),
  '--compute',
  `${WS}/c-user=user:uai-train`,
  '--compute',
  `${WS}/c-none=none`,
  '--compute',
  `${POL}/c-pol`,
  '--compute',
  `${POL}/c-pol-noright`,
  '--compute',
  `${POL}/c-pol-url`,
  '--hub',
  `${SUB}/ml-rg/hub-ws`,
  '--hub',
  `${SUB}/ml-rg/managed-hub=managed`,
  '--project',
  `${SUB}/ml-rg/proj-ws=${SUB}/ml-rg/hub-ws`,
  '--identity',
  `${SUB}/ml-rg/uai-standalone`,
  '--group',
  `ml-readers=compute:${WS}/c-group`,
  '--quiet',
];

/** Custom roles, made over the emulator's Resource Manager as an administrator would. */
export async function customRoles(emu: Emulator): Promise<ReturnType<typeof armClient>> {
  for (const k of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) process.env[k] = emu.env[k];
  const arm = armClient(new ManagedIdentityCredential());
  const role = (guid: string, roleName: string, dataActions: string[], notDataActions: string[]) =>
    arm.send('PUT', `${emu.armUrl}/subscriptions/${SUB}/${AUTHZ}/roleDefinitions/${guid}?api-version=2022-04-01`, {
      properties: {
        roleName,
        permissions: [{ actions: [], notActions: [], dataActions, notDataActions }],
        assignableScopes: [`/subscriptions/${SUB}`],
      },
    });
  expect((await role(WILD, 'Wild secret reader', ['Microsoft.KeyVault/vaults/secrets/*/action'], [])).status).toBe(201);
  expect(
    (
      await role(
        NOT_GET,
        'Everything but getSecret',
        ['Microsoft.KeyVault/*'],
        ['Microsoft.KeyVault/vaults/secrets/getSecret/action'],
      )
    ).status,
  ).toBe(201);
  return arm;
}

export function principalOf(emu: Emulator, compute: string): { principalId: string; clientId: string } {
  return emu.computes[compute]!.identity.identities[0]!;
}

/** Reads a secret as one managed identity of the emulator (by client id), as the training script does. */
export function asIdentity(emu: Emulator, vaultUrl: string, clientId: string): SecretClient {
  for (const k of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) process.env[k] = emu.env[k];
  return new SecretClient(vaultUrl, new ManagedIdentityCredential({ clientId }), {
    disableChallengeResourceVerification: true,
  });
}

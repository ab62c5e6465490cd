// A SecretClient on an emulator vault, signed in with the emulator's managed identity: how the
// tests look at the vault independently of the tool under test.
import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

export function vaultClient(
  emulator: { vaultUrl: string; env: Record<string, string> },
  vaultUrl = emulator.vaultUrl,
): SecretClient {
  for (const key of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) process.env[key] = emulator.env[key];
  // The emulator answers with the public cloud's challenge resource, as the service does.
  return new SecretClient(vaultUrl, new ManagedIdentityCredential(), { disableChallengeResourceVerification: true });
}

export async function versionCount(client: SecretClient, name: string): Promise<number> {
  let n = 0;
  for await (const _ of client.listPropertiesOfSecretVersions(name)) n++;
  return n;
}

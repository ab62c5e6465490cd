// Backup blobs. The real blob is opaque to clients (a JWE behind a "AzureKeyVaultSecretBackupV1" tag,
// docs/keyvault.md §1.2); ours is a tag plus AES-256-GCM over the secret's JSON, keyed from the
// token-signing key — so emulators sharing a cert dir can restore each other's backups (as vaults in
// one subscription can) and values are not readable from the blob. Anything else is "corrupt".
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { corruptBackup } from './errors.js';
import type { SecretEntity } from './vault-store.js';

const TAG = Buffer.from('AzureKeyVaultSecretBackupV1.aml-emulator');

function blobKey(signingKey: KeyObject): Buffer {
  return createHash('sha256')
    .update('aml-vault-push emulator backup key\0')
    .update(signingKey.export({ type: 'pkcs8', format: 'der' }))
    .digest();
}

export function encodeBackup(entity: SecretEntity, signingKey: KeyObject): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', blobKey(signingKey), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(entity), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([TAG.length]), TAG, iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function decodeBackup(blob: string, signingKey: KeyObject): SecretEntity {
  try {
    const raw = Buffer.from(blob, 'base64url');
    if (raw[0] !== TAG.length || !raw.subarray(1, 1 + TAG.length).equals(TAG)) throw corruptBackup();
    const at = 1 + TAG.length;
    const iv = raw.subarray(at, at + 12);
    const authTag = raw.subarray(at + 12, at + 28);
    const decipher = createDecipheriv('aes-256-gcm', blobKey(signingKey), iv);
    decipher.setAuthTag(authTag);
    const json = Buffer.concat([decipher.update(raw.subarray(at + 28)), decipher.final()]).toString('utf8');
    const entity = JSON.parse(json) as SecretEntity;
    if (typeof entity.name !== 'string' || !Array.isArray(entity.versions) || entity.versions.length === 0)
      throw corruptBackup();
    return entity;
  } catch {
    throw corruptBackup();
  }
}

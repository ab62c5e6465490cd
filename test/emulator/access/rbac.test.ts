// Key Vault's data roles (access/rbac.ts): what each built-in role allows, and a secret-scoped role.
import { roleAllows, RoleAssignments, SECRET_ACTIONS } from '../../../emulator/access/rbac.js';

describe('RBAC', () => {
  test('built-in role definitions', () => {
    expect(roleAllows('officer', SECRET_ACTIONS.purge)).toBe(true);
    expect(roleAllows('officer', 'Microsoft.KeyVault/vaults/keys/read')).toBe(false);
    expect(roleAllows('user', SECRET_ACTIONS.getSecret)).toBe(true);
    expect(roleAllows('user', SECRET_ACTIONS.readMetadata)).toBe(true);
    expect(roleAllows('user', SECRET_ACTIONS.setSecret)).toBe(false);
    expect(roleAllows('reader', SECRET_ACTIONS.readMetadata)).toBe(true);
    expect(roleAllows('reader', SECRET_ACTIONS.getSecret)).toBe(false);
    expect(roleAllows('none', SECRET_ACTIONS.readMetadata)).toBe(false);
  });

  test('a secret-scoped role replaces the vault role for that secret only (case-insensitive)', () => {
    const r = new RoleAssignments();
    r.setVaultRole('p', 'officer');
    r.setSecretRoles('p', { Locked: 'reader' });
    expect(r.allows('p', SECRET_ACTIONS.setSecret, 'locked')).toBe(false);
    expect(r.allows('p', SECRET_ACTIONS.setSecret, 'other')).toBe(true);
    expect(r.allows('q', SECRET_ACTIONS.readMetadata)).toBe(false); // unknown principal: no role
  });
});

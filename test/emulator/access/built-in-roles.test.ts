// The built-in roles the product knows by id (src/core/readers/facts.ts) and those the emulator serves
// (emulator role definitions) are one published list, not two guesses: same ids, names and data actions. Both
// cite https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general (Owner, Contributor,
// Reader, User Access Administrator, Role Based Access Control Administrator) and
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security (the Key Vault roles); the ids
// below are copied from those pages, so a typo in either table fails here.
import { BUILT_IN_ROLES as PRODUCT } from '../../../src/core/readers/facts.js';
import { BUILT_IN_ROLES as EMULATOR } from '../../../emulator/access/role-definitions.js';

/** The documented id of each role either table holds. */
const DOCUMENTED: Record<string, string> = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'Role Based Access Control Administrator': 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  'Key Vault Administrator': '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Key Vault Certificate User': 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  'Key Vault Reader': '21090545-7ca7-4776-b22c-e363652d74d2',
  'Key Vault Data Access Administrator': '8b54135c-b56d-4d72-a534-26097cfdc8d8',
  'Key Vault Contributor': 'f25e0fa2-a7c8-4377-a976-54943a77a395',
};

describe('built-in role ids', () => {
  it.each(Object.entries(PRODUCT))('the product’s %s is the documented id of its role', (guid, role) => {
    expect(DOCUMENTED[role.name]).toBe(guid);
  });

  it.each(EMULATOR.map((r) => [r.roleName, r] as const))('the emulator’s %s has the documented id', (name, role) => {
    expect(DOCUMENTED[name]).toBe(role.guid);
  });

  it.each(Object.entries(PRODUCT))('the emulator serves %s as the product reads it', (guid, role) => {
    const served = EMULATOR.find((r) => r.guid === guid);
    expect(served).toBeDefined();
    expect(served!.roleName).toBe(role.name);
    expect(served!.permissions.flatMap((p) => p.dataActions)).toEqual(role.dataActions);
    expect(served!.permissions.flatMap((p) => p.notDataActions)).toEqual(role.notDataActions);
  });
});

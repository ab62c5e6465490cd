// Authorization: the built-in roles of the managed identity (--rbac and admin config), role
// assignments scoped to one secret, and the firewall.
import { DEFAULT_MANAGED_IDENTITY, TENANT_ID } from '../../../emulator/entra/identities.js';
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, raw, rejection, sdkClient, vaultToken } from '../support.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator();
  const client = sdkClient(emu);
  await client.setSecret('existing', 'value');
  await client.setSecret('locked', 'value');
});
afterEach(() => emu.configure({ rbac: 'officer', firewall: 'allow', secretRoles: {} }));
afterAll(() => emu.stop());

const CALLER = `appid=${DEFAULT_MANAGED_IDENTITY.appId};oid=${DEFAULT_MANAGED_IDENTITY.objectId};iss=https://sts.windows.net/${TENANT_ID}/`;
const ACTION = (a: string) => `Microsoft.KeyVault/vaults/secrets/${a}`;

/** Runs each operation and returns "allowed" or the data action named in its 403. */
async function probe(emu: Emulator) {
  const client = sdkClient(emu);
  const outcome = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return 'allowed';
    } catch (err) {
      const e = err as { statusCode?: number; message: string };
      if (e.statusCode !== 403) throw err;
      // The SDK's pager reports only "Pagination failed with unexpected statusCode 403".
      return /Action: '([^']+)'/.exec(e.message)?.[1] ?? 'forbidden';
    }
  };
  return {
    get: await outcome(() => client.getSecret('existing')),
    list: await outcome(async () => {
      for await (const _ of client.listPropertiesOfSecrets());
    }),
    set: await outcome(() => client.setSecret('existing', 'value')),
    update: await outcome(() => client.updateSecretProperties('existing', '', { tags: { a: 'b' } })),
    backup: await outcome(() => client.backupSecret('existing')),
    listDeleted: await outcome(async () => {
      for await (const _ of client.listDeletedSecrets());
    }),
    purge: await outcome(() => client.purgeDeletedSecret('existing')).catch((e: { statusCode?: number }) =>
      e.statusCode === 404 ? 'allowed' : 'error',
    ),
  };
}

test('officer (Key Vault Secrets Officer) may do everything', async () => {
  expect(await probe(emu)).toEqual({
    get: 'allowed',
    list: 'allowed',
    set: 'allowed',
    update: 'allowed',
    backup: 'allowed',
    listDeleted: 'allowed',
    purge: 'allowed',
  });
});

test('user (Key Vault Secrets User) may read values and metadata, nothing else', async () => {
  await emu.configure({ rbac: 'user' });
  expect(await probe(emu)).toEqual({
    get: 'allowed',
    list: 'allowed',
    set: ACTION('setSecret/action'),
    update: ACTION('update/action'),
    backup: ACTION('backup/action'),
    listDeleted: 'allowed',
    purge: ACTION('purge/action'),
  });
});

test('reader (Key Vault Reader) may read metadata only', async () => {
  await emu.configure({ rbac: 'reader' });
  const r = await probe(emu);
  expect(r.get).toBe(ACTION('getSecret/action'));
  expect(r.list).toBe('allowed');
  expect(r.set).toBe(ACTION('setSecret/action'));
});

test('none: even listing is refused', async () => {
  await emu.configure({ rbac: 'none' });
  const r = await probe(emu);
  expect(Object.values(r).every((o) => o !== 'allowed')).toBe(true);
  const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token: await vaultToken(emu) });
  expect(res.status).toBe(403);
  expect(res.json.error.message).toContain(`Action: '${ACTION('readMetadata/action')}'`);
  expect(res.json.error.message).toMatch(/Resource: '\/subscriptions\/[^']+\/vaults\/default'/);
});

test("the 403 carries the service's ForbiddenByRbac body: Caller, Action, Resource, Vault", async () => {
  await emu.configure({ rbac: 'reader' });
  const token = await vaultToken(emu);
  const res = await raw(emu, `${emu.vaultUrl}/secrets/existing/?api-version=${API}`, { token });
  expect(res.status).toBe(403);
  expect(res.json.error.code).toBe('Forbidden');
  expect(res.json.error.innererror).toEqual({ code: 'ForbiddenByRbac' });
  const message: string = res.json.error.message;
  expect(message.split('\r\n')).toEqual([
    'Caller is not authorized to perform action on resource.',
    'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
    `Caller: ${CALLER}`,
    "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
    expect.stringMatching(
      /^Resource: '\/subscriptions\/[0-9a-f-]+\/resourcegroups\/[^/]+\/providers\/microsoft.keyvault\/vaults\/default\/secrets\/existing'$/,
    ),
    'Assignment: (not found)',
    'DenyAssignmentId: null',
    "DecisionReason: 'DeniedWithNoValidRBAC' ",
    'Vault: default;location=local',
    '',
  ]);
  const sdkErr = await rejection(sdkClient(emu).getSecret('existing'));
  expect(sdkErr.statusCode).toBe(403);
  expect(sdkErr.code).toBe('Forbidden');
});

test('the --rbac flag sets the role at start', async () => {
  const readerEmu = await startEmulator(['--rbac', 'reader']);
  try {
    const err = await rejection(sdkClient(readerEmu).setSecret('x', 'y'));
    expect(err.statusCode).toBe(403);
    expect(err.message).toContain(`Action: '${ACTION('setSecret/action')}'`);
  } finally {
    await readerEmu.stop();
  }
});

test('secretRoles: a role on one secret makes its write fail while other writes succeed', async () => {
  await emu.configure({ secretRoles: { LOCKED: 'reader' } }); // names are case-insensitive
  const client = sdkClient(emu);
  const err = await rejection(client.setSecret('locked', 'new'));
  expect(err.statusCode).toBe(403);
  expect(err.message).toContain("Resource: '");
  expect(err.message).toContain('/secrets/locked');
  await client.setSecret('existing', 'new');
  await client.setSecret('brand-new', 'v');
  expect((await client.getSecret('existing')).value).toBe('new');

  // and the other way round: a narrow vault role with one writable secret
  await emu.configure({ rbac: 'user', secretRoles: { writable: 'officer' } });
  await client.setSecret('writable', 'ok');
  expect((await rejection(client.setSecret('existing', 'nope'))).statusCode).toBe(403);
  // clearing the assignments restores the vault role everywhere
  await emu.configure({ rbac: 'officer', secretRoles: {} });
  await client.setSecret('locked', 'finally');
});

test('firewall deny: every data-plane call is 403 ForbiddenByFirewall with the client address', async () => {
  await emu.configure({ firewall: 'deny' });
  const client = sdkClient(emu);
  for (const call of [
    () => client.getSecret('existing'),
    () => client.setSecret('x', 'y'),
    () => client.backupSecret('existing'),
  ]) {
    const err = await rejection(call());
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe('Forbidden');
  }
  const res = await raw(emu, `${emu.vaultUrl}/secrets?api-version=${API}`, { token: await vaultToken(emu) });
  expect(res.status).toBe(403);
  expect(res.json.error.innererror).toEqual({ code: 'ForbiddenByFirewall' });
  expect(res.json.error.message).toBe(
    `Client address is not authorized and caller is not a trusted service.\r\nClient address: 127.0.0.1\r\nCaller: ${CALLER}\r\nVault: default;location=local`,
  );
  await emu.configure({ firewall: 'allow' });
  expect((await client.getSecret('existing')).value).toBeDefined();
});

test('--firewall deny at start', async () => {
  const walled = await startEmulator(['--firewall', 'deny']);
  try {
    const err = await rejection(sdkClient(walled).getSecret('x'));
    expect(err.statusCode).toBe(403);
    expect(err.message).toMatch(/^Client address is not authorized/);
  } finally {
    await walled.stop();
  }
});

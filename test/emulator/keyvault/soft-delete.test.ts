// Soft delete, recover, purge, backup/restore — the state machine the push tool's planner relies on.
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { API, raw, rejection, sdkClient, unique, vaultToken } from '../support.js';

let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator();
  token = await vaultToken(emu);
});
afterAll(() => emu.stop());

const url = (path: string) => `${emu.vaultUrl}${path}?api-version=${API}`;

test('delete is soft and synchronous: the SDK poller finishes after one GET; dates and recoveryId are right', async () => {
  const client = sdkClient(emu);
  const name = unique('del');
  await client.setSecret(name, 'v');
  await emu.clearRequests();
  const deleted = await (await client.beginDeleteSecret(name)).pollUntilDone();
  expect((await emu.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
    `DELETE /secrets/${name} 200`,
    `GET /deletedsecrets/${name} 200`,
  ]);
  expect(deleted.recoveryId).toBe(`${emu.vaultUrl}/deletedsecrets/${name}`);
  expect(deleted.properties.recoveryId).toBe(`${emu.vaultUrl}/deletedsecrets/${name}`);
  expect(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime()).toBe(
    90 * 86_400_000,
  );
  expect(deleted.properties.recoverableDays).toBe(90);

  const res = await raw(emu, url(`/deletedsecrets/${name}`), { token });
  expect(res.status).toBe(200);
  expect(res.json).not.toHaveProperty('value');
  expect(Number.isInteger(res.json.deletedDate)).toBe(true);
  expect(res.json.scheduledPurgeDate - res.json.deletedDate).toBe(7_776_000);
  expect(res.json.id).toMatch(new RegExp(`/secrets/${name}/[0-9a-f]{32}$`));
});

test('a soft-deleted name: get is 404, set is 409 Conflict / ObjectIsDeletedButRecoverable', async () => {
  const client = sdkClient(emu);
  const name = unique('conflict');
  await client.setSecret(name, 'v');
  await (await client.beginDeleteSecret(name)).pollUntilDone();
  expect((await rejection(client.getSecret(name))).statusCode).toBe(404);
  const err = await rejection(client.setSecret(name, 'again'));
  expect(err.statusCode).toBe(409);
  expect(err.code).toBe('Conflict');
  expect(err.message).toBe(
    `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
  );
  const res = await raw(emu, url(`/secrets/${name.toUpperCase()}`), {
    method: 'PUT',
    token,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ value: 'v' }),
  });
  expect(res.status).toBe(409);
  expect(res.json.error.innererror).toEqual({ code: 'ObjectIsDeletedButRecoverable' });
});

test('get/list deleted, recover brings every version back, purge is 204 and frees the name', async () => {
  const client = sdkClient(emu);
  const name = unique('cycle');
  const v1 = await client.setSecret(name, 'one');
  await client.setSecret(name, 'two');
  await (await client.beginDeleteSecret(name)).pollUntilDone();

  expect((await client.getDeletedSecret(name)).name).toBe(name);
  const deletedNames: string[] = [];
  for await (const d of client.listDeletedSecrets()) deletedNames.push(d.name);
  expect(deletedNames).toContain(name);

  await emu.clearRequests();
  const recovered = await (await client.beginRecoverDeletedSecret(name)).pollUntilDone();
  expect(recovered.name).toBe(name);
  const log = (await emu.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
  expect(log).toEqual([
    `GET /secrets/${name}/ 404`,
    `POST /deletedsecrets/${name}/recover 200`,
    `GET /secrets/${name}/ 200`,
  ]);
  expect((await client.getSecret(name)).value).toBe('two');
  expect((await client.getSecret(name, { version: v1.properties.version! })).value).toBe('one');

  await (await client.beginDeleteSecret(name)).pollUntilDone();
  const purge = await raw(emu, url(`/deletedsecrets/${name}`), { method: 'DELETE', token });
  expect(purge.status).toBe(204);
  expect(purge.text).toBe('');
  const gone = await rejection(client.getDeletedSecret(name));
  expect(gone.statusCode).toBe(404);
  expect(gone.code).toBe('SecretNotFound');
  expect(gone.message).toBe(`Deleted Secret not found: ${name}`);
  const fresh = await client.setSecret(name, 'new life');
  let count = 0;
  for await (const p of client.listPropertiesOfSecretVersions(name))
    count += p.version === fresh.properties.version ? 1 : 100;
  expect(count).toBe(1);
});

test('purge through the SDK; purge, delete, recover of names in the wrong state are 404', async () => {
  const client = sdkClient(emu);
  const name = unique('purge');
  await client.setSecret(name, 'v');
  const notDeleted = await rejection(client.purgeDeletedSecret(name));
  expect(notDeleted.statusCode).toBe(404);
  expect(notDeleted.message).toBe(`Deleted Secret not found: ${name}`);
  await (await client.beginDeleteSecret(name)).pollUntilDone();
  await client.purgeDeletedSecret(name);
  const missing = unique('never');
  for (const call of [
    () => client.beginDeleteSecret(missing),
    () => client.beginRecoverDeletedSecret(missing),
    () => client.backupSecret(missing),
  ]) {
    const err = await rejection(call());
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('SecretNotFound');
  }
});

test('backup then restore brings back all versions; restoring over an existing name is 409; garbage is 400', async () => {
  const client = sdkClient(emu);
  const name = unique('backup');
  const v1 = await client.setSecret(name, 'one', { tags: { t: '1' } });
  const v2 = await client.setSecret(name, 'two');
  const blob = await client.backupSecret(name);
  expect(blob).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(blob!).toString('latin1')).not.toContain('two'); // opaque, like the service's

  const conflict = await rejection(client.restoreSecretBackup(blob!));
  expect(conflict.statusCode).toBe(409);

  await (await client.beginDeleteSecret(name)).pollUntilDone();
  const whileDeleted = await rejection(client.restoreSecretBackup(blob!));
  expect(whileDeleted.statusCode).toBe(409);
  await client.purgeDeletedSecret(name);

  const restored = await client.restoreSecretBackup(blob!);
  expect(restored.name).toBe(name);
  expect(restored.version).toBe(v2.properties.version);
  expect((await client.getSecret(name)).value).toBe('two');
  const old = await client.getSecret(name, { version: v1.properties.version! });
  expect(old.value).toBe('one');
  expect(old.properties.tags).toEqual({ t: '1' });

  const garbage = await rejection(client.restoreSecretBackup(new Uint8Array([1, 2, 3, 4, 5])));
  expect(garbage.statusCode).toBe(400);
  expect(garbage.message).toBe('Backup blob contains invalid or corrupt version.');
});

test('a disabled deleted secret: GET /deletedsecrets is 403 SecretDisabled', async () => {
  const client = sdkClient(emu);
  const name = unique('deldis');
  await client.setSecret(name, 'v', { enabled: false });
  await (await client.beginDeleteSecret(name)).pollUntilDone(); // 403 on the poll counts as done for the SDK
  const res = await raw(emu, url(`/deletedsecrets/${name}`), { token });
  expect(res.status).toBe(403);
  expect(res.json.error.innererror.code).toBe('SecretDisabled');
});

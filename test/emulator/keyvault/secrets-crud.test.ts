// Set / get / update through the real SecretClient, and the wire shapes the SDK hides through raw HTTPS.
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

const url = (path: string, query = '') => `${emu.vaultUrl}${path}?api-version=${API}${query}`;

describe('set and get', () => {
  test('set returns a SecretBundle with a new 32-hex version, the value and integer-second timestamps', async () => {
    const name = unique('crud');
    const res = await raw(emu, url(`/secrets/${name}`), {
      method: 'PUT',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: 'v1', attributes: {} }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json.value).toBe('v1');
    expect(res.json.id).toMatch(new RegExp(`^${emu.vaultUrl}/secrets/${name}/[0-9a-f]{32}$`));
    const a = res.json.attributes;
    expect(a).toEqual({
      enabled: true,
      created: a.created,
      updated: a.created,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    });
    expect(Number.isInteger(a.created)).toBe(true);
    expect(Math.abs(a.created - Date.now() / 1000)).toBeLessThan(60);
    expect(res.json).not.toHaveProperty('tags');
    expect(res.json).not.toHaveProperty('contentType');
  });

  test('each set makes a new version; get returns the latest, or a given version', async () => {
    const client = sdkClient(emu);
    const name = unique('versions');
    const first = await client.setSecret(name, 'one');
    const second = await client.setSecret(name, 'two');
    expect(first.properties.version).not.toBe(second.properties.version);
    expect((await client.getSecret(name)).value).toBe('two');
    expect((await client.getSecret(name, { version: first.properties.version! })).value).toBe('one');
    const versions: string[] = [];
    for await (const p of client.listPropertiesOfSecretVersions(name)) versions.push(p.version!);
    expect(versions.sort()).toEqual([first.properties.version, second.properties.version].sort());
  });

  test('the SDK asks for the latest version with a trailing slash; the slash-less form works too', async () => {
    const client = sdkClient(emu);
    const name = unique('slash');
    await client.setSecret(name, 'latest');
    await emu.clearRequests();
    await client.getSecret(name);
    expect((await emu.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /secrets/${name}/ 200`,
    ]);
    for (const path of [`/secrets/${name}/`, `/secrets/${name}`]) {
      const res = await raw(emu, url(path), { token });
      expect(res.status).toBe(200);
      expect(res.json.value).toBe('latest');
    }
  });

  test('tags, contentType, nbf/exp round-trip; an empty value is allowed', async () => {
    const client = sdkClient(emu);
    const name = unique('meta');
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);
    const expiresOn = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000);
    await client.setSecret(name, '', {
      tags: { team: 'ml', env: 'ci' },
      contentType: 'text/plain',
      notBefore,
      expiresOn,
    });
    const got = await client.getSecret(name);
    expect(got.value).toBe('');
    expect(got.properties.tags).toEqual({ team: 'ml', env: 'ci' });
    expect(got.properties.contentType).toBe('text/plain');
    expect(got.properties.notBefore).toEqual(notBefore);
    expect(got.properties.expiresOn).toEqual(expiresOn);
  });

  test('names are case-insensitive; ids keep the casing of the first set', async () => {
    const client = sdkClient(emu);
    const name = `MiXeD-${unique('case')}`;
    await client.setSecret(name, 'a');
    await client.setSecret(name.toLowerCase(), 'b');
    const got = await client.getSecret(name.toUpperCase());
    expect(got.value).toBe('b');
    expect(got.properties.id).toContain(`/secrets/${name}/`);
  });

  test('a missing secret or version is 404 SecretNotFound with the service message', async () => {
    const client = sdkClient(emu);
    const name = unique('missing');
    const err = await rejection(client.getSecret(name));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('SecretNotFound');
    expect(err.message).toBe(
      `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
    await client.setSecret(name, 'x');
    const v = await rejection(client.getSecret(name, { version: '0123456789abcdef0123456789abcdef' }));
    expect(v.statusCode).toBe(404);
    expect(v.message).toContain(`(name/id) ${name}/0123456789abcdef0123456789abcdef was not found`);
  });
});

describe('update (PATCH)', () => {
  test('updates the latest version with an empty version, leaves unspecified attributes alone, returns no value', async () => {
    const client = sdkClient(emu);
    const name = unique('patch');
    const v1 = await client.setSecret(name, 'one', { tags: { keep: 'me' }, contentType: 'a' });
    const v2 = await client.setSecret(name, 'two', { tags: { keep: 'me' }, contentType: 'a' });
    await emu.clearRequests();
    const updated = await client.updateSecretProperties(name, '', { contentType: 'b' });
    expect((await emu.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /secrets/${name}/`]);
    expect(updated.version).toBe(v2.properties.version);
    expect(updated.contentType).toBe('b');
    expect(updated.tags).toEqual({ keep: 'me' });
    const old = await client.getSecret(name, { version: v1.properties.version! });
    expect(old.properties.contentType).toBe('a');

    const res = await raw(emu, url(`/secrets/${name}/${v1.properties.version}`), {
      method: 'PATCH',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tags: { replaced: 'yes' } }),
    });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('value');
    expect(res.json.tags).toEqual({ replaced: 'yes' });
    expect(res.json.attributes.updated).toBeGreaterThanOrEqual(res.json.attributes.created);
  });

  test('a disabled secret: get is 403 Forbidden/SecretDisabled, update still works and re-enables it', async () => {
    const client = sdkClient(emu);
    const name = unique('disabled');
    const set = await client.setSecret(name, 'hidden', { enabled: false });
    expect(set.properties.enabled).toBe(false);
    const err = await rejection(client.getSecret(name));
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe('Forbidden');
    expect(err.message).toBe('Operation get is not allowed on a disabled secret.');
    const res = await raw(emu, url(`/secrets/${name}/`), { token });
    expect(res.json).toEqual({
      error: {
        code: 'Forbidden',
        message: 'Operation get is not allowed on a disabled secret.',
        innererror: { code: 'SecretDisabled' },
      },
    });
    await client.updateSecretProperties(name, set.properties.version!, { enabled: true });
    expect((await client.getSecret(name)).value).toBe('hidden');
  });

  test('updating a missing secret is 404', async () => {
    const err = await rejection(sdkClient(emu).updateSecretProperties(unique('nope'), '', { enabled: true }));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('SecretNotFound');
  });
});

describe('validation (400 BadParameter)', () => {
  const put = (name: string, body: unknown) =>
    raw(emu, url(`/secrets/${name}`), {
      method: 'PUT',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  test.each([['bad_name'], ['has.dot'], ['sp ace'], ['x'.repeat(128)]])('invalid name %s', async (name) => {
    const err = await rejection(sdkClient(emu).setSecret(name, 'v'));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('BadParameter');
    expect(err.message).toBe(`The request URI contains an invalid name: ${name}`);
  });

  test('127 characters, digits and dashes are a valid name', async () => {
    const name = `0-${'a'.repeat(125)}`;
    expect((await put(name, { value: 'ok' })).status).toBe(200);
  });

  test('value up to 25 KB (25600 bytes) is accepted, one byte more is not', async () => {
    expect((await put(unique('size'), { value: 'x'.repeat(25600) })).status).toBe(200);
    const res = await put(unique('size'), { value: 'x'.repeat(25601) });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BadParameter');
    // multi-byte characters count as bytes, not characters
    expect((await put(unique('size'), { value: 'é'.repeat(12801) })).status).toBe(400);
  });

  test('at most 15 tags of at most 512/512 characters', async () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));
    expect((await put(unique('tags'), { value: 'v', tags: tags(15) })).status).toBe(200);
    expect((await put(unique('tags'), { value: 'v', tags: tags(16) })).status).toBe(400);
    expect((await put(unique('tags'), { value: 'v', tags: { ['k'.repeat(512)]: 'v'.repeat(512) } })).status).toBe(200);
    expect((await put(unique('tags'), { value: 'v', tags: { ['k'.repeat(513)]: 'v' } })).status).toBe(400);
    expect((await put(unique('tags'), { value: 'v', tags: { k: 'v'.repeat(513) } })).status).toBe(400);
    expect((await put(unique('tags'), { value: 'v', tags: { k: 1 } })).status).toBe(400);
  });

  test('contentType at most 255 characters', async () => {
    expect((await put(unique('ct'), { value: 'v', contentType: 'c'.repeat(255) })).status).toBe(200);
    const res = await put(unique('ct'), { value: 'v', contentType: 'c'.repeat(256) });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BadParameter');
  });

  test('value is required and must be a string; attributes must be typed', async () => {
    for (const body of [
      {},
      { value: 1 },
      { value: null },
      { value: 'v', attributes: { enabled: 'yes' } },
      { value: 'v', attributes: { exp: 1.5 } },
    ]) {
      const res = await put(unique('shape'), body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('BadParameter');
    }
  });
});

// The admin API for identities: per-identity vault roles, ARM roles, OIDC subjects, federated
// credentials, and the request log filter.
import { startEmulator } from '../../helpers/emulator.js';
import type { Emulator } from '../../helpers/emulator.js';
import { raw, rejection, sdkClient } from '../support.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator(['--vault', 'second', '--quiet']);
});
afterEach(() =>
  emu.configure({ rbac: 'officer', identityRoles: {}, armRoles: {}, githubSubject: null, azdoSubject: null }),
);
afterAll(() => emu.stop());

const admin = (path: string, method = 'GET', body?: unknown) =>
  raw(
    emu,
    `${emu.adminUrl}${path}`,
    body === undefined
      ? { method }
      : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
  );

test('GET /identities: ARM roles (Reader for every identity), subjects, federated credentials', async () => {
  const { json } = await admin('/identities');
  const ids = emu.identities;
  expect(json.armRoles).toEqual({
    [ids.managedIdentity.clientId]: 'reader',
    [ids.servicePrincipal.clientId]: 'reader',
    [ids.github.clientId]: 'reader',
    [ids.azdo.clientId]: 'reader',
  });
  expect(json.subjects).toEqual({ github: ids.github.subject, azdo: ids.azdo.subject });
  expect(json.federatedCredentials).toEqual([
    {
      clientId: ids.github.clientId,
      issuer: ids.github.issuer,
      subject: ids.github.subject,
      audience: ids.github.audience,
      builtIn: true,
    },
    {
      clientId: ids.azdo.clientId,
      issuer: ids.azdo.issuer,
      subject: ids.azdo.subject,
      audience: ids.azdo.audience,
      builtIn: true,
    },
  ]);
});

test('identityRoles: one identity, one vault or all; {} gives every identity the rbac role again', async () => {
  const gh = emu.identities.github.clientId;
  await emu.configure({ vault: 'second', identityRoles: { [gh]: 'reader' } });
  let config = (await admin('/config')).json;
  expect(config.second.identityRoles).toEqual({ [gh]: 'reader' });
  expect(config.second.roleByIdentity[gh]).toBe('reader');
  expect(config.second.roleByIdentity[emu.identities.managedIdentity.clientId]).toBe('officer');
  expect(config.default.roleByIdentity[gh]).toBe('officer');
  // rbac sets every identity without a role of its own; the per-identity role stays.
  await emu.configure({ vault: 'second', rbac: 'user' });
  config = (await admin('/config')).json;
  expect(config.second.roleByIdentity).toMatchObject({
    [gh]: 'reader',
    [emu.identities.servicePrincipal.clientId]: 'user',
  });
  expect(config.second.rbac).toBe('user');
  await emu.configure({ identityRoles: {} });
  expect((await admin('/config')).json.second.roleByIdentity[gh]).toBe('user');
});

test('--rbac-style rbac applies to every identity, the managed identity included', async () => {
  await emu.configure({ rbac: 'reader' });
  const err = await rejection(sdkClient(emu).setSecret('denied', 'x'));
  expect(err.statusCode).toBe(403);
  expect(Object.values((await admin('/config')).json.default.roleByIdentity)).toEqual([
    'reader',
    'reader',
    'reader',
    'reader',
  ]);
});

test('armRoles and subjects show in /identities; bad values are refused with 400 and change nothing', async () => {
  await emu.configure({
    armRoles: { [emu.identities.azdo.clientId]: 'workspace' },
    githubSubject: 'repo:contoso/train:pull_request',
  });
  const { json } = await admin('/identities');
  expect(json.armRoles[emu.identities.azdo.clientId]).toBe('workspace');
  expect(json.subjects.github).toBe('repo:contoso/train:pull_request');
  for (const body of [
    { identityRoles: { 'not-a-client': 'user' } },
    { identityRoles: { [emu.identities.github.clientId]: 'owner' } },
    { armRoles: { [emu.identities.github.clientId]: 'contributor' } },
    { armRoles: [] },
    { githubSubject: '' },
    { azdoSubject: 42 },
  ]) {
    await expect(emu.configure(body)).rejects.toThrow(/400/);
  }
  expect((await admin('/identities')).json.armRoles[emu.identities.github.clientId]).toBe('reader');
});

test('federated credentials: add (201), list, clear the added ones (the built-in ones stay)', async () => {
  const gh = emu.identities.github;
  const added = await admin('/federated-credentials', 'POST', {
    clientId: gh.clientId.toUpperCase(),
    issuer: gh.issuer,
    subject: 'repo:contoso/train:environment:prod',
    audience: gh.audience,
  });
  expect(added.status).toBe(201);
  expect(added.json).toEqual({
    clientId: gh.clientId,
    issuer: gh.issuer,
    subject: 'repo:contoso/train:environment:prod',
    audience: gh.audience,
    builtIn: false,
  });
  expect((await emu.federatedCredentials()).map((c) => c.subject)).toEqual([
    gh.subject,
    emu.identities.azdo.subject,
    'repo:contoso/train:environment:prod',
  ]);
  await emu.clearFederatedCredentials();
  expect((await emu.federatedCredentials()).length).toBe(2);
});

test.each([
  [{ clientId: '7e57c0de-0000-4000-8000-0000000006b1', issuer: 'https://x' }, /missing or empty: subject, audience/],
  [{ clientId: 'unknown', issuer: 'https://x', subject: 's', audience: 'a' }, /unknown clientId "unknown"/],
  [
    { clientId: '7e57c0de-0000-4000-8000-0000000006b1', issuer: 'https://x', subject: 's', audience: 'a', extra: 1 },
    /the body must be/,
  ],
])('a bad federated credential %j is refused with 400', async (body, message) => {
  const res = await admin('/federated-credentials', 'POST', body);
  expect(res.status).toBe(400);
  expect(res.json.error.message).toMatch(message);
});

test('GET /requests?service= filters the log; an unknown service is a 400', async () => {
  await emu.clearRequests();
  await raw(emu, `${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
  await raw(emu, `${emu.vaultUrl}/secrets?api-version=7.6`);
  expect((await emu.requests('entra')).map((r) => r.service)).toEqual(['entra']);
  expect((await emu.requests('vault')).map((r) => r.service)).toEqual(['vault']);
  expect((await emu.requests()).length).toBe(2);
  expect((await admin('/requests?service=dns')).status).toBe(400);
});

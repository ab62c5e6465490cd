// Unit tests of the emulator's small pure modules: routing, throttling, flag parsing, paging, RBAC.
import { parseCli } from '../../emulator/cli-options.js';
import { FaultInjector, mulberry32, parseFaultStatus } from '../../emulator/keyvault/faults.js';
import { takePage, decodeSkipToken, encodeSkipToken } from '../../emulator/keyvault/paging.js';
import { roleAllows, RoleAssignments, SECRET_ACTIONS } from '../../emulator/access/rbac.js';
import { matchRoute } from '../../emulator/keyvault/secrets-api.js';
import { parseThrottle, SlidingWindowThrottle } from '../../emulator/keyvault/throttle.js';
import { parseConfigBody } from '../../emulator/admin-config.js';
import { parseCloud } from '../../emulator/common/clouds.js';
import { parseWorkspaceSpec } from '../../emulator/arm/workspaces.js';
import { Directory } from '../../emulator/entra/directory.js';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';

describe('matchRoute', () => {
  test.each([
    ['PUT', '/secrets/a', 'set', 'a', undefined],
    ['GET', '/secrets/a', 'get', 'a', ''],
    ['GET', '/secrets/a/', 'get', 'a', ''],
    ['GET', '/secrets/a/0123', 'get', 'a', '0123'],
    ['PATCH', '/secrets/a/', 'update', 'a', ''],
    ['PATCH', '/secrets/a/0123', 'update', 'a', '0123'],
    ['GET', '/secrets', 'list', undefined, undefined],
    ['GET', '/secrets/', 'list', undefined, undefined],
    ['GET', '/secrets/a/versions', 'listVersions', 'a', undefined],
    ['DELETE', '/secrets/a', 'delete', 'a', undefined],
    ['GET', '/deletedsecrets', 'listDeleted', undefined, undefined],
    ['GET', '/deletedsecrets/a', 'getDeleted', 'a', undefined],
    ['DELETE', '/deletedsecrets/a', 'purge', 'a', undefined],
    ['POST', '/deletedsecrets/a/recover', 'recover', 'a', undefined],
    ['POST', '/secrets/a/backup', 'backup', 'a', undefined],
    ['POST', '/secrets/restore', 'restore', undefined, undefined],
    ['PUT', '/secrets/restore', 'set', 'restore', undefined],
    ['GET', '/Secrets/A', 'get', 'A', ''],
    ['PUT', '//secrets/a', 'set', 'a', undefined],
    ['PUT', '/secrets/my%2Dname', 'set', 'my-name', undefined],
  ])('%s %s → %s', (method, path, op, name, version) => {
    const m = matchRoute(method, path);
    expect(m.kind).toBe('route');
    if (m.kind !== 'route') return;
    expect(m.route.op).toBe(op);
    expect(m.route.name).toBe(name);
    expect(m.route.version).toBe(version);
    expect(m.route.requestClass).toBe(op === 'set' ? 'set' : 'other');
  });

  test.each([
    ['GET', '/keys'],
    ['GET', '/secrets/a/b/c'],
    ['GET', '/secrets/a/0123/'],
    ['GET', '/'],
    ['GET', '/deletedsecrets/a/purge'],
  ])('%s %s → not found', (method, path) => {
    expect(matchRoute(method, path).kind).toBe('notFound');
  });

  test('a known path with another verb → 405 with the allowed ones', () => {
    expect(matchRoute('POST', '/secrets')).toEqual({ kind: 'methodNotAllowed', allow: ['GET'] });
    expect(matchRoute('POST', '/secrets/a')).toEqual({
      kind: 'methodNotAllowed',
      allow: ['PUT', 'GET', 'PATCH', 'DELETE'],
    });
  });
});

describe('SlidingWindowThrottle', () => {
  const limits = { sets: 2, other: 3, windowMs: 1000 };
  test('admits up to the limit per class within the window, then frees slots as they age out', () => {
    const t = new SlidingWindowThrottle();
    expect([t.admit('set', limits, 0), t.admit('set', limits, 100), t.admit('set', limits, 200)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([
      t.admit('other', limits, 200),
      t.admit('other', limits, 300),
      t.admit('other', limits, 400),
      t.admit('other', limits, 500),
    ]).toEqual([true, true, true, false]);
    expect(t.admit('set', limits, 999)).toBe(false);
    expect(t.admit('set', limits, 1000)).toBe(true); // the call at t=0 left the window
    expect(t.admit('set', limits, 1050)).toBe(false);
  });

  test('refused calls do not count (the service does not count 429s)', () => {
    const t = new SlidingWindowThrottle();
    t.admit('set', limits, 0);
    t.admit('set', limits, 0);
    for (let i = 0; i < 50; i++) t.admit('set', limits, 500);
    expect(t.admit('set', limits, 1000)).toBe(true);
  });

  test.each([
    ['real', { sets: 300, other: 4000, windowMs: 10000 }],
    ['sets=5,other=7', { sets: 5, other: 7, windowMs: 10000 }],
    ['sets=5', { sets: 5, other: Infinity, windowMs: 10000 }],
    ['other=1,window=0.5', { sets: Infinity, other: 1, windowMs: 500 }],
    ['none', null],
  ])('parseThrottle(%s)', (spec, expected) => {
    expect(parseThrottle(spec)).toEqual(expected);
  });

  test.each([['lots'], ['sets=x'], ['sets=1;other=2'], ['window=0']])('parseThrottle(%s) throws', (spec) => {
    expect(() => parseThrottle(spec)).toThrow(/invalid throttle/);
  });
});

describe('faults', () => {
  test('the PRNG is deterministic per seed and different across seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  test('rate 0 never fails and does not consume the sequence; rate 1 always fails', () => {
    const f = new FaultInjector(9);
    expect(f.shouldFail(0)).toBe(false);
    const g = new FaultInjector(9);
    expect(Array.from({ length: 20 }, () => f.shouldFail(0.5))).toEqual(
      Array.from({ length: 20 }, () => g.shouldFail(0.5)),
    );
    expect(Array.from({ length: 20 }, () => f.shouldFail(1)).every(Boolean)).toBe(true);
  });

  test('fault statuses', () => {
    expect(parseFaultStatus('429')).toBe(429);
    expect(parseFaultStatus(503)).toBe(503);
    expect(parseFaultStatus('RESET')).toBe('reset');
    expect(parseFaultStatus('stall')).toBe('stall');
    expect(parseFaultStatus('hang')).toBe('stall'); // an alias
    expect(() => parseFaultStatus('404')).toThrow();
  });
});

describe('paging', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  test('pages after a marker; the last page has no marker', () => {
    expect(takePage(items, (x) => x, undefined, 2)).toEqual({ page: ['a', 'b'], nextMarker: 'b' });
    expect(takePage(items, (x) => x, 'b', 2)).toEqual({ page: ['c', 'd'], nextMarker: 'd' });
    expect(takePage(items, (x) => x, 'd', 2)).toEqual({ page: ['e'], nextMarker: undefined });
    expect(takePage(items, (x) => x, undefined, 5)).toEqual({ page: items, nextMarker: undefined });
  });

  test('a marker deleted meanwhile continues after the next larger key', () => {
    expect(takePage(['a', 'c', 'd'], (x) => x, 'b', 1)).toEqual({ page: ['c'], nextMarker: 'c' });
  });

  test('skip tokens round-trip and forged ones are refused', () => {
    expect(decodeSkipToken(encodeSkipToken('name-1'))).toBe('name-1');
    expect(() => decodeSkipToken('%%%')).toThrow(/skiptoken/);
  });
});

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

describe('CLI flags and admin config share their parsers', () => {
  test('flags', () => {
    expect(
      parseCli([
        '--port',
        '0',
        '--vault',
        'a-1',
        '--vault',
        'b-2',
        '--rbac',
        'user',
        '--throttle',
        'real',
        '--retry-after',
        'none',
        '--seed',
        '3',
        '--quiet',
      ]),
    ).toEqual({
      help: false,
      port: 0,
      vaults: ['a-1', 'b-2'],
      workspaces: [],
      hubs: [],
      projects: [],
      computes: [],
      onlineEndpoints: [],
      workspaceIdentities: [],
      groups: [],
      userIdentities: [],
      cloud: 'AzureCloud',
      settings: { rbac: 'user', throttle: { sets: 300, other: 4000, windowMs: 10000 }, retryAfter: null, seed: 3 },
      quiet: true,
      exitOnStdinClose: false,
    });
    expect(
      parseCli([
        '--fault-rate',
        '0.25',
        '--fault-status',
        'reset',
        '--latency-ms',
        '10',
        '--firewall',
        'deny',
        '--retry-after',
        '2',
      ]).settings,
    ).toEqual({
      faultRate: 0.25,
      faultStatus: 'reset',
      latencyMs: 10,
      firewall: 'deny',
      retryAfter: 2,
    });
    for (const bad of [['--port', '-1'], ['--fault-rate', '1.5'], ['--latency-ms', 'x'], ['--seed', '1.5'], ['stray']])
      expect(() => parseCli(bad)).toThrow();
  });

  test('config bodies', () => {
    expect(parseConfigBody({ vault: 'v', throttle: 'sets=1', retryAfter: 3, secretRoles: { a: 'none' } })).toEqual({
      vault: 'v',
      patch: { throttle: { sets: 1, other: Infinity, windowMs: 10000 }, retryAfter: 3, secretRoles: { a: 'none' } },
    });
    expect(() => parseConfigBody([])).toThrow(/object/);
    expect(() => parseConfigBody({ latency: 1 })).toThrow(/unknown config keys: latency/);
  });
});

describe('workspaces, clouds and the identity config', () => {
  const SUB = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  test.each([
    [
      `${SUB}/ml-rg/train-ws`,
      { subscriptionId: SUB, resourceGroup: 'ml-rg', name: 'train-ws', vaultName: 'kv-train-ws', vaultExists: true },
    ],
    [
      `${SUB.toUpperCase()}/ml-rg/train-ws=my-kv`,
      { subscriptionId: SUB, resourceGroup: 'ml-rg', name: 'train-ws', vaultName: 'my-kv', vaultExists: true },
    ],
    [
      `${SUB}/ml-rg/train-ws=-`,
      { subscriptionId: SUB, resourceGroup: 'ml-rg', name: 'train-ws', vaultName: 'kv-train-ws', vaultExists: false },
    ],
    [
      'solo',
      {
        subscriptionId: '00000000-0000-4000-8000-0000000e1a70',
        resourceGroup: 'aml-vault-push-emulator',
        name: 'solo',
        vaultName: 'kv-solo',
        vaultExists: true,
      },
    ],
  ])('--workspace %s', (spec, parsed) => {
    expect(parseWorkspaceSpec(spec)).toEqual(parsed);
  });

  test.each([
    ['rg/ws', /expected SUB\/RG\/NAME/],
    ['prod/rg/ws', /is not a GUID/],
    [`${SUB}/rg./ws`, /not a valid resource group name/],
    [`${SUB}/rg/ws!x`, /not a valid workspace name/],
    [`${SUB}/rg/wsx=bad_vault`, /not a valid vault name/],
  ])('--workspace %s is refused', (spec, message) => {
    expect(() => parseWorkspaceSpec(spec)).toThrow(message);
  });

  test('clouds are named like the az CLI, case-insensitively', () => {
    expect(parseCloud('azureusgovernment')).toBe('AzureUSGovernment');
    expect(() => parseCloud('AzureGermanCloud')).toThrow(/expected AzureCloud, AzureUSGovernment, AzureChinaCloud/);
    expect(parseCli(['--cloud', 'AzureChinaCloud', '--workspace', 'a-ws']).cloud).toBe('AzureChinaCloud');
    expect(parseCli(['--workspace', 'a-ws', '--workspace', `${SUB}/r/b-ws`]).workspaces).toEqual([
      'a-ws',
      `${SUB}/r/b-ws`,
    ]);
  });

  test('global config keys come back apart from the per-vault patch', () => {
    const gh = '7e57c0de-0000-4000-8000-0000000006b1';
    expect(
      parseConfigBody({
        identityRoles: { [gh.toUpperCase()]: 'user' },
        armRoles: { [gh]: 'none' },
        githubSubject: 's',
        azdoSubject: null,
      }),
    ).toEqual({
      vault: undefined,
      patch: { identityRoles: { [gh]: 'user' } },
      global: { armRoles: { [gh]: 'none' }, githubSubject: 's', azdoSubject: null },
    });
  });

  test('secrets derive from the cert dir key: the same key, the same secrets; another key, others', () => {
    const spPem = execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=t', '-days', '1'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const make = (seed = privateKey) =>
      new Directory({
        secretSeed: seed,
        spCertificatePem: spPem,
        spCredentialFile: '/x',
        issuers: { github: 'g', azdo: 'a' },
        defaultSubjects: { github: 'gs', azdo: 'as' },
      });
    const [a, b, c] = [make(), make(), make(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)];
    expect(a.clientSecret).toBe(b.clientSecret);
    expect(a.clientSecret).toMatch(/^Emu8Q~[A-Za-z0-9_.]{34}$/);
    expect(a.azdoSystemAccessToken).toBe(b.azdoSystemAccessToken);
    expect(c.clientSecret).not.toBe(a.clientSecret);
  });
});

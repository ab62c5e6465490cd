// Unit tests of what starts the emulator: flags and the admin config share their parsers; workspaces,
// clouds and the identity config.
import { parseCli } from '../../emulator/cli-options.js';
import { parseConfigBody } from '../../emulator/admin-config.js';
import { parseCloud } from '../../emulator/common/clouds.js';
import { parseWorkspaceSpec } from '../../emulator/arm/workspaces.js';
import { Directory } from '../../emulator/entra/directory.js';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';

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
      shell: false,
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

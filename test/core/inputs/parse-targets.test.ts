// The targets input: one workspace, vault-name:NAME or vault URL a line; exclusive with the single-target inputs;
// subscription-id the default subscription; every bad or repeated line reported by line, in the platform's spelling.
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import { azdoContext, githubContext } from '../../helpers/parse.js';

const SUB1 = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const SUB2 = '5d8f1a2b-3c4d-4e5f-9a0b-1c2d3e4f5a6b';
const parse = (raw: RawInputs, ctx = githubContext({ A: 'v' })) => parseRequest({ secrets: 'A', ...raw }, ctx);

describe('targets', () => {
  it('reads workspaces (with and without a subscription), vault names and vault URLs, in order', () => {
    const parsed = parse({
      targets: [
        `${SUB1.toUpperCase()}/rg/ws1`,
        '# a comment, then a blank line',
        '',
        'rg/ws2',
        'vault-name:kv-three',
        'https://kv-four.vault.azure.net/',
      ].join('\n'),
      'subscription-id': SUB2,
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.request?.targets).toEqual([
      {
        target: {
          kind: 'workspace',
          subscriptionId: SUB1,
          resourceGroup: 'rg',
          workspaceName: 'ws1',
          // Messages about it name the line, not inputs the person did not set.
          naming: {
            workspaceName: 'targets line 1',
            resourceGroup: 'targets line 1',
            subscriptionId: 'targets line 1',
          },
        },
        display: `${SUB1}/rg/ws1`,
      },
      {
        target: {
          kind: 'workspace',
          subscriptionId: SUB2,
          resourceGroup: 'rg',
          workspaceName: 'ws2',
          // Its subscription is subscription-id's: the line names none.
          naming: {
            workspaceName: 'targets line 4',
            resourceGroup: 'targets line 4',
            subscriptionId: 'subscription-id',
          },
        },
        display: `${SUB2}/rg/ws2`,
      },
      {
        target: { kind: 'vault', vaultUrl: 'https://kv-three.vault.azure.net' },
        display: 'https://kv-three.vault.azure.net',
      },
      {
        target: { kind: 'vault', vaultUrl: 'https://kv-four.vault.azure.net' },
        display: 'https://kv-four.vault.azure.net',
      },
    ]);
  });

  it('the single-target inputs still give one target', () => {
    const parsed = parse({ 'vault-name': 'kv1' });
    expect(parsed.request?.targets).toEqual([
      { target: { kind: 'vault', vaultUrl: 'https://kv1.vault.azure.net' }, display: 'https://kv1.vault.azure.net' },
    ]);
  });

  it.each<[string, RawInputs, string[]]>([
    [
      'targets with a single-target input',
      { targets: 'vault-name:kv1', 'vault-url': 'https://kv2.vault.azure.net', 'resource-group': 'rg' },
      ['targets: set either targets or vault-url and resource-group, not both'],
    ],
    [
      'a malformed line',
      { targets: 'vault-name:kv1\njust-a-word' },
      ['targets line 2: is not a target: write SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE'],
    ],
    [
      'a duplicate line (resource names compare case-insensitively)',
      { targets: `${SUB1}/rg/ws1\nvault-name:kv1\n${SUB1.toUpperCase()}/RG/WS1\nhttps://KV1.vault.azure.net` },
      ['targets line 3: the same target as line 1', 'targets line 4: the same target as line 2'],
    ],
    [
      'RG/WS without subscription-id',
      { targets: 'rg/ws1' },
      ['targets line 1: names no subscription: write SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE or set subscription-id'],
    ],
    [
      'bad parts of a line',
      { targets: 'not-a-guid/rg/ws1\nvault-name:x\nhttp://kv.vault.azure.net\nrg/-bad' },
      [
        'targets line 1: not-a-guid is not a subscription id',
        'targets line 2: x is not a valid vault name',
        'targets line 3: the vault URL must start with https://',
        'targets line 4: names no subscription',
        'targets line 4: -bad is not a valid Azure ML workspace name',
      ],
    ],
    ['only comments', { targets: '# nothing\n' }, ['targets: has no target lines']],
    [
      'an invalid subscription-id is reported once, on that input',
      { targets: 'rg/ws1\nrg/ws2', 'subscription-id': 'nope' },
      ['subscription-id: nope is not a subscription id'],
    ],
  ])('%s', (_, raw, expected) => {
    const parsed = parse(raw);
    expect(parsed.request).toBeUndefined();
    expect(parsed.problems).toHaveLength(expected.length);
    expected.forEach((fragment, i) => expect(parsed.problems[i]).toContain(fragment));
  });

  it('names the inputs in the platform’s spelling', () => {
    const parsed = parse({ targets: 'rg/ws1\nvault-name:kv1', 'vault-name': 'kv1' }, azdoContext({ A: 'v' }));
    expect(parsed.problems).toEqual([
      'targets: set either targets or vaultName, not both (a targets line can name a workspace, vault-name:NAME or a vault URL)',
      'targets line 1: names no subscription: write SUBSCRIPTION/RESOURCE_GROUP/WORKSPACE or set subscriptionId',
    ]);
  });
});

describe('fleet inputs', () => {
  it.each<[RawInputs, string | undefined]>([
    [{ 'owner-scope': 'nightly-1' }, undefined],
    [{ 'owner-scope': 'Nightly' }, 'owner-scope: Nightly is not a short name'],
    [{ 'owner-scope': 'a'.repeat(33) }, 'is not a short name'],
    [{ 'warn-expiry-days': '0' }, undefined],
    [{ 'warn-expiry-days': '3650' }, undefined],
    [{ 'warn-expiry-days': '3651' }, 'warn-expiry-days: 3651 is not a whole number from 0 to 3650'],
    [{ 'warn-expiry-days': '1.5' }, 'is not a whole number'],
    [{ mode: 'LIST' }, undefined],
    [{ mode: 'show' }, 'mode: show is not one of push, list'],
  ])('%j', (raw, problem) => {
    const parsed = parse({ 'vault-name': 'kv1', ...raw });
    if (problem === undefined) expect(parsed.problems).toEqual([]);
    else expect(parsed.problems).toEqual([expect.stringContaining(problem)]);
  });

  it('prune with no secrets keeps the input error and says why it refuses', () => {
    const parsed = parseRequest(
      { 'vault-name': 'kv1', 'secrets-json': '{"A":"v"}', exclude: '*', prune: 'true' },
      githubContext({}),
    );
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatch(/^no secrets to push .*; with prune set, .* so nothing is pruned/);
    const without = parseRequest({ 'vault-name': 'kv1', 'secrets-json': '{"A":"v"}', exclude: '*' }, githubContext({}));
    expect(without.problems[0]).not.toMatch(/prune/);
  });

  it('list mode needs no secrets', () => {
    const parsed = parseRequest({ 'vault-name': 'kv1', mode: 'list' }, githubContext({}));
    expect(parsed.problems).toEqual([]);
    expect(parsed.request?.mode).toBe('list');
    expect(parsed.request?.secrets).toEqual([]);
  });
});

// parseRequest as a whole: every input read, defaults, labels, every problem at once, no value in any problem.
import type { PushRequest } from '../../../src/core/common/types.js';
import type { RawInputs, PushIntent } from '../../../src/core/inputs/inputs.js';
import type { Vars } from '../../helpers/parse.js';
import { maskFragments } from '../../../src/core/common/mask.js';
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import { CLOUDS } from '../../../src/core/azure/clouds.js';
import { DAY, NOW, azdoContext, expectProblems, githubContext, parse, requestOf } from '../../helpers/parse.js';

describe('parseRequest: a complete request', () => {
  it('reads every input', () => {
    const vars = { DB_PASSWORD: 'p1', API_KEY: 'p2', 'Some.Var': 'p3' };
    const parsed = parse(
      {
        secrets: '# the database\n\nDB_PASSWORD\n  api-key = API_KEY  \nexplicit-Name=Some.Var\n',
        'secrets-json': '{"STORAGE_KEY":"s1","github_token":"t","OTHER":"o"}',
        exclude: 'OTHER',
        'vault-name': undefined,
        'vault-url': 'https://MyVault.vault.azure.net/',
        'content-type': 'text/plain',
        tags: 'team=ml, env=prod\ncost=1',
        'expires-in': '90d',
        'not-before': '2025-07-01',
        'on-deleted': 'PURGE',
        'adopt-unowned': 'True',
        'allow-empty': 'FALSE',
        'dry-run': 'true',
        'max-concurrency': '16',
      },
      vars,
    );
    expect(parsed.names).toEqual(['DB-PASSWORD', 'api-key', 'explicit-Name', 'STORAGE-KEY']);
    expect({ ...parsed, names: undefined }).toStrictEqual({
      names: undefined,
      request: {
        targets: [
          {
            target: { kind: 'vault', vaultUrl: 'https://myvault.vault.azure.net' },
            display: 'https://myvault.vault.azure.net',
          },
        ],
        cloud: CLOUDS.AzureCloud,
        mode: 'push',
        prune: false,
        warnExpiryDays: 30,
        secrets: [
          { name: 'DB-PASSWORD', value: 'p1', origin: 'secrets line 3 (DB_PASSWORD)' },
          { name: 'api-key', value: 'p2', origin: 'secrets line 4 (API_KEY)' },
          { name: 'explicit-Name', value: 'p3', origin: 'secrets line 5 (Some.Var)' },
          { name: 'STORAGE-KEY', value: 's1', origin: 'secrets-json key STORAGE_KEY' },
        ],
        contentType: 'text/plain',
        tags: { team: 'ml', env: 'prod', cost: '1' },
        expiresInMs: 90 * DAY,
        notBefore: new Date('2025-07-01T00:00:00Z'),
        onDeleted: 'purge',
        adoptUnowned: true,
        dryRun: true,
        maxConcurrency: 16,
      },
      // Every value read, the skipped JSON entries too: all of secrets-json is secret material.
      values: ['p1', 'p2', 'p3', 's1', 't', 'o'],
      problems: [],
      notes: [],
    });
  });

  it('fills in the defaults and sets no optional property', () => {
    expect(parse({ secrets: 'A' }, { A: 'v' })).toStrictEqual({
      names: ['A'],
      notes: [],
      request: {
        targets: [
          {
            target: { kind: 'vault', vaultUrl: 'https://kv1.vault.azure.net' },
            display: 'https://kv1.vault.azure.net',
          },
        ],
        cloud: CLOUDS.AzureCloud,
        mode: 'push',
        prune: false,
        warnExpiryDays: 30,
        secrets: [{ name: 'A', value: 'v', origin: 'secrets line 1 (A)' }],
        tags: {},
        onDeleted: 'recover',
        adoptUnowned: false,
        dryRun: false,
        maxConcurrency: 32,
      },
      values: ['v'],
      problems: [],
    });
  });

  it.each<[string, RawInputs]>([
    ['undefined', {}],
    [
      'empty strings',
      {
        'content-type': '',
        tags: '',
        'expires-in': '',
        'on-deleted': '',
        'dry-run': '',
        'max-concurrency': '',
        include: '',
        exclude: '',
        'secrets-json': '',
      },
    ],
    [
      'whitespace',
      { 'content-type': ' ', tags: '\n', 'expires-on': ' ', 'adopt-unowned': '  ', 'name-transform': ' ' },
    ],
  ])('treats %s as not set', (_title, raw) => {
    const request = requestOf(parse({ secrets: 'A', ...raw }, { A: 'v' }));
    expect(request).toStrictEqual(requestOf(parse({ secrets: 'A' }, { A: 'v' })));
  });
});

describe('parseRequest: options', () => {
  const booleans = ['adopt-unowned', 'allow-empty', 'dry-run'] as const;
  /** What each boolean turns on, read back from the request. allow-empty shows as an empty value let through. */
  const effect = {
    'adopt-unowned': (r: PushIntent) => r.adoptUnowned,
    'allow-empty': (r: PushIntent) => r.secrets[0]?.value === '',
    'dry-run': (r: PushIntent) => r.dryRun,
  } as const;

  it.each(booleans.flatMap((key) => ['true', 'True', 'TRUE', 'tRuE', ' true '].map((text) => [key, text] as const)))(
    '%s %j is true',
    (key, text) => {
      const request = requestOf(parse({ secrets: 'A', [key]: text }, { A: key === 'allow-empty' ? '' : 'v' }));
      expect(effect[key](request)).toBe(true);
    },
  );

  it.each(booleans.flatMap((key) => ['false', 'False', 'FALSE', ''].map((text) => [key, text] as const)))(
    '%s %j is false',
    (key, text) => {
      const request = requestOf(parse({ secrets: 'A', [key]: text }, { A: 'v' }));
      expect(effect[key](request)).toBe(false);
    },
  );

  it('allow-empty false refuses an empty value', () => {
    expectProblems(parse({ secrets: 'A', 'allow-empty': 'False' }, { A: '' }), ['environment variable A is empty']);
  });

  it.each(booleans.flatMap((key) => ['yes', '1', 'on', 't', 'truee', 'no'].map((text) => [key, text] as const)))(
    '%s %j is refused',
    (key, text) => {
      expectProblems(parse({ secrets: 'A', [key]: text }, { A: 'v' }), [
        `${key}: ${text} is not a boolean; use true or false`,
      ]);
    },
  );

  it.each<[string, string, PushRequest['onDeleted']]>([
    ['recover', 'recover', 'recover'],
    ['fail', 'fail', 'fail'],
    ['purge', 'purge', 'purge'],
    ['any case', 'Recover', 'recover'],
  ])('on-deleted %s', (_title, text, expected) => {
    expect(requestOf(parse({ secrets: 'A', 'on-deleted': text }, { A: 'v' })).onDeleted).toBe(expected);
  });

  it.each([
    ['1', 1],
    ['64', 64],
    [' 8 ', 8],
  ])('max-concurrency %j → %d', (text, n) => {
    expect(requestOf(parse({ secrets: 'A', 'max-concurrency': text }, { A: 'v' })).maxConcurrency).toBe(n);
  });

  it.each<[string, RawInputs, string[]]>([
    ['on-deleted unknown', { 'on-deleted': 'delete' }, ['on-deleted: delete is not one of recover, fail, purge']],
    [
      'name-transform unknown',
      { 'name-transform': 'snake' },
      ['name-transform: snake is not one of dashes, kebab, none'],
    ],
    ['max-concurrency 0', { 'max-concurrency': '0' }, ['max-concurrency: 0 is not a whole number from 1 to 64']],
    ['max-concurrency 65', { 'max-concurrency': '65' }, ['max-concurrency: 65 is not a whole number from 1 to 64']],
    ['max-concurrency -1', { 'max-concurrency': '-1' }, ['is not a whole number from 1 to 64']],
    ['max-concurrency 1.5', { 'max-concurrency': '1.5' }, ['is not a whole number from 1 to 64']],
    ['max-concurrency 1e1', { 'max-concurrency': '1e1' }, ['is not a whole number from 1 to 64']],
    ['max-concurrency text', { 'max-concurrency': 'many' }, ['is not a whole number from 1 to 64']],
  ])('%s', (_title, raw, expected) => {
    expectProblems(parse({ secrets: 'A', ...raw }, { A: 'v' }), expected);
  });
});

describe('parseRequest: no secrets', () => {
  it.each<[string, RawInputs]>([
    ['neither input', {}],
    ['only comments', { secrets: '# nothing yet\n\n' }],
    ['an empty object', { 'secrets-json': ' {} ' }],
  ])('%s', (_title, raw) => {
    expectProblems(parse(raw), [
      'no secrets to push: set secrets (one VARIABLE or vault-secret-name=VARIABLE a line) or secrets-json',
    ]);
  });

  it('does not repeat a malformed secrets-json as "no secrets"', () => {
    expectProblems(parse({ 'secrets-json': '{' }), ['secrets-json: is not valid JSON']);
  });
});

describe('parseRequest: labels of the platform', () => {
  it('names inputs and variables the Azure DevOps way', () => {
    const parsed = parse(
      {
        secrets: 'MISSING\nEMPTY',
        'secrets-json': '{"A":1}',
        'vault-name': undefined,
        'dry-run': 'maybe',
        tags: 'managed-by=x',
      },
      { EMPTY: '' },
      azdoContext({ EMPTY: '' }),
    );
    expect(parsed.problems).toEqual([
      'dryRun: maybe is not a boolean; use true or false',
      'secrets line 1: no pipeline variable of that name is set (the line is not shown, in case it is a value); write the name of a variable that is set, never its value',
      'secrets line 2 (EMPTY): pipeline variable EMPTY is empty; a misspelled secret expands to an empty string; to push it anyway: allowEmpty: true',
      'secretsJson key A: the value must be a string, not a number',
      "no target: set workspaceName (with resourceGroup and subscriptionId), vaultName, or vaultUrl (https://NAME.vault.azure.net); or workspaceConfig PATH (a workspace's config.json)",
      'tags line 1: managed-by is the ownership tag aml-vault-push sets itself; use another tag name',
    ]);
  });
});

describe('parseRequest: every problem at once', () => {
  it('reports all problems of all inputs together, in input order', () => {
    const parsed = parseRequest(
      {
        secrets: 'A\nMISSING\nbad_name=A\nMY.VAR',
        'secrets-json': '{"A":"dup","N":1}',
        'vault-url': 'http://kv1.vault.azure.net/path',
        'content-type': 'c'.repeat(300),
        tags: 'managed-by=x\nnovalue',
        'expires-in': '90d',
        'expires-on': '2020-01-01',
        'on-deleted': 'never',
        'adopt-unowned': 'yes',
        'max-concurrency': '100',
      },
      githubContext({ A: 'v', 'MY.VAR': 'w' }),
      NOW,
    );
    expectProblems(parsed, [
      'adopt-unowned: yes is not a boolean',
      'secrets line 2: no environment variable of that name is set (the line is not shown, in case it is a value)',
      "secrets line 3: the name before '=' is not a valid Key Vault secret name",
      'secrets line 4 (MY.VAR): the derived name MY.VAR is not a valid Key Vault secret name',
      'secrets-json key N: the value must be a string, not a number',
      'secrets line 1 (A) and secrets-json key A both become the secret A',
      'vault-url: must start with https://',
      "vault-url: must be the vault's base URL",
      'content-type: is 300 characters',
      'tags line 1: managed-by is the ownership tag',
      'tags line 2: expected key=value',
      'set expires-in or expires-on, not both',
      'expires-on: 2020-01-01T00:00:00.000Z is not in the future',
      'on-deleted: never is not one of recover, fail, purge',
      'max-concurrency: 100 is not a whole number from 1 to 64',
    ]);
    expect(parsed.values).toEqual(['v', 'v', 'w', 'dup', '1']);
  });
});

describe('parseRequest: no value in any problem', () => {
  /** Every line carries the marker c4n4ry, so a prefix or a single line would be found too. */
  const CANARY = [
    'c4n4ry-1 %25 %AZP25 ; ] ::add-mask:: ##vso[task.setvariable variable=leak]x "double" \'single\' `tick` $(var) ${{ x }}',
    'c4n4ry-2 ünïcødé 秘密 🔑 \\ back',
    '  c4n4ry-3 indented  ',
    'c4n4ry-4',
  ].join('\r\n');
  const markers = ['c4n4ry', '4n4ry', 'ünïcødé', '秘密', '🔑', '##vso[', '::add-mask::', '%AZP25'];

  function expectNoCanary(problems: string[]): void {
    const text = problems.join('\n');
    for (const marker of markers) expect(text).not.toContain(marker);
    for (const fragment of maskFragments(CANARY)) expect(text).not.toContain(fragment);
  }

  it.each<[string, RawInputs, Vars]>([
    [
      'values with every kind of problem',
      {
        secrets:
          'GOOD_BUT_COLLIDES\nGOOD-BUT-COLLIDES=CANARY_VAR\nBAD.NAME\nTOO_BIG\nEMPTY\nUNSET\nbad-name_=CANARY_VAR',
        'secrets-json': JSON.stringify({
          A_KEY: CANARY,
          'BAD.KEY': CANARY,
          NUM: 42,
          OBJ: { nested: CANARY },
          LIST: [CANARY],
          EMPTY_J: '',
          good_but_collides: CANARY,
          BIG_J: CANARY.repeat(300),
        }),
        'vault-name': 'x',
      },
      { GOOD_BUT_COLLIDES: CANARY, CANARY_VAR: CANARY, 'BAD.NAME': CANARY, TOO_BIG: CANARY.repeat(300), EMPTY: '' },
    ],
    [
      'malformed JSON around the value',
      { 'secrets-json': `{"A": ${JSON.stringify(CANARY)}, "B": c4n4ry-unquoted}` },
      {},
    ],
    ['malformed JSON that is the value', { 'secrets-json': CANARY }, {}],
    ['a raw newline of a value inside a JSON string', { 'secrets-json': `{"A": "${CANARY}"}` }, {}],
    ['a JSON string instead of an object', { 'secrets-json': JSON.stringify(CANARY) }, {}],
    [
      'values pasted where variable names belong',
      { secrets: `${CANARY}\ndb-password=${CANARY.split('\r\n')[0] ?? ''}\nx=c4n4ry-5!` },
      {},
    ],
    ['a value pasted as a secret name', { secrets: `c4n4ry!x=A\n${CANARY.split('\r\n')[1] ?? ''}=A` }, { A: 'v' }],
    [
      'a value in the vault URL credentials',
      { 'vault-name': undefined, 'vault-url': 'https://user:c4n4ry-pw@kv1.vault.azure.net', secrets: 'A' },
      { A: 'v' },
    ],
  ])('%s', (_title, raw, vars) => {
    const parsed = parse(raw, vars);
    expect(parsed.problems.length).toBeGreaterThan(0);
    expect(parsed.request).toBeUndefined();
    expectNoCanary(parsed.problems);
  });

  it('returns every value read for masking, also those with problems', () => {
    const parsed = parse(
      {
        secrets: 'BAD.NAME\nTOO_BIG',
        'secrets-json': JSON.stringify({ A: CANARY, NUM: 4242, OBJ: { nested: `${CANARY}-nested` } }),
      },
      { 'BAD.NAME': `${CANARY}-line`, TOO_BIG: CANARY.repeat(300) },
    );
    expect(parsed.values).toEqual([`${CANARY}-line`, CANARY.repeat(300), CANARY, '4242', `${CANARY}-nested`]);
    expectNoCanary(parsed.problems);
  });
});

describe('parseRequest: the names of a request with problems', () => {
  it('lists every valid secret name read, problems or not, once; never a line that is not a name', () => {
    const parsed = parse(
      { secrets: 'A\nbad name here\nx=UNSET\nA\nok!=B', 'secrets-json': '{"k_1": "v", "": "w"}' },
      { A: 'a', B: 'b' },
    );
    expect(parsed.request).toBeUndefined();
    expect(parsed.problems.length).toBeGreaterThan(0);
    expect(parsed.names).toEqual(['A', 'x', 'k-1']);
  });
});

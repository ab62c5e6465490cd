import { maskFragments } from '../../src/core/mask.js';
import { parseRequest, type ParseContext, type Parsed } from '../../src/core/parse-request.js';
import { parseIsoInstant } from '../../src/core/time-inputs.js';
import type { PushIntent, PushRequest, RawInputs } from '../../src/core/types.js';
import { CLOUDS } from '../../src/core/clouds.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const DAY = 86_400_000;

type Vars = Record<string, string | undefined>;

/** GitHub's labels (the input keys themselves) and environment. */
function githubContext(vars: Vars): ParseContext {
  return { label: (key) => key, lookup: (name) => vars[name], variableKind: 'environment variable' };
}

/** Azure DevOps' labels (camelCase) and pipeline variables. */
function azdoContext(vars: Vars): ParseContext {
  return {
    label: (key) => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
    lookup: (name) => vars[name],
    variableKind: 'pipeline variable',
  };
}

/** A vault is always given unless a test is about the target, so each test sees only its own problems. */
function parse(raw: RawInputs, vars: Vars = {}, ctx: ParseContext = githubContext(vars)): Parsed {
  return parseRequest({ 'vault-name': 'kv1', ...raw }, ctx, NOW);
}

/** The problems, in order, each containing its expected fragment; and then no request. */
function expectProblems(parsed: Parsed, expected: string[]): void {
  expect(parsed.problems).toHaveLength(expected.length);
  expected.forEach((fragment, i) => expect(parsed.problems[i]).toContain(fragment));
  expect(parsed.request).toBeUndefined();
}

function requestOf(parsed: Parsed): PushIntent {
  expect(parsed.problems).toEqual([]);
  if (!parsed.request) throw new Error('no request');
  return parsed.request;
}

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
    expect(parsed).toStrictEqual({
      request: {
        target: { kind: 'vault', vaultUrl: 'https://myvault.vault.azure.net' },
        cloud: CLOUDS.AzureCloud,
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
    });
  });

  it('fills in the defaults and sets no optional property', () => {
    expect(parse({ secrets: 'A' }, { A: 'v' })).toStrictEqual({
      request: {
        target: { kind: 'vault', vaultUrl: 'https://kv1.vault.azure.net' },
        cloud: CLOUDS.AzureCloud,
        secrets: [{ name: 'A', value: 'v', origin: 'secrets line 1 (A)' }],
        tags: {},
        onDeleted: 'recover',
        adoptUnowned: false,
        dryRun: false,
        maxConcurrency: 8,
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

describe('parseRequest: secrets lines', () => {
  it.each<[string, string, Vars, Array<[string, string, string]>]>([
    [
      'a variable, name derived',
      'DB_PASSWORD',
      { DB_PASSWORD: 'v' },
      [['DB-PASSWORD', 'v', 'secrets line 1 (DB_PASSWORD)']],
    ],
    [
      'an explicit name, used as written',
      'Db-Pass=DB_PASSWORD',
      { DB_PASSWORD: 'v' },
      [['Db-Pass', 'v', 'secrets line 1 (DB_PASSWORD)']],
    ],
    ['whitespace around the parts', '  name  =  VAR  ', { VAR: 'v' }, [['name', 'v', 'secrets line 1 (VAR)']]],
    [
      'blank and comment lines skipped, numbering kept',
      '\n# one\n  # two\n\nA\n',
      { A: 'v' },
      [['A', 'v', 'secrets line 5 (A)']],
    ],
    [
      'CRLF and CR line ends',
      'A\r\nB\rC',
      { A: '1', B: '2', C: '3' },
      [
        ['A', '1', 'secrets line 1 (A)'],
        ['B', '2', 'secrets line 2 (B)'],
        ['C', '3', 'secrets line 3 (C)'],
      ],
    ],
    [
      'a dotted variable (Azure DevOps style) with a name',
      'db-pass=db.password',
      { 'db.password': 'v' },
      [['db-pass', 'v', 'secrets line 1 (db.password)']],
    ],
    ['a leading underscore', '_X', { _X: 'v' }, [['-X', 'v', 'secrets line 1 (_X)']]],
    ['the value is never trimmed', 'A', { A: '  v \n' }, [['A', '  v \n', 'secrets line 1 (A)']]],
    [
      'a value of exactly 25,600 bytes',
      'A',
      { A: 'x'.repeat(25_600) },
      [['A', 'x'.repeat(25_600), 'secrets line 1 (A)']],
    ],
    [
      '25,600 bytes of two-byte characters',
      'A',
      { A: 'é'.repeat(12_800) },
      [['A', 'é'.repeat(12_800), 'secrets line 1 (A)']],
    ],
    [
      'the same variable under two names',
      'one=A\ntwo=A',
      { A: 'v' },
      [
        ['one', 'v', 'secrets line 1 (A)'],
        ['two', 'v', 'secrets line 2 (A)'],
      ],
    ],
  ])('%s', (_title, secrets, vars, expected) => {
    const request = requestOf(parse({ secrets }, vars));
    expect(request.secrets).toEqual(expected.map(([name, value, origin]) => ({ name, value, origin })));
  });

  it.each<[string, string, string]>([
    ['dashes', 'DB_PASSWORD', 'DB-PASSWORD'],
    ['kebab', 'DB_PASSWORD', 'db-password'],
    ['KEBAB', 'DB_PASSWORD', 'db-password'],
    ['none', 'DBPASSWORD', 'DBPASSWORD'],
    ['dashes', 'Db_Password', 'Db-Password'],
  ])('name-transform %s: %s → %s', (transform, variable, name) => {
    const request = requestOf(parse({ secrets: variable, 'name-transform': transform }, { [variable]: 'v' }));
    expect(request.secrets.map((s) => s.name)).toEqual([name]);
  });

  it('an explicit name is not transformed', () => {
    const request = requestOf(parse({ secrets: 'Keep-Case=A', 'name-transform': 'kebab' }, { A: 'v' }));
    expect(request.secrets[0]?.name).toBe('Keep-Case');
  });

  it.each<[string, RawInputs, Vars, string[]]>([
    ['nothing before =', { secrets: '=VAR' }, { VAR: 'v' }, ["secrets line 1: nothing before '='"]],
    [
      'an invalid explicit name',
      { secrets: 'bad_name=VAR' },
      { VAR: 'v' },
      [
        "secrets line 1: the name before '=' is not a valid Key Vault secret name (1–127 characters of 0-9, a-z, A-Z and -)",
      ],
    ],
    [
      'an explicit name over 127 characters',
      { secrets: `${'n'.repeat(128)}=VAR` },
      { VAR: 'v' },
      ["secrets line 1: the name before '=' is not a valid"],
    ],
    [
      'nothing after =',
      { secrets: 'name=' },
      {},
      ["secrets line 1: the part after '=' is not a valid environment variable name"],
    ],
    [
      'a variable name starting with a digit',
      { secrets: 'name=1VAR' },
      {},
      ["secrets line 1: the part after '=' is not a valid environment variable name"],
    ],
    [
      'a line that is not a variable name',
      { secrets: 'has space' },
      {},
      ['secrets line 1: the line is not a valid environment variable name'],
    ],
    [
      'a derived name Key Vault refuses',
      { secrets: 'MY.VAR' },
      { 'MY.VAR': 'v' },
      [
        'secrets line 1 (MY.VAR): the derived name MY.VAR is not a valid Key Vault secret name (1–127 characters of 0-9, a-z, A-Z and -); write NAME=MY.VAR to choose one',
      ],
    ],
    [
      'a derived name with name-transform none',
      { secrets: 'DB_PASSWORD', 'name-transform': 'none' },
      { DB_PASSWORD: 'v' },
      ['secrets line 1 (DB_PASSWORD): the derived name DB_PASSWORD is not a valid'],
    ],
    [
      'an unset variable',
      { secrets: 'A\nMISSING' },
      { A: 'v' },
      ['secrets line 2 (MISSING): environment variable MISSING is not set'],
    ],
    [
      'an empty value',
      { secrets: 'EMPTY' },
      { EMPTY: '' },
      [
        'secrets line 1 (EMPTY): environment variable EMPTY is empty; a misspelled secret expands to an empty string — set allow-empty: true if intended',
      ],
    ],
    [
      'a value over 25 KB',
      { secrets: 'BIG' },
      { BIG: 'x'.repeat(25_601) },
      ['secrets line 1 (BIG): environment variable BIG is over 25 KB (25601 bytes; Key Vault takes at most 25600)'],
    ],
    ['a value over 25 KB in UTF-8 only', { secrets: 'BIG' }, { BIG: 'é'.repeat(12_801) }, ['over 25 KB (25602 bytes']],
    [
      'an empty value and a bad name on one line',
      { secrets: 'MY.VAR' },
      { 'MY.VAR': '' },
      ['the derived name MY.VAR is not a valid', 'environment variable MY.VAR is empty'],
    ],
  ])('%s', (_title, raw, vars, expected) => {
    expectProblems(parse(raw, vars), expected);
  });

  it('allow-empty lets an empty value through', () => {
    const request = requestOf(parse({ secrets: 'EMPTY', 'allow-empty': 'true' }, { EMPTY: '' }));
    expect(request.secrets).toEqual([{ name: 'EMPTY', value: '', origin: 'secrets line 1 (EMPTY)' }]);
  });

  it('reads each variable once and returns its value for masking even when the line has a problem', () => {
    const lookup = jest.fn((name: string) => ({ 'MY.VAR': 'masked-1', BIG: 'y'.repeat(30_000), EMPTY: '' })[name]);
    const parsed = parseRequest(
      { 'vault-name': 'kv1', secrets: 'MY.VAR\nBIG\nEMPTY\nbad_name=MY.VAR' },
      { label: (k) => k, lookup, variableKind: 'environment variable' },
      NOW,
    );
    expect(parsed.values).toEqual(['masked-1', 'y'.repeat(30_000), '', 'masked-1']);
    expect(lookup.mock.calls.map(([name]) => name)).toEqual(['MY.VAR', 'BIG', 'EMPTY', 'MY.VAR']);
    expect(parsed.problems).toHaveLength(4);
  });
});

describe('parseRequest: secrets-json', () => {
  const keys = JSON.stringify({ A_ONE: '1', a_two: '2', B_ONE: '3', github_token: 't' });

  it.each<[string, RawInputs, string[]]>([
    ['no filter: all but github_token', {}, ['A-ONE', 'a-two', 'B-ONE']],
    ['include, case-insensitive', { include: 'a_*' }, ['A-ONE', 'a-two']],
    ['include lines', { include: 'A_*\nB_ONE' }, ['A-ONE', 'a-two', 'B-ONE']],
    ['include commas', { include: 'A_*, B_ONE' }, ['A-ONE', 'a-two', 'B-ONE']],
    ['include ?', { include: 'a_?WO' }, ['a-two']],
    ['exclude', { exclude: '*_ONE' }, ['a-two']],
    ['include and exclude', { include: '*', exclude: 'b*' }, ['A-ONE', 'a-two']],
    ['include * does not name github_token', { include: '*' }, ['A-ONE', 'a-two', 'B-ONE']],
    ['include github_* does not name github_token', { include: 'github_*,A_ONE' }, ['A-ONE']],
    ['include naming github_token literally, any case', { include: 'GITHUB_TOKEN' }, ['github-token']],
    ['exclude wins over a literal include', { include: 'github_token, A_ONE', exclude: 'github*' }, ['A-ONE']],
    ['kebab names', { 'name-transform': 'kebab', include: 'A_*' }, ['a-one', 'a-two']],
  ])('%s', (_title, raw, names) => {
    const request = requestOf(parse({ 'secrets-json': keys, ...raw }));
    expect(request.secrets.map((s) => s.name)).toEqual(names);
  });

  it('names the origin by key and keeps the value untouched', () => {
    const request = requestOf(parse({ 'secrets-json': '{"DB_PASSWORD":" p\\n2 "}' }));
    expect(request.secrets).toEqual([{ name: 'DB-PASSWORD', value: ' p\n2 ', origin: 'secrets-json key DB_PASSWORD' }]);
  });

  it('mixes with secrets lines, lines first', () => {
    const request = requestOf(parse({ secrets: 'A', 'secrets-json': '{"B":"2"}' }, { A: '1' }));
    expect(request.secrets.map((s) => s.origin)).toEqual(['secrets line 1 (A)', 'secrets-json key B']);
  });

  it.each<[string, string, string[]]>([
    [
      'an unquoted value',
      '{"A": x}',
      [
        'secrets-json: is not valid JSON: unexpected character at line 1, column 7 (the text is not shown: it holds secret values)',
      ],
    ],
    [
      'a position on a later line',
      '{\n  "A": "v",\n  "B": nope\n}',
      ['is not valid JSON: unexpected character at line 3, column 8'],
    ],
    ['CRLF lines', '{\r\n"A": "v",\r\n"B": nope\r\n}', ['unexpected character at line 3, column 6']],
    ['a trailing comma', '{"A":"v",}', ['expected a double-quoted property name at line 1, column 10']],
    ['a missing colon', '{"A" "v"}', ["expected ':' after a property name at line 1, column 6"]],
    ['a missing comma', '{"A":"v" "B":"w"}', ["expected ',' or '}' at line 1, column 10"]],
    ['an unterminated string', '{"A":"unterminated', ['unterminated string at line 1, column 19']],
    [
      'a raw newline in a string',
      '{"A":"a\nb"}',
      ['control character in a string (a newline must be written \\n) at line 1, column 8'],
    ],
    ['a bad escape', '{"A":"\\q"}', ['invalid escape in a string at line 1, column 7']],
    ['text after the object', '{"A":"v"} x', ['unexpected text after the JSON value at line 1, column 11']],
    ['a truncated object', '{"A":"v"', ['unexpected end of input at line 1, column 9']],
    ['an invalid number', '{"A": -x}', ['invalid number at line 1, column 7']],
    ['single quotes', "{'A':'v'}", ['expected a double-quoted property name at line 1, column 2']],
    ['a bad array', '[1,]', ['unexpected character at line 1, column 4']],
    ['a byte-order mark', '\uFEFF{}', ['unexpected character at line 1, column 1']],
    ['an array', '["a"]', ['secrets-json: must be a JSON object of secret name to string value, not an array']],
    ['a string', '"just text"', ['not a string']],
    ['null', 'null', ['not null']],
    ['a number', '42', ['not a number']],
    [
      'values that are not strings, by key',
      '{"A": 1, "B": null, "C": {"x": "y"}, "D": true, "E": ["e"]}',
      [
        'secrets-json key A: the value must be a string, not a number',
        'secrets-json key B: the value must be a string, not null',
        'secrets-json key C: the value must be a string, not an object',
        'secrets-json key D: the value must be a string, not a boolean',
        'secrets-json key E: the value must be a string, not an array',
      ],
    ],
    [
      'a derived name Key Vault refuses',
      '{"MY.KEY":"v"}',
      [
        'secrets-json key MY.KEY: the derived name MY.KEY is not a valid Key Vault secret name (1–127 characters of 0-9, a-z, A-Z and -); exclude the key or rename it',
      ],
    ],
    [
      'an empty value',
      '{"A":""}',
      [
        'secrets-json key A: the value is empty; a misspelled secret expands to an empty string — set allow-empty: true if intended',
      ],
    ],
    [
      'a value over 25 KB',
      JSON.stringify({ A: 'z'.repeat(25_601) }),
      ['secrets-json key A: the value is over 25 KB (25601 bytes; Key Vault takes at most 25600)'],
    ],
    [
      'an empty object',
      '{}',
      ['no secrets to push: set secrets (one VARIABLE or vault-secret-name=VARIABLE a line) or secrets-json'],
    ],
    [
      'only github_token',
      '{"github_token":"t"}',
      ['no secrets to push (include/exclude left none of the 1 keys of secrets-json)'],
    ],
    [
      'a key that looks like a logging command',
      '{"a b##vso[x]":"v"}',
      ['secrets-json key "a b\\u0023\\u0023vso[x]": the derived name "a b\\u0023\\u0023vso[x]" is not a valid'],
    ],
  ])('%s', (_title, json, expected) => {
    expectProblems(parse({ 'secrets-json': json }), expected);
  });

  it.each<[string, RawInputs, string[]]>([
    [
      'include without secrets-json',
      { secrets: 'A', include: 'X' },
      ['include: applies to the keys of secrets-json, which is not set'],
    ],
    [
      'exclude without secrets-json',
      { secrets: 'A', exclude: 'X' },
      ['exclude: applies to the keys of secrets-json, which is not set'],
    ],
    [
      'include matching nothing',
      { 'secrets-json': '{"A":"1","B":"2"}', include: 'github_toke?' },
      ['no secrets to push (include/exclude left none of the 2 keys of secrets-json)'],
    ],
  ])('%s', (_title, raw, expected) => {
    expectProblems(parse(raw, { A: 'v' }), expected);
  });

  it('keeps a key like __proto__ as an ordinary key', () => {
    const request = requestOf(parse({ 'secrets-json': '{"__proto__":"v"}' }));
    expect(request.secrets).toEqual([{ name: '--proto--', value: 'v', origin: 'secrets-json key __proto__' }]);
  });
});

describe('parseRequest: collisions', () => {
  it.each<[string, RawInputs, string[]]>([
    [
      'a derived and an explicit name',
      { secrets: 'DB_PASSWORD\nDB-PASSWORD=OTHER' },
      [
        'secrets line 1 (DB_PASSWORD) and secrets line 2 (OTHER) both become the secret DB-PASSWORD (Key Vault names ignore case); give one another name',
      ],
    ],
    [
      'names differing in case only',
      { secrets: 'db_password\nDB_PASSWORD' },
      [
        'secrets line 1 (db_password) and secrets line 2 (DB_PASSWORD) both become the secret db-password / DB-PASSWORD',
      ],
    ],
    [
      'names equal after kebab',
      { secrets: 'DB_PASSWORD\ndb_password', 'name-transform': 'kebab' },
      ['both become the secret db-password (Key Vault'],
    ],
    [
      'names equal after dashes',
      { secrets: 'A_B\nA-B=OTHER' },
      ['secrets line 1 (A_B) and secrets line 2 (OTHER) both become the secret A-B'],
    ],
    [
      'across inputs',
      { secrets: 'A_B', 'secrets-json': '{"a_b":"v"}' },
      ['secrets line 1 (A_B) and secrets-json key a_b both become the secret A-B / a-b'],
    ],
    [
      'three at once',
      { secrets: 'X=A_B\nx=OTHER', 'secrets-json': '{"X":"v"}', 'name-transform': 'none' },
      ['secrets line 1 (A_B) and secrets line 2 (OTHER)', 'secrets line 1 (A_B) and secrets-json key X'],
    ],
  ])('%s', (_title, raw, expected) => {
    expectProblems(parse(raw, { DB_PASSWORD: '1', db_password: '2', OTHER: '3', A_B: '4' }), expected);
  });
});

describe('parseRequest: target', () => {
  it.each<[string, RawInputs, string]>([
    [
      'a vault URL with a trailing slash',
      { 'vault-url': 'https://kv1.vault.azure.net/' },
      'https://kv1.vault.azure.net',
    ],
    ['an upper-case host', { 'vault-url': 'https://KV1.Vault.Azure.Net' }, 'https://kv1.vault.azure.net'],
    ['the default port', { 'vault-url': 'https://kv1.vault.azure.net:443/' }, 'https://kv1.vault.azure.net'],
    ['a local emulator with a port', { 'vault-url': 'https://localhost:8443/' }, 'https://localhost:8443'],
    ['a loopback IPv4 address', { 'vault-url': 'https://127.0.0.1:8443' }, 'https://127.0.0.1:8443'],
    ['a loopback IPv6 address', { 'vault-url': 'https://[::1]:8443' }, 'https://[::1]:8443'],
    ['surrounding whitespace', { 'vault-url': '  https://kv1.vault.azure.net \n' }, 'https://kv1.vault.azure.net'],
    ['a vault name', { 'vault-name': 'My-Vault1' }, 'https://my-vault1.vault.azure.net'],
  ])('%s', (_title, raw, vaultUrl) => {
    const request = requestOf(parseRequest({ secrets: 'A', ...raw }, githubContext({ A: 'v' }), NOW));
    expect(request.target).toEqual({ kind: 'vault', vaultUrl });
  });

  it.each<[string, RawInputs, string[]]>([
    [
      'neither',
      {},
      [
        'no target: set workspace-name (with resource-group and subscription-id), vault-name, or vault-url (https://NAME.vault.azure.net)',
      ],
    ],
    [
      'both',
      { 'vault-url': 'https://kv1.vault.azure.net', 'vault-name': 'kv1' },
      ['set one of vault-url, vault-name, workspace-name, not vault-url and vault-name'],
    ],
    [
      'both, each also invalid',
      { 'vault-url': 'http://x', 'vault-name': 'x' },
      [
        'not vault-url and vault-name',
        'vault-url: must start with https://',
        'vault-name: x is not a valid vault name',
      ],
    ],
    [
      'http',
      { 'vault-url': 'http://kv1.vault.azure.net' },
      ['vault-url: must start with https:// (Key Vault is reached over TLS only), not http://'],
    ],
    [
      'not a URL',
      { 'vault-url': 'kv1.vault.azure.net' },
      ['vault-url: is not a URL; expected https://NAME.vault.azure.net'],
    ],
    [
      'credentials',
      { 'vault-url': 'https://user:hunter2@kv1.vault.azure.net' },
      ['vault-url: must not contain a user name or password'],
    ],
    [
      'a user name only',
      { 'vault-url': 'https://user@kv1.vault.azure.net' },
      ['must not contain a user name or password'],
    ],
    [
      'a path',
      { 'vault-url': 'https://kv1.vault.azure.net/secrets/x' },
      ["vault-url: must be the vault's base URL (https://host[:port]), without a path, query or fragment"],
    ],
    ['a double slash', { 'vault-url': 'https://kv1.vault.azure.net//' }, ["must be the vault's base URL"]],
    ['a query', { 'vault-url': 'https://kv1.vault.azure.net/?api-version=7.4' }, ["must be the vault's base URL"]],
    ['an empty query', { 'vault-url': 'https://kv1.vault.azure.net?' }, ["must be the vault's base URL"]],
    ['a fragment', { 'vault-url': 'https://kv1.vault.azure.net#x' }, ["must be the vault's base URL"]],
    ['http and a path', { 'vault-url': 'http://kv1/x' }, ['must start with https://', "must be the vault's base URL"]],
    [
      'a short vault name',
      { 'vault-name': 'ab' },
      [
        'vault-name: ab is not a valid vault name (3–24 characters of letters, digits and -, starting with a letter, ending with a letter or digit, no --)',
      ],
    ],
    ['a long vault name', { 'vault-name': 'a'.repeat(25) }, ['is not a valid vault name']],
    ['a vault name starting with a digit', { 'vault-name': '1vault' }, ['is not a valid vault name']],
    ['a vault name ending with a dash', { 'vault-name': 'vault-' }, ['is not a valid vault name']],
    ['a vault name with --', { 'vault-name': 'my--vault' }, ['is not a valid vault name']],
    ['a vault name with _', { 'vault-name': 'my_vault' }, ['is not a valid vault name']],
    [
      'a vault name given as a URL',
      { 'vault-name': 'https://kv1.vault.azure.net' },
      ['vault-name: "https://kv1.vault.azure.net" is not a valid vault name'],
    ],
  ])('%s', (_title, raw, expected) => {
    const parsed = parseRequest({ secrets: 'A', ...raw }, githubContext({ A: 'v' }), NOW);
    expectProblems(parsed, expected);
    expect(parsed.problems.join('\n')).not.toContain('hunter2');
  });
});

describe('parseRequest: content type and tags', () => {
  it.each<[string, RawInputs, Partial<PushRequest>]>([
    ['a content type', { 'content-type': ' application/x-pem-file ' }, { contentType: 'application/x-pem-file' }],
    ['a content type of 255 characters', { 'content-type': 'c'.repeat(255) }, { contentType: 'c'.repeat(255) }],
    ['tags on lines', { tags: 'a=1\nb=2' }, { tags: { a: '1', b: '2' } }],
    ['tags with commas and spaces', { tags: ' a = 1 , b=2,\n c=3 ' }, { tags: { a: '1', b: '2', c: '3' } }],
    ['a value with =', { tags: 'url=a=b' }, { tags: { url: 'a=b' } }],
    ['an empty value', { tags: 'empty=' }, { tags: { empty: '' } }],
    ['comment and blank lines', { tags: '# ours\n\nteam=ml' }, { tags: { team: 'ml' } }],
    [
      '13 tags',
      { tags: Array.from({ length: 13 }, (_, i) => `t${i}=v`).join('\n') },
      { tags: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`t${i}`, 'v'])) },
    ],
    [
      '512-character name and value',
      { tags: `${'k'.repeat(512)}=${'v'.repeat(512)}` },
      { tags: { ['k'.repeat(512)]: 'v'.repeat(512) } },
    ],
    [
      'a key like __proto__',
      { tags: '__proto__=x' },
      { tags: JSON.parse('{"__proto__":"x"}') as Record<string, string> },
    ],
  ])('%s', (_title, raw, expected) => {
    expect(requestOf(parse({ secrets: 'A', ...raw }, { A: 'v' }))).toMatchObject(expected);
  });

  it('a __proto__ tag is an own key, not a prototype', () => {
    const { tags } = requestOf(parse({ secrets: 'A', tags: '__proto__=x' }, { A: 'v' }));
    expect(Object.keys(tags)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });

  it.each<[string, RawInputs, string[]]>([
    [
      'a content type over 255 characters',
      { 'content-type': 'c'.repeat(256) },
      ['content-type: is 256 characters; Key Vault takes at most 255'],
    ],
    ['no =', { tags: 'a=1\nnovalue' }, ['tags line 2: expected key=value']],
    ['no key', { tags: '=v' }, ["tags line 1: a tag needs a name before '='"]],
    [
      'the managed-by tag',
      { tags: 'managed-by=me' },
      ['tags line 1: managed-by is the ownership tag aml-vault-push sets itself; use another tag name'],
    ],
    [
      'the owner tag, in another case',
      { tags: 'AML-VAULT-PUSH-OWNER=me' },
      ['tags line 1: AML-VAULT-PUSH-OWNER is the ownership tag'],
    ],
    [
      'a key twice, case-insensitively',
      { tags: 'a=1\nA=2' },
      ['tags line 2: tag A is given twice (tag names compare case-insensitively)'],
    ],
    [
      'a key of 513 characters',
      { tags: `${'k'.repeat(513)}=v` },
      ['tags line 1: a tag name is 513 characters; Key Vault takes at most 512'],
    ],
    [
      'a value of 513 characters',
      { tags: `k=${'v'.repeat(513)}` },
      ['tags line 1: the value of tag k is 513 characters; Key Vault takes at most 512'],
    ],
    [
      '14 tags',
      { tags: Array.from({ length: 14 }, (_, i) => `t${i}=v`).join(',') },
      ['tags: 14 tags; at most 13 (Key Vault takes 15 a secret and aml-vault-push adds 2 ownership tags)'],
    ],
  ])('%s', (_title, raw, expected) => {
    expectProblems(parse({ secrets: 'A', ...raw }, { A: 'v' }), expected);
  });
});

describe('parseRequest: expiry', () => {
  it.each<[string, RawInputs, Partial<PushRequest>]>([
    ['minutes', { 'expires-in': '30m' }, { expiresInMs: 30 * 60_000 }],
    ['hours', { 'expires-in': '12h' }, { expiresInMs: 12 * 3_600_000 }],
    ['days', { 'expires-in': '90d' }, { expiresInMs: 90 * DAY }],
    ['weeks', { 'expires-in': '2w' }, { expiresInMs: 14 * DAY }],
    ['a space before the unit', { 'expires-in': ' 7 d ' }, { expiresInMs: 7 * DAY }],
    ['a date', { 'expires-on': '2025-12-31' }, { expiresOn: new Date('2025-12-31T00:00:00Z') }],
    ['a UTC date-time', { 'expires-on': '2025-12-31T18:00:00Z' }, { expiresOn: new Date('2025-12-31T18:00:00Z') }],
    [
      'an offset and a fraction',
      { 'expires-on': '2025-12-31T18:00:00.5+02:00' },
      { expiresOn: new Date('2025-12-31T16:00:00.500Z') },
    ],
    [
      'minutes only and a compact offset',
      { 'expires-on': '2025-12-31T18:00-0130' },
      { expiresOn: new Date('2025-12-31T19:30:00Z') },
    ],
    [
      'a space as separator, lower-case z',
      { 'expires-on': '2025-12-31 18:00:00z' },
      { expiresOn: new Date('2025-12-31T18:00:00Z') },
    ],
    ['a leap day', { 'expires-on': '2028-02-29' }, { expiresOn: new Date('2028-02-29T00:00:00Z') }],
    ['not-before in the past', { 'not-before': '2000-02-29' }, { notBefore: new Date('2000-02-29T00:00:00Z') }],
    [
      'not-before before expires-on',
      { 'not-before': '2025-07-01T00:00:00Z', 'expires-on': '2025-07-02' },
      { notBefore: new Date('2025-07-01T00:00:00Z'), expiresOn: new Date('2025-07-02T00:00:00Z') },
    ],
    [
      'not-before with expires-in',
      { 'not-before': '2030-01-01', 'expires-in': '1d' },
      { notBefore: new Date('2030-01-01T00:00:00Z'), expiresInMs: DAY },
    ],
  ])('%s', (_title, raw, expected) => {
    expect(requestOf(parse({ secrets: 'A', ...raw }, { A: 'v' }))).toMatchObject(expected);
  });

  it.each([['0d'], ['-1d'], ['90'], ['d'], ['1.5d'], ['90D'], ['3M'], ['1y'], ['P90D'], ['90 days']])(
    'expires-in %j is refused',
    (text) => {
      expectProblems(parse({ secrets: 'A', 'expires-in': text }, { A: 'v' }), [
        `expires-in: ${text.includes(' ') ? `"${text}"` : text} is not a duration; write a positive whole number and a unit m, h, d or w (e.g. 90d)`,
      ]);
    },
  );

  it.each<[string, RawInputs, string[]]>([
    ['expires-in too far', { 'expires-in': '999999999999w' }, ['expires-in: is too far in the future']],
    ['both expiries', { 'expires-in': '90d', 'expires-on': '2026-01-01' }, ['set expires-in or expires-on, not both']],
    [
      'a date-time without a time zone',
      { 'expires-on': '2025-12-31T18:00:00' },
      ['expires-on: "2025-12-31T18:00:00" has no time zone; add Z for UTC or an offset such as +02:00'],
    ],
    [
      'a day that does not exist',
      { 'expires-on': '2025-02-30' },
      ['expires-on: 2025-02-30 is not a valid calendar date (years 1970–9999)'],
    ],
    ['no leap day that year', { 'expires-on': '2027-02-29' }, ['is not a valid calendar date']],
    ['no leap day in 2100', { 'expires-on': '2100-02-29' }, ['is not a valid calendar date']],
    ['month 13', { 'expires-on': '2025-13-01' }, ['is not a valid calendar date']],
    ['day 0', { 'expires-on': '2025-12-00' }, ['is not a valid calendar date']],
    ['hour 24', { 'expires-on': '2025-12-31T24:00Z' }, ['is not a valid time of day']],
    ['a bad offset', { 'expires-on': '2025-12-31T12:00+24:00' }, ['is not a valid time of day']],
    [
      'not ISO',
      { 'expires-on': '31/12/2025' },
      ['expires-on: "31/12/2025" is not an ISO 8601 date (2030-12-31) or date-time (2030-12-31T18:00:00Z)'],
    ],
    ['a year before 1970', { 'not-before': '1969-12-31' }, ['not-before: 1969-12-31 is not a valid calendar date']],
    [
      'expires-on in the past',
      { 'expires-on': '2025-05-31' },
      ['expires-on: 2025-05-31T00:00:00.000Z is not in the future'],
    ],
    ['expires-on now', { 'expires-on': '2025-06-01T00:00:00Z' }, ['is not in the future']],
    [
      'not-before after expires-on',
      { 'not-before': '2025-08-01', 'expires-on': '2025-07-01' },
      ['not-before: must be earlier than expires-on'],
    ],
    ['not-before not ISO', { 'not-before': 'tomorrow' }, ['not-before: tomorrow is not an ISO 8601 date']],
  ])('%s', (_title, raw, expected) => {
    expectProblems(parse({ secrets: 'A', ...raw }, { A: 'v' }), expected);
  });

  it.each<[string, string]>([
    ['2025-06-01', '2025-06-01T00:00:00.000Z'],
    ['2025-06-01T12:34:56.789123Z', '2025-06-01T12:34:56.789Z'],
    ['2025-06-01T00:30+01:00', '2025-05-31T23:30:00.000Z'],
  ])('parseIsoInstant(%s) → %s', (text, iso) => {
    const parsed = parseIsoInstant(text);
    expect(parsed instanceof Date && parsed.toISOString()).toBe(iso);
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
      'secrets line 1 (MISSING): pipeline variable MISSING is not set',
      'secrets line 2 (EMPTY): pipeline variable EMPTY is empty; a misspelled secret expands to an empty string — set allowEmpty: true if intended',
      'secretsJson key A: the value must be a string, not a number',
      'no target: set workspaceName (with resourceGroup and subscriptionId), vaultName, or vaultUrl (https://NAME.vault.azure.net)',
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
      'secrets line 2 (MISSING): environment variable MISSING is not set',
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

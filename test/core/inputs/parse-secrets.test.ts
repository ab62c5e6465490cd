// The secrets: `secrets` lines, `secrets-json` with include/exclude, and names that collide.
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import type { Vars } from '../../helpers/parse.js';
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import { NOW, expectProblems, githubContext, parse, requestOf } from '../../helpers/parse.js';
import type { GivenSecret } from '../../../src/core/inputs/input-reader.js';

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
      [
        'secrets line 2: no environment variable of that name is set (the line is not shown, in case it is a value); write the name of a variable that is set, never its value',
      ],
    ],
    [
      'an empty value',
      { secrets: 'EMPTY' },
      { EMPTY: '' },
      [
        'secrets line 1 (EMPTY): environment variable EMPTY is empty; a misspelled secret expands to an empty string; to push it anyway: allow-empty: true',
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
      { label: (k) => k, lookup, variableNames: () => [], variableKind: 'environment variable' },
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
        'secrets-json, key number 1 (not shown, in case it is a value): it is not a valid Key Vault secret name (1–127 characters of 0-9, a-z, A-Z and -); exclude the key or rename it',
      ],
    ],
    [
      'an empty value',
      '{"A":""}',
      [
        'secrets-json key A: the value is empty; a misspelled secret expands to an empty string; to push it anyway: allow-empty: true',
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
      '{"A":"v","a b##vso[x]":"v"}',
      ['secrets-json, key number 2 (not shown, in case it is a value): it is not a valid'],
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

describe('one given secret (the CLI set NAME)', () => {
  const ctx = (given: GivenSecret) => ({ ...githubContext({}), given });

  it('is the one secret, checked like every value; its origin says where the value came from', () => {
    const parsed = parseRequest(
      { 'vault-name': 'kv1' },
      ctx({ name: 'db-pass', value: 'v1', from: 'from standard input' }),
    );
    expect(parsed.request?.secrets).toEqual([
      { name: 'db-pass', value: 'v1', origin: 'db-pass (from standard input)' },
    ]);
    expect(parsed.values).toEqual(['v1']);
  });

  it('refuses an empty value without allow-empty, one over 25 KB, and an invalid name (not shown)', () => {
    const empty = parseRequest(
      { 'vault-name': 'kv1' },
      ctx({ name: 'db-pass', value: '', from: 'typed at the prompt' }),
    );
    expect(empty.problems).toEqual([
      expect.stringMatching(/^db-pass \(typed at the prompt\): the value is empty; .*allow-empty/),
    ]);
    const ok = parseRequest(
      { 'vault-name': 'kv1', 'allow-empty': 'true' },
      ctx({ name: 'db-pass', value: '', from: 'x' }),
    );
    expect(ok.problems).toEqual([]);
    const big = parseRequest({ 'vault-name': 'kv1' }, ctx({ name: 'db-pass', value: 'é'.repeat(12_801), from: 'x' }));
    expect(big.problems).toEqual([expect.stringContaining('is over 25 KB (25602 bytes')]);
    const bad = parseRequest({ 'vault-name': 'kv1' }, ctx({ name: 'my secret value', value: 'v', from: 'x' }));
    expect(bad.problems).toEqual([expect.stringMatching(/^NAME: not a valid Key Vault secret name/)]);
    expect(JSON.stringify(bad)).not.toContain('my secret value');
  });

  it('a value that could not be read is reported with every other problem', () => {
    const parsed = parseRequest(
      { 'vault-name': 'x' },
      ctx({ name: 'db-pass', value: '', from: 'not read', problem: '--env: environment variable X is not set' }),
    );
    expect(parsed.problems).toEqual([
      '--env: environment variable X is not set',
      expect.stringMatching(/^vault-name: x is not a valid vault name/),
    ]);
  });
});

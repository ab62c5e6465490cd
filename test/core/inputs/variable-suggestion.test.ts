// "Did you mean NAME?": which set variable is close to what was written, and when nothing may be suggested.
import { didYouMean, suggestVariable } from '../../../src/core/inputs/variable-suggestion.js';

const ENV: Record<string, string> = {
  DB_PASSWORD: 'pw-value',
  HF_TOKEN: 'hf_AbCd1234567',
  GITHUB_TOKEN: 'ghs_x',
  AZURE_CLIENT_ID: 'id',
  'db.user': 'u',
  PATH: '/usr/bin',
};
const suggest = (written: string, env: Record<string, string> = ENV) =>
  suggestVariable(written, Object.keys(env), (name) => env[name]);

describe('suggestVariable', () => {
  it.each<[string, string, string | undefined]>([
    ['another letter case', 'db_password', 'DB_PASSWORD'],
    ['a missing _', 'DBPASSWORD', 'DB_PASSWORD'],
    ['- for _', 'DB-PASSWORD', 'DB_PASSWORD'],
    ['one typo', 'DB_PASWORD', 'DB_PASSWORD'],
    ['two typos in a long name', 'DB_PASSWROD', 'DB_PASSWORD'],
    ['a . name', 'DB_USER', 'db.user'],
    // A plain word that is part of a name may be the value it holds: not suggested.
    ['the last part of a name', 'PASSWORD', undefined],
    ['the first part of a name', 'AZURE', undefined],
    ['nothing close', 'SOMETHING_ELSE', undefined],
    ['a short name: no typo allowed', 'PAT', undefined],
    ['a token far from every name', 'hf_AbCd9999999', undefined],
    ['blank', '  ', undefined],
  ])('%s: %s', (_title, written, expected) => {
    expect(suggest(written)).toBe(expected);
  });

  it.each([
    ['the value of the variable it would suggest', { HF_TOKENS: 'HF_TOKEN' }, 'HF_TOKEN'],
    ['the value of another variable', { DB_PASSWORD: 'x', SECRET: 'db_password' }, 'db_password'],
    ['a value with blanks around it', { DB_PASSWORD: 'x', SECRET: ' DBPASSWORD ' }, 'DBPASSWORD'],
  ])('suggests nothing for text that is %s', (_title, env, written) => {
    expect(suggest(written, env)).toBeUndefined();
  });

  it('prefers the same letters over a typo, then the first name in order', () => {
    expect(suggest('AB_CD', { ABCD: '1', AB_CE: '2' })).toBe('ABCD');
    expect(suggest('ABCDEF', { ABCDEX: '1', ABCDEG: '2' })).toBe('ABCDEG');
  });

  it('never suggests the text itself', () => {
    expect(suggest('PATH')).toBeUndefined();
  });

  it('renders the hint, or nothing', () => {
    expect(didYouMean('DB_PASSWORD')).toBe('; did you mean DB_PASSWORD?');
    expect(didYouMean(undefined)).toBe('');
  });
});

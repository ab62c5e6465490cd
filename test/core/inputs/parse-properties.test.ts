// The properties of every version: content type, tags, expiry and not-before.
import type { PushRequest } from '../../../src/core/common/types.js';
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import { parseIsoInstant } from '../../../src/core/inputs/time-inputs.js';
import { DAY, expectProblems, parse, requestOf } from '../../helpers/parse.js';

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

describe('parseRequest: time limits', () => {
  it('reads call-timeout and run-deadline into the request, in ms', () => {
    const request = requestOf(parse({ secrets: 'V', 'call-timeout': '45s', 'run-deadline': '2h' }, { V: 'v' }));
    expect([request.callTimeoutMs, request.runDeadlineMs]).toEqual([45_000, 7_200_000]);
  });

  it('leaves them unset when not given (the engine has the defaults)', () => {
    const request = requestOf(parse({ secrets: 'V' }, { V: 'v' }));
    expect([request.callTimeoutMs, request.runDeadlineMs]).toEqual([undefined, undefined]);
  });

  it.each([
    ['call-timeout', '0s'],
    ['call-timeout', '11m'],
    ['call-timeout', '30'],
    ['call-timeout', '1d'],
    ['run-deadline', '30s'],
    ['run-deadline', '7h'],
    ['run-deadline', '1w'],
  ])('%s %p is refused, naming the input and the range', (key, text) => {
    const parsed = parse({ secrets: 'V', [key]: text }, { V: 'v' });
    expectProblems(parsed, [`${key}: ${text} is not a duration from`]);
  });
});

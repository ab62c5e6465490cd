import { maskAll, maskFragments } from '../../../src/core/common/mask.js';

describe('maskFragments', () => {
  it.each([
    ['a single line', 'abc', ['abc']],
    ['surrounding whitespace trimmed', '  abc \t', ['abc']],
    ['LF lines', 'a\nb', ['a\nb', 'a', 'b']],
    ['CRLF, CR and LF, trailing newline', 'a\r\nb\rc\n', ['a\r\nb\rc', 'a', 'b', 'c']],
    ['lines trimmed and deduplicated', ' x \n x ', ['x \n x', 'x']],
    ['blank lines dropped', 'line\n\n  \nline2', ['line\n\n  \nline2', 'line', 'line2']],
    ['whole value equal to its only line', '\nonly\n', ['only']],
    ['repeated lines once', 'same\nsame', ['same\nsame', 'same']],
    ['empty value', '', []],
    ['whitespace only', ' \n\t\r\n ', []],
    [
      'a PEM key',
      '-----BEGIN KEY-----\nMIIB\n-----END KEY-----\n',
      ['-----BEGIN KEY-----\nMIIB\n-----END KEY-----', '-----BEGIN KEY-----', 'MIIB', '-----END KEY-----'],
    ],
    ['non-ASCII kept', 'pässwörd 秘密\n🔑', ['pässwörd 秘密\n🔑', 'pässwörd 秘密', '🔑']],
  ])('%s', (_title, value, expected) => {
    expect(maskFragments(value)).toEqual(expected);
  });

  it('puts the whole value first', () => {
    expect(maskFragments('b\na')[0]).toBe('b\na');
  });
});

describe('maskAll', () => {
  it.each([
    ['each fragment of each value, in order', ['a\nb', 'c'], ['a\nb', 'a', 'b', 'c']],
    ['a fragment registered once across values', ['a\nb', 'b', 'a\nb'], ['a\nb', 'a', 'b']],
    ['empty values register nothing', ['', '  '], []],
    ['no values', [], []],
  ])('%s', (_title, values, expected) => {
    const masked: string[] = [];
    maskAll(values, { mask: (fragment) => masked.push(fragment) });
    expect(masked).toEqual(expected);
  });
});

// Where a malformed secrets-json breaks, never what: JSON.parse's own message quotes the text around
// the error (on Node 20 even the offending character), which can be part of a secret value.

/** "unexpected character at line 3, column 12": found by a small scanner, since JSON.parse's message quotes the text. */
export function describeJsonError(text: string): string {
  let found: JsonSyntaxError | undefined;
  try {
    scanJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) found = e;
  }
  if (found === undefined) return 'it could not be parsed';
  const before = text.slice(0, found.offset);
  const lineStarts = [...before.matchAll(/\r\n|\r|\n/g)];
  const last = lineStarts.at(-1);
  const column = last === undefined ? found.offset + 1 : found.offset - (last.index + last[0].length) + 1;
  return `${found.what} at line ${lineStarts.length + 1}, column ${column}`;
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {
    super(what);
  }
}

/** Throws JsonSyntaxError at the first offset where `text` stops being JSON (RFC 8259). */
function scanJson(text: string): void {
  let i = 0;
  const fail = (what: string, atEnd = 'unexpected end of input'): never => {
    throw new JsonSyntaxError(i, i >= text.length ? atEnd : what);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const expect = (c: string, what: string): void => {
    if (text[i] !== c) fail(what);
    i++;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('unterminated string', 'unterminated string');
      else if (c === '"') return void i++;
      else if (c === '\\') {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('invalid escape in a string');
      } else if (c < ' ') fail('control character in a string (a newline must be written \\n)');
      else i++;
    }
  };
  const number = (): void => {
    const re = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    re.lastIndex = i;
    if (!re.test(text)) fail('invalid number');
    i = re.lastIndex;
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail('expected a double-quoted property name');
        string();
        skipSpace();
        expect(':', "expected ':' after a property name");
        value();
        skipSpace();
        if (text[i] === ',') i++;
        else return expect('}', "expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        skipSpace();
        if (text[i] === ',') i++;
        else return expect(']', "expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
    if (literal === undefined) fail('unexpected character');
    else i += literal.length;
  };
  value();
  skipSpace();
  if (i < text.length) fail('unexpected text after the JSON value');
}

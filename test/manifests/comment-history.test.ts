// Comments say what a file is and why, never which issue or pull request brought it: that history is git's,
// and a number means nothing to the next reader. Every comment of src/ and emulator/ (found by TypeScript's own
// scanner, so strings and code do not count) is checked for an issue or pull-request number.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '../..');

/** "issue 14", "Issue #14", "issues 3 and 4", "(#14)", "PR 12", "pull request #7". */
const HISTORY = /\bissues?\s*#?\d+|\(#\d+\)|\b(?:PR|pull request)\s*#?\d+/i;

/** Each comment of a TypeScript or JavaScript source, with the line it starts on. */
function commentsOf(text: string): { line: number; text: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const found: { line: number; text: string }[] = [];
  // Template literals are scanned in pieces: a '}' that closes a `${…}` goes back into the template.
  const braces: ('block' | 'template')[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia)
      found.push({ line: text.slice(0, scanner.getTokenStart()).split('\n').length, text: scanner.getTokenText() });
    else if (kind === ts.SyntaxKind.OpenBraceToken) braces.push('block');
    else if (kind === ts.SyntaxKind.TemplateHead) braces.push('template');
    else if (kind === ts.SyntaxKind.CloseBraceToken && braces.pop() === 'template') {
      if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateMiddle) braces.push('template');
    }
  }
  return found;
}

function historyIn(text: string): string[] {
  return commentsOf(text)
    .filter((c) => HISTORY.test(c.text))
    .map(
      (c) =>
        `line ${c.line}: ${c.text
          .split('\n')
          .find((l) => HISTORY.test(l))!
          .trim()}`,
    );
}

function sources(): string[] {
  const r = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', 'src', 'emulator'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return [...new Set(r.stdout.split('\0').filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f)))];
}

it('finds an issue number in a comment, and only in a comment', () => {
  const text = [
    '// Who may do what (issue 14).',
    "const note = 'issue 14 in a string is not a comment';",
    '/* added for Issue #7 */',
    'const t = `${note} issue 3 in a template`; // fine',
    '/** Fixed in (#21). */',
    '// PR 12 moved it',
    '// issued 14 tokens; tissue 3 is a word',
    'function f() {',
    '  return `a ${{ b: `c ${1} d` }.b} e`;',
    '}',
    '// issue 9, after a block and nested templates',
  ].join('\n');
  expect(historyIn(text)).toEqual([
    'line 1: // Who may do what (issue 14).',
    'line 3: /* added for Issue #7 */',
    'line 5: /** Fixed in (#21). */',
    'line 6: // PR 12 moved it',
    'line 11: // issue 9, after a block and nested templates',
  ]);
});

it('no comment in src/ or emulator/ names an issue or a pull request', () => {
  const files = sources();
  expect(files.length).toBeGreaterThan(100);
  const found = files.flatMap((f) => historyIn(readFileSync(join(root, f), 'utf8')).map((h) => `${f} ${h}`));
  expect(found).toEqual([]);
});

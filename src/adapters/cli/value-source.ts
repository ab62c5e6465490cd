// Where `set NAME` takes its value from: --env VARIABLE, --file PATH (its bytes exactly), standard input when it is
// not a terminal (one trailing newline dropped, as `echo` adds one), else a prompt that shows nothing of what is
// typed. Every problem names the flag or the source, never the value or a part of it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_VALUE_BYTES } from '../../core/azure/limits.js';
import type { GivenSecret } from '../../core/inputs/input-reader.js';
import { didYouMean, suggestVariable } from '../../core/inputs/variable-suggestion.js';

/** Standard input as the CLI sees it. */
export interface CliStdin {
  isTty: boolean;
  /** Everything on standard input (a pipe, a redirected file), at most `limit` bytes plus one. */
  readAll(limit: number): Promise<Buffer>;
  /** Asks on a terminal, without echo; undefined when the user cancelled (Ctrl-C), a problem when the value could
   *  not be taken whole (several lines typed without the terminal's paste marks). */
  prompt(question: string, signal?: AbortSignal): Promise<string | undefined | { problem: string }>;
}

export type ValueRead = { value: string; from: GivenSecret['from'] } | { problem: string } | { cancelled: true };

/** Reading two more bytes than the limit is enough to tell "over the limit" once a trailing CRLF is dropped. */
const READ_LIMIT = MAX_VALUE_BYTES + 2;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const notText = (what: string) =>
  `${what} is not UTF-8 text (a Key Vault secret is a string); for binary data, base64-encode it first (base64 -w0 FILE | aml-vault-push set NAME)`;
const tooBig = (what: string, bytes: number | string) =>
  `${what} is over 25 KB (${bytes} bytes; Key Vault takes at most ${MAX_VALUE_BYTES})`;

/** `question`: the prompt, naming the secret and where it goes (asked only on a terminal). */
export async function readValue(
  question: string,
  flags: { env?: string; file?: string },
  env: Record<string, string | undefined>,
  stdin: CliStdin,
): Promise<ValueRead> {
  if (flags.env !== undefined && flags.file !== undefined)
    return { problem: '--env and --file: give one of them, not both' };
  if (flags.env !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags.env))
      return { problem: '--env: not an environment variable name (write the variable, never its value)' };
    const value = env[flags.env];
    // Not shown: a value that happens to look like a name (hf_…, hunter2) is still a value.
    if (value === undefined) {
      const suggestion = didYouMean(suggestVariable(flags.env, Object.keys(env), (n) => env[n]));
      return {
        problem: `--env: names no environment variable that is set (not shown, in case it is a value)${suggestion || '; write the name of a set variable, never its value'}`,
      };
    }
    return { value, from: `from environment variable ${flags.env}` };
  }
  if (flags.file !== undefined) return readValueFile(flags.file);
  if (!stdin.isTty) {
    const bytes = await stdin.readAll(READ_LIMIT);
    const text = decode(bytes);
    if (text === undefined) return { problem: notText('standard input') };
    const value = text.replace(/\r?\n$/, '');
    const size = Buffer.byteLength(value, 'utf8');
    if (size > MAX_VALUE_BYTES)
      return { problem: tooBig('standard input', bytes.length > READ_LIMIT - 1 ? `${MAX_VALUE_BYTES}+` : size) };
    return { value, from: 'from standard input' };
  }
  const typed = await stdin.prompt(question);
  if (typed === undefined) return { cancelled: true };
  if (typeof typed !== 'string') return typed;
  return { value: typed, from: 'typed at the prompt' };
}

/** The file's bytes exactly: no newline dropped, no byte order mark removed. */
export function readValueFile(path: string): ValueRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    // A path that names no file may be a value pasted where the path belongs: it is not repeated.
    if (isMissing(error))
      return { problem: '--file: no file at that path (not shown, in case it is a value); give the path of a file' };
    return { problem: `--file: ${path} ${fileError(error)}` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: `--file: ${path} is a directory` };
    if (stat.size > MAX_VALUE_BYTES) return { problem: `--file: ${tooBig(path, stat.size)}` };
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end (a FIFO or /dev/stdin has no size), never more than one byte past the limit.
    for (;;) {
      const buffer = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      chunks.push(buffer.subarray(0, n));
      total += n;
      if (total > MAX_VALUE_BYTES) return { problem: `--file: ${tooBig(path, `${MAX_VALUE_BYTES}+`)}` };
    }
    const text = decode(Buffer.concat(chunks));
    if (text === undefined) return { problem: `--file: ${notText(path)}` };
    return { value: text, from: `from the file ${path}` };
  } catch (error) {
    return { problem: `--file: ${path} ${fileError(error)}` };
  } finally {
    closeSync(fd);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG';
}

function fileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'EISDIR':
      return 'is a directory';
    default:
      return `cannot be read (${code ?? 'error'})`;
  }
}

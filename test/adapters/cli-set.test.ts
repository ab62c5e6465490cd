// The CLI's set/delete command line, the hidden prompt's key handling and the value sources, with plain objects.
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/adapters/cli/run.js';
import { checkCommandLine } from '../../src/adapters/cli/commands/command-line.js';
import {
  MULTI_LINE,
  PASTE_OFF,
  PASTE_ON,
  hiddenPrompt,
  type PromptAnswer,
  type RawInput,
} from '../../src/adapters/cli/hidden-prompt.js';
import { readValue, type CliStdin } from '../../src/adapters/cli/value-source.js';

class FakeTty extends EventEmitter implements RawInput {
  isRaw = false;
  modes: boolean[] = [];
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.modes.push(mode);
  }
  resume() {}
  pause() {}
}

async function typed(...chunks: string[]): Promise<{ result: PromptAnswer; shown: string; tty: FakeTty }> {
  const tty = new FakeTty();
  let shown = '';
  const pending = hiddenPrompt(tty, (t) => (shown += t), 'Value: ');
  for (const c of chunks) tty.emit('data', Buffer.from(c, 'utf8'));
  return { result: await pending, shown, tty };
}

describe('hiddenPrompt', () => {
  it('returns what was typed, shows only the question, and restores the terminal', async () => {
    const { result, shown, tty } = await typed('s3cr', 'ét\u{1F511}', '\r');
    expect(result).toBe('s3crét\u{1F511}');
    expect(shown).toBe(`Value: ${PASTE_ON}${PASTE_OFF}\n`);
    expect(tty.modes).toEqual([true, false]);
    expect(tty.listenerCount('data')).toBe(0);
  });

  it('edits: Backspace, Ctrl-U; skips arrow keys and bracketed paste marks', async () => {
    expect((await typed('abx\u007fc\r')).result).toBe('abc');
    expect((await typed('wrong\u0015right\n')).result).toBe('right');
    expect((await typed('a\u001b[Db\u001b[200~pasted\u001b[201~\r')).result).toBe('abpasted');
  });

  it('a bracketed paste is taken whole, newlines included (one trailing newline dropped); Enter after it submits', async () => {
    const pem = '-----BEGIN KEY-----\rMIIBOgIBAAJBAKj34\r-----END KEY-----\r';
    const { result, tty } = await typed(`\u001b[200~${pem}\u001b[201~`, '\r');
    expect(result).toBe('-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\n-----END KEY-----');
    expect(tty.modes).toEqual([true, false]);
    // Split across reads, the markers too, and with CRLF line ends.
    expect((await typed('\u001b[20', '0~a\r\n', 'b\u001b[2', '01~', 'c\r')).result).toBe('a\nbc');
  });

  it('several lines without paste marks are refused, not cut at the first; the burst is read to its end', async () => {
    const burst = await typed('line-one\rline-two\rline-three\r');
    expect(burst.result).toEqual({ problem: MULTI_LINE });
    expect(burst.shown).toBe(`Value: ${PASTE_ON}${PASTE_OFF}\n`);
    expect(burst.shown).not.toContain('line');
    // The rest of the burst in a later read, just after the Enter.
    expect((await typed('line-one\r', 'line-two\r')).result).toEqual({ problem: MULTI_LINE });
    // CR LF is one Enter.
    expect((await typed('one\r\n')).result).toBe('one');
  });

  it('Ctrl-C cancels; Ctrl-D cancels on an empty line and ends a typed one', async () => {
    const cancelled = await typed('abc\u0003');
    expect(cancelled.result).toBeUndefined();
    expect(cancelled.shown).not.toContain('abc');
    expect(cancelled.shown).toContain(PASTE_OFF);
    expect((await typed('\u0004')).result).toBeUndefined();
    expect((await typed('abc\u0004')).result).toBe('abc');
  });
});

describe('checkCommandLine', () => {
  it('push is the default; set and delete take one NAME', () => {
    expect(checkCommandLine([], {})).toEqual({ command: 'push' });
    expect(checkCommandLine(['set', 'DB'], {})).toEqual({ command: 'set', name: 'DB' });
    expect(checkCommandLine(['delete', 'DB'], {})).toEqual({ command: 'delete', name: 'DB' });
  });

  it('refuses a value on the command line, an unknown command and misplaced flags, never echoing an argument', () => {
    const value = checkCommandLine(['set', 'DB', 'hunter2'], {});
    expect(value).toMatchObject({ problem: expect.stringContaining('a value is never taken from the command line') });
    expect(JSON.stringify(value)).not.toContain('hunter2');
    expect(JSON.stringify(checkCommandLine(['hunter2'], {}))).not.toContain('hunter2');
    expect(checkCommandLine(['set'], {})).toMatchObject({
      problem: expect.stringContaining("set needs the secret's NAME"),
    });
    expect(checkCommandLine(['delete', 'DB'], { file: 'x' })).toEqual({
      command: 'delete',
      problem: '--file goes with set, not delete',
    });
    expect(checkCommandLine(['set', 'DB'], { 'secrets-json-file': 'x' })).toEqual({
      command: 'set',
      problem: '--secrets-json-file goes with push, not set',
    });
  });
});

describe('readValue', () => {
  const stdin = (text: string | Buffer, isTty = false): CliStdin => ({
    isTty,
    readAll: async () => Buffer.from(text),
    prompt: async () => 'from-the-prompt',
  });

  it('from a pipe drops one trailing newline; from the prompt on a terminal', async () => {
    expect(await readValue('Q: ', {}, {}, stdin('a\nb\n\n'))).toEqual({ value: 'a\nb\n', from: 'from standard input' });
    expect(await readValue('Q: ', {}, {}, stdin('', true))).toEqual({
      value: 'from-the-prompt',
      from: 'typed at the prompt',
    });
  });

  it('refuses --env with --file, a non-UTF-8 pipe, a bad --env name; a directory as --file', async () => {
    expect(await readValue('Q: ', { env: 'A', file: 'f' }, {}, stdin(''))).toEqual({
      problem: '--env and --file: give one of them, not both',
    });
    expect(await readValue('Q: ', {}, {}, stdin(Buffer.from([0xc3, 0x28])))).toEqual({
      problem: expect.stringContaining('standard input is not UTF-8 text'),
    });
    expect(await readValue('Q: ', { env: 'not a name' }, {}, stdin(''))).toEqual({
      problem: expect.stringMatching(/^--env: not an environment variable name/),
    });
    const dir = mkdtempSync(join(tmpdir(), 'aml-value-'));
    expect(await readValue('Q: ', { file: dir }, {}, stdin(''))).toEqual({ problem: `--file: ${dir} is a directory` });
    writeFileSync(join(dir, 'v.txt'), 'exact\n');
    expect(await readValue('Q: ', { file: join(dir, 'v.txt') }, {}, stdin(''))).toMatchObject({ value: 'exact\n' });
  });
});

describe('runCli set and delete, in memory (no request: every case stops at the inputs)', () => {
  async function run(argv: string[], stdinText = '', env: Record<string, string> = {}) {
    const state = { out: '', err: '', code: 0 };
    const dir = mkdtempSync(join(tmpdir(), 'aml-cli-mem-'));
    const cli: CliIo = {
      out: (t) => (state.out += t),
      err: (t) => (state.err += t),
      readFile: () => '',
      setExitCode: (c) => (state.code = c),
      cwd: dir,
      stdin: { isTty: false, readAll: async () => Buffer.from(stdinText), prompt: async () => undefined },
    };
    await runCli(argv, { HOME: dir, AZURE_CONFIG_DIR: dir, ...env }, cli);
    return state;
  }

  it('--help shows the commands; set --help its usage and flags', async () => {
    const { out } = await run(['--help']);
    expect(out).toMatch(/^ {2}set {5}set one secret/m);
    expect(out).toMatch(/^ {2}delete {2}soft-delete/m);
    expect(out).toMatch(/--workspace-config PATH/);
    const set = await run(['set', '--help']);
    expect(set.out).toMatch(/^Usage: aml-vault-push set NAME \[--env VARIABLE \| --file PATH\]/);
    expect(set.out).toMatch(/^ {2}--file PATH +/m);
  });

  it('set with no target lists the ways to name one, config.json among them; the piped value is never shown', async () => {
    const { err, code, out } = await run(['set', 'DB-PASSWORD'], 'piped-secret-value\n');
    expect(code).toBe(1);
    expect(err).toMatch(/no target: .*--workspace-config PATH .*\.azureml\/config\.json .*az configure --defaults/);
    expect(err + out).not.toContain('piped-secret-value');
  });

  it('set never prompts while an input is wrong: a bad NAME, a bad flag value', async () => {
    let asked = 0;
    const stdin: CliStdin = { isTty: true, readAll: async () => Buffer.alloc(0), prompt: async () => (asked++, 'x') };
    for (const argv of [
      ['set', 'not_valid!', '--vault-name', 'kv1'],
      ['set', 'DB', '--vault-name', 'kv1', '--expires-in', 'soon'],
    ]) {
      const state = { err: '', code: 0 };
      await runCli(
        argv,
        {},
        {
          out: () => undefined,
          err: (t) => (state.err += t),
          readFile: () => '',
          setExitCode: (c) => (state.code = c),
          stdin,
        },
      );
      expect(state.code).toBe(1);
      expect(state.err).toMatch(/nothing was written/);
    }
    expect(asked).toBe(0);
  });

  it('delete names a bad NAME without showing it, and bad target flags, before any request', async () => {
    const { err, code } = await run(['delete', 'not_valid!', '--vault-name', 'x']);
    expect(code).toBe(1);
    expect(err).toMatch(/NAME: not a valid Key Vault secret name/);
    expect(err).toMatch(/--vault-name: x is not a valid vault name/);
    expect(err).not.toContain('not_valid!');
  });
});

// A prompt on a terminal that shows nothing of what is typed: no echo, no asterisks (the length is not shown either).
// The terminal is put in raw mode, so the keys arrive here one by one and the terminal itself prints nothing;
// Enter ends the value, Ctrl-C (or Ctrl-D on an empty line) cancels it, Backspace and Ctrl-U edit it.
import { StringDecoder } from 'node:string_decoder';

/** The terminal side of standard input: node's tty.ReadStream. */
export interface RawInput {
  isRaw?: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';

/** Resolves with what was typed (without the Enter), or undefined when cancelled. `write` goes to standard error. */
export function hiddenPrompt(
  input: RawInput,
  write: (text: string) => void,
  question: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const decoder = new StringDecoder('utf8');
    const wasRaw = input.isRaw === true;
    let typed: string[] = [];
    let escape = false;
    write(question);
    input.setRawMode(true);
    const finish = (result: string | undefined) => {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      write(result === undefined ? '\ncancelled\n' : '\n');
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const ch of text) {
        if (escape) {
          // An escape sequence (arrow keys, function keys): skip up to its final letter or '~'.
          if (/[A-Za-z~]/.test(ch)) escape = false;
          continue;
        }
        if (ch === '\r' || ch === '\n') return finish(typed.join(''));
        if (ch === CTRL_C) return finish(undefined);
        if (ch === CTRL_D) {
          if (typed.length === 0) return finish(undefined);
          return finish(typed.join(''));
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch === CTRL_U) typed = [];
        else if (ch === ESC) escape = true;
        else if (ch === '\t' || ch >= ' ') typed.push(ch);
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

// A prompt on a terminal that shows nothing of what is typed: no echo, no asterisks (the length is not shown either).
// The terminal is put in raw mode, so the keys arrive here one by one and the terminal itself prints nothing;
// Enter ends the value, Ctrl-C (or Ctrl-D on an empty line) cancels it, Backspace and Ctrl-U edit it.
//
// A multi-line value (a PEM) is taken whole only from a paste the terminal brackets: bracketed paste is switched on
// while the prompt is up (ESC[?2004h, off again on every way out), and what comes between ESC[200~ and ESC[201~ is
// text, newlines included. A newline without those marks is a terminal that does not bracket pastes: more input
// right after an Enter (in the same read, or within QUIET_MS) means several lines arrived at once, and the value is
// refused rather than cut at its first line; the rest of the burst is read and dropped, so the shell never gets it.
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

export const PASTE_ON = '\u001b[?2004h';
export const PASTE_OFF = '\u001b[?2004l';
const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';
export const MULTI_LINE =
  'the value has more than one line; give it with --file PATH or a pipe (cat key.pem | aml-vault-push set NAME)';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';
/** How long after an Enter more input still counts as the same burst (a paste split across reads). */
const QUIET_MS = 40;
/** How long the rest of a refused burst is read and dropped for, after its last byte. */
const DRAIN_MS = 150;

export type PromptAnswer = string | undefined | { problem: string };

/** Resolves with the value, undefined when cancelled, or a problem. `write` goes to standard error. */
export function hiddenPrompt(
  input: RawInput,
  write: (text: string) => void,
  question: string,
  signal?: AbortSignal,
): Promise<PromptAnswer> {
  return new Promise((resolve) => {
    const decoder = new StringDecoder('utf8');
    const wasRaw = input.isRaw === true;
    let typed: string[] = [];
    let sequence = ''; // an escape sequence being read
    let pasting = false;
    let pasted = false;
    let lastWasCr = false;
    let timer: NodeJS.Timeout | undefined;
    let state: 'typing' | 'entered' | 'draining' | 'done' = 'typing';

    const finish = (result: PromptAnswer) => {
      if (state === 'done') return;
      state = 'done';
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      write(`${PASTE_OFF}${result === undefined ? '\ncancelled\n' : '\n'}`);
      resolve(result);
    };
    const refuse = () => {
      state = 'draining';
      typed = [];
      clearTimeout(timer);
      timer = setTimeout(() => finish({ problem: MULTI_LINE }), DRAIN_MS);
    };
    const value = () => {
      const text = typed.join('');
      return pasted ? text.replace(/\n$/, '') : text;
    };
    const onSequence = (seq: string) => {
      if (seq === PASTE_START) {
        pasting = true;
        pasted = true;
      } else if (seq === PASTE_END) pasting = false;
      // Anything else (arrow keys, function keys) is skipped.
    };
    const onChar = (ch: string, rest: string) => {
      if (sequence !== '') {
        sequence += ch;
        const final = sequence.length > 2 && /[@-~]/.test(ch);
        if (sequence.length === 2 && ch !== '[' && ch !== 'O')
          sequence = ''; // Alt+key: dropped
        else if (final || (sequence.startsWith(`${ESC}O`) && sequence.length === 3)) {
          onSequence(sequence);
          sequence = '';
        }
        return;
      }
      if (ch === ESC) {
        sequence = ESC;
        return;
      }
      if (pasting) {
        if (ch === '\n' && lastWasCr) return; // CRLF: the CR was the newline
        if (ch === '\r' || ch === '\n') typed.push('\n');
        else if (ch === '\t' || ch >= ' ') typed.push(ch);
        return;
      }
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && lastWasCr) return;
        // More than a line ending after this Enter, in the same read: several lines at once.
        if (rest.replace(/^\r?\n?/, '') !== '') return refuse();
        state = 'entered';
        timer = setTimeout(() => finish(value()), QUIET_MS);
        return;
      }
      if (ch === CTRL_C) return finish(undefined);
      if (ch === CTRL_D) return finish(typed.length === 0 ? undefined : value());
      if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
      else if (ch === CTRL_U) typed = [];
      else if (ch === '\t' || ch >= ' ') typed.push(ch);
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (state === 'draining') {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ problem: MULTI_LINE }), DRAIN_MS);
        return;
      }
      if (state === 'entered' && !(text === '\n' && lastWasCr)) return refuse(); // right after Enter: a burst
      const chars = [...text];
      for (let i = 0; i < chars.length && state === 'typing'; i++) {
        const ch = chars[i]!;
        onChar(ch, chars.slice(i + 1).join(''));
        lastWasCr = ch === '\r';
      }
    };
    // A stop from outside (SIGTERM, SIGINT sent to the process) while the prompt waits: cancelled, the terminal restored.
    const cancel = () => finish(undefined);
    if (signal?.aborted) return resolve(undefined);
    signal?.addEventListener('abort', cancel);
    write(question);
    write(PASTE_ON);
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

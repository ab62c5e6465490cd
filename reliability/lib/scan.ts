// Leak scanning. A value may appear only inside the mask registrations, and those come first. What
// the scanner looks for, per value: the whole value and each of its lines, each raw and in every
// form a runner or agent masks or a log could carry it in — JSON-escaped, URL-encoded, the GitHub
// command escaping (%25 %0D %0A), the agent's (%AZP25 %3B %0D %0A %5D) and base64 at three byte
// offsets (so it is found inside base64("user:" + value) too).
//
// What it cannot meaningfully look for, and so skips (counted, never silently): pieces shorter than
// MIN_PIECE characters once the command syntax (##vso[, ::, %25 …) is taken out, lone words of up
// to 10 letters, and pieces that occur in the run's own vocabulary (secret names, variable names,
// input names, the tool's fixed words). A one-character line such as `{` or a line equal to
// a secret's name appears in any honest log; the runner masks such lines anyway once they are
// registered (it over-masks short lines, actions/runner#326), which is why every non-empty line must
// still be registered — that is checked for every line, short or not.

export const MIN_PIECE = 4;

/** The runner's and the agent's command syntax: a line made of it is in every log. */
const PROTOCOL = ['##vso[', '##[', '::', '%AZP25', '%25', '%0A', '%0D', '%3B', '%5D'];

/**
 * Whether a piece can be told apart from honest output: at least MIN_PIECE characters once the
 * command syntax is taken out, and not a lone word of up to 10 letters (`length`, `name`, `error`
 * fill the SDKs' debug logs; a value line that is such a word is still registered, and masked by the
 * runner wherever it appears).
 */
export function scannable(piece: string): boolean {
  let rest = piece.trim();
  for (const p of PROTOCOL) rest = rest.split(p).join('');
  if (rest.trim().length < MIN_PIECE) return false;
  return !/^[A-Za-z]{1,10}$/.test(piece.trim());
}
const MIN_BASE64_PIECE = 8;

export interface Pieces {
  /** What to look for: [label, text]. The label says which form it is, never the text. */
  pieces: [string, string][];
  /** Distinct non-empty trimmed lines: each must be registered as a mask. */
  lines: string[];
  /** Distinct texts (a line, or a form of one) not searched for. */
  skipped: number;
}

const githubEscape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const vsoEscape = (s: string) =>
  s.replace(/%/g, '%AZP25').replace(/;/g, '%3B').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/]/g, '%5D');
/** encodeURIComponent, or '' for text with a lone surrogate (which no URL can carry). */
const urlEncode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '';
  }
};
const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);

/** base64 of `s` after `offset` filler bytes, cut to the characters that depend on `s` alone. */
export function base64AtOffset(s: string, offset: 0 | 1 | 2): string {
  const bytes = Buffer.concat([Buffer.alloc(offset, 0x41), Buffer.from(s, 'utf8')]);
  const b64 = bytes.toString('base64');
  const start = offset === 0 ? 0 : 4; // the first group mixes filler and value
  const whole = Math.floor(bytes.length / 3) * 4; // a last partial group depends on the padding
  return b64.slice(start, whole);
}

export function piecesOf(value: string, vocabulary: readonly string[]): Pieces {
  const lines = [
    ...new Set(
      value
        .split(/\r\n|\r|\n/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0),
    ),
  ];
  const vocab = vocabulary.map((v) => v.toLowerCase());
  const pieces: [string, string][] = [];
  const skippedTexts = new Set<string>();
  const add = (label: string, text: string, min = MIN_PIECE) => {
    if (text.length < min || vocab.some((v) => v.includes(text.toLowerCase()))) {
      skippedTexts.add(text);
      return;
    }
    if (!pieces.some(([, t]) => t === text)) pieces.push([label, text]);
  };
  const bases: [string, string][] = [['value', value], ...lines.map((l, i): [string, string] => [`line ${i + 1}`, l])];
  for (const [label, base] of bases) {
    if (!scannable(base)) {
      skippedTexts.add(base);
      continue;
    }
    add(label, base);
    add(`${label} JSON-escaped`, jsonEscape(base));
    add(`${label} URL-encoded`, urlEncode(base));
    add(`${label} command-escaped (GitHub)`, githubEscape(base));
    add(`${label} command-escaped (agent)`, vsoEscape(base));
    for (const offset of [0, 1, 2] as const)
      add(`${label} base64@${offset}`, base64AtOffset(base, offset), MIN_BASE64_PIECE);
  }
  return { pieces, lines, skipped: skippedTexts.size };
}

/** `text` with every scannable piece of every value replaced by «secret name» (for diagnostics). */
export function redact(text: string, values: Map<string, Pieces>): string {
  let out = text;
  for (const [name, p] of values)
    for (const [, piece] of [...p.pieces].sort((a, b) => b[1].length - a[1].length))
      out = out.split(piece).join(`«${name}»`);
  return out;
}

export interface Finding {
  where: string;
  /** Which value (by its secret name) and which form: never the text itself. */
  what: string;
}

/** Every place `text` contains a piece of any value. `values` maps a secret name to its pieces. */
export function findPieces(where: string, text: string, values: Map<string, Pieces>): Finding[] {
  const findings: Finding[] = [];
  if (!text) return findings;
  for (const [name, p] of values)
    for (const [label, piece] of p.pieces)
      if (text.includes(piece)) findings.push({ where, what: `${name}: ${label}` });
  return findings;
}

const GITHUB_COMMANDS = new Set(['add-mask', 'debug', 'error', 'warning', 'notice', 'group', 'endgroup']);
const AGENT_COMMANDS = new Set([
  'task.setsecret',
  'task.debug',
  'task.logissue',
  'task.issue',
  'task.complete',
  'task.setvariable',
  'task.uploadsummary',
]);

/**
 * Logging commands the tool did not mean to issue. GitHub: a line (leading blanks ignored) that
 * starts a `::command` other than the tool's own, `::stop-commands::`, or a legacy `##[command]`.
 * Agent: `##vso[` anywhere but at the start of a line, an unknown command, or an output variable
 * that is not one of the step's outputs. The agent parses the first `##vso[` of a line as the command
 * and the rest of the line as its data (Command.cs), so a second `##vso[` in the same line — e.g. in
 * the task library's own debug echo of an input that names variables — is data, not a command.
 */
export function injectedCommands(
  platform: 'github' | 'azdo',
  stdout: string,
  outputNames: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  stdout.split(/\r?\n/).forEach((line, i) => {
    const where = `stdout line ${i + 1}`;
    if (platform === 'github') {
      const t = line.trimStart();
      if (t.startsWith('##[')) findings.push({ where, what: 'legacy ##[ command' });
      const m = /^::([^\s:]*)/.exec(t);
      if (m && !GITHUB_COMMANDS.has(m[1]!)) findings.push({ where, what: `command ::${m[1]!.slice(0, 40)}` });
      return;
    }
    const first = line.indexOf('##vso[');
    if (first < 0) return;
    // A mask registration carries the value as its data; the agent parses one command per line,
    // the first, so a `##vso[` inside the data of task.setsecret is data.
    if (first === 0 && line.startsWith('##vso[task.setsecret]')) return;
    if (first > 0) findings.push({ where, what: '##vso[ not at the start of the line' });
    const m = /^##vso\[([^\s\]]*)([^\]]*)\]/.exec(line.slice(first));
    if (!m || !AGENT_COMMANDS.has(m[1]!)) {
      findings.push({ where, what: `command ${m ? m[1]!.slice(0, 40) : '(unparsable)'}` });
      return;
    }
    if (m[1] === 'task.setvariable') {
      const variable = /variable=([^;\]]*)/.exec(m[2]!)?.[1];
      if (!variable || !outputNames.includes(variable))
        findings.push({ where, what: `setvariable ${String(variable).slice(0, 40)}` });
    }
  });
  return findings;
}

export function isMaskLine(platform: 'github' | 'azdo', line: string): boolean {
  return platform === 'github' ? line.startsWith('::add-mask::') : line.startsWith('##vso[task.setsecret]');
}

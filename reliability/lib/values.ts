// Generated secret values (fast-check, seeded): the characters and sequences that have broken
// masking or injected logging commands in CI tools, mixed with ordinary text so most values carry
// something long enough to scan for.
import fc from 'fast-check';

/** Sequences with a meaning to a runner, an agent, a shell or JSON. */
export const TRICKY = [
  '%',
  '%25',
  '%AZP25',
  '%0A',
  '%0D',
  '%3B',
  '%5D',
  ';',
  ']',
  '[',
  '::',
  '##vso[',
  '##vso[task.setvariable variable=pwn]x',
  '##vso[task.complete result=Succeeded]',
  '##[',
  '##[error]',
  '::stop-commands::tok',
  '::add-mask::',
  '::error::',
  '::set-output name=pwn::x',
  '"',
  "'",
  '`',
  '\\',
  '\\n',
  '$(',
  '${{',
  '\r',
  '\n',
  '\r\n',
  '\t',
  ' ',
  'ü',
  'ß',
  'é',
  '日本語',
  '✓',
  '😀',
  '👩‍💻',
  '{',
  '}',
  '<',
  '&',
  '=',
];

/** Words a log is full of anyway: a value (or a line) equal to one of them cannot be scanned for. */
export const INPUT_NAMES = ['secrets', 'vault-url', 'dry-run', 'on-deleted', 'secretsJson', 'vaultUrl'];

const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 });
const token = fc.stringMatching(/^[A-Za-z0-9]{6,14}$/);
const part = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 3, arbitrary: token },
  { weight: 2, arbitrary: word },
);

/** Several lines, some of one character (`{`, `}`, `-`), as PEM and JSON documents have. */
const shortLines = fc
  .tuple(token, fc.array(fc.constantFrom('{', '}', '-', 'a', '1', ' '), { minLength: 1, maxLength: 4 }), token)
  .chain(([a, mid, b]) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => [a, ...mid, b].join(eol)));

/** A service-account key: a JSON document with a PEM private key inside (escaped newlines). */
const serviceAccountKey = fc
  .tuple(token, token, fc.stringMatching(/^[A-Za-z0-9+/]{64,64}$/), fc.boolean())
  .map(([project, id, body, pretty]) => {
    const doc = {
      type: 'service_account',
      project_id: `p-${project.toLowerCase()}`,
      private_key_id: id,
      private_key: `-----BEGIN PRIVATE KEY-----\n${body}\n${body.slice(0, 40)}\n-----END PRIVATE KEY-----\n`,
      client_email: `${id.toLowerCase()}@p.iam.gserviceaccount.com`,
    };
    return pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
  });

/** Long, but under Key Vault's 25 KB value limit (a longer one is a bad input, tested elsewhere). */
const longValue = fc
  .tuple(token, fc.integer({ min: 2_000, max: 24_000 }), fc.constantFrom('x', 'ü', '😀', 'ab\n'))
  .map(([t, bytes, unit]) => {
    const count = Math.floor((bytes - 2 * t.length) / Buffer.byteLength(unit));
    return `${t}${unit.repeat(Math.max(count, 1))}${t}`;
  });

/** A value equal to a name the run also prints: scanned only through its registration. */
const nameLike = fc.constantFrom(...INPUT_NAMES);

/**
 * Values shaped like a variable's name (they pass the "is this a name?" check): what a person pastes where a name
 * belongs. Lower-case tokens with `_` (Hugging Face, GitHub, Slack), all-caps ids (AWS access keys), plain words.
 */
export const NAME_SHAPED = [
  'hf_abcd1234efgh',
  'hf_AbCd1234567',
  'ghp_1234abcdEFGH5678ijkl',
  'github_pat_11ABCDEFG0aBcDeFgHiJ_kLmN',
  'xoxb_1234_5678_abcdef',
  'AKIAIOSFODNN7EXAMPLE',
  'ASIAY34FZKBOKMUTVV7A',
  'hunter2',
  'password',
  'Tr0ub4dor',
  'a.b.c.d',
];

const lowerToken = fc
  .tuple(fc.constantFrom('hf', 'ghp', 'gho', 'xoxb', 'sk', 'glpat', 'npm'), fc.stringMatching(/^[A-Za-z0-9]{10,24}$/))
  .map(([prefix, rest]) => `${prefix}_${rest}`);
const capsId = fc.stringMatching(/^(AKIA|ASIA|AIZA)[A-Z0-9]{16}$/);
const plainWord = fc
  .tuple(fc.constantFrom('hunter', 'letmein', 'dragon', 'sunshine', 'monkey', 'qwerty', 'trustno'), fc.nat(99))
  .map(([w, n]) => `${w}${n}`);

/** A value shaped like a name: passes as a variable's name, and is still a value. */
export const nameShapedValue = fc.oneof(lowerToken, capsId, plainWord);

/** `n` name-shaped values, reproducible from `seed`. */
export function sampleNameShaped(seed: number, n: number): string[] {
  return fc.sample(nameShapedValue, { seed, numRuns: n });
}

const mixed = fc.array(part, { minLength: 1, maxLength: 14 }).map((parts) => parts.join(''));

export const secretValue = fc
  .oneof(
    { weight: 12, arbitrary: mixed },
    { weight: 2, arbitrary: shortLines },
    { weight: 2, arbitrary: serviceAccountKey },
    { weight: 1, arbitrary: longValue },
    { weight: 1, arbitrary: nameLike },
    { weight: 2, arbitrary: nameShapedValue },
  )
  // What a CI variable can hold and the tool accepts without allow-empty: no NUL, not blank.
  .map((v) => v.replace(/\0/g, ''))
  .filter((v) => v.trim().length > 0);

/** `n` values, reproducible from `seed`. */
export function sampleValues(seed: number, n: number): string[] {
  return fc.sample(secretValue, { seed, numRuns: n });
}

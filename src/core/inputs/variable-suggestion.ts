// "Did you mean DB_PASSWORD?" for a variable name that is not set: the closest name the platform can see. Only a
// NAME is ever suggested, and never for text that equals a variable's value (a pasted value must not be answered
// with the name that holds it, nor with anything near it). The written text itself is never part of the answer.

/** Letters and digits only, lower case: `db_password`, `DB-PASSWORD` and `DbPassword` compare equal. */
function normalised(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** How far a name may be from what was written: a typo or two, fewer for short names. */
function allowance(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * The closest variable name to `written`, or undefined. Closeness, best first: the same letters and digits (case,
 * `_`, `.` or `-` aside: a missing or extra separator); then within a typo or two, case-insensitive. `valueOf` reads
 * a name's value, only to refuse any suggestion when `written` is one of them.
 */
export function suggestVariable(
  written: string,
  names: readonly string[],
  valueOf: (name: string) => string | undefined,
): string | undefined {
  const text = written.trim();
  if (text === '' || names.some((name) => name !== text && valueOf(name)?.trim() === text)) return undefined;
  const want = normalised(text);
  const lower = text.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of new Set(names)) {
    if (name === text) continue;
    const score = closeness(want, lower, name);
    if (score === undefined) continue;
    if (best === undefined || score < best.score || (score === best.score && name < best.name)) best = { name, score };
  }
  return best?.name;
}

/**
 * 0 for the same letters, 1 + distance for a typo; undefined when not close. A name merely ending or starting with
 * what was written (DB_PASSWORD for PASSWORD) is not close: plain-word values (password, token) are exactly such
 * parts of the names that hold them, and the suggestion would spell the value out.
 */
function closeness(want: string, lower: string, name: string): number | undefined {
  if (want === '') return undefined;
  if (normalised(name) === want) return 0;
  const d = distance(lower, name.toLowerCase());
  return d <= allowance(lower.length) ? 1 + d : undefined;
}

/** The hint to append to a problem: `; did you mean NAME?`, or nothing. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
}

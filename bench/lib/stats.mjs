// Small statistics and formatting helpers: medians, spreads, ratios, aligned tables.

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median, min, max and the spread (max − min) relative to the median. */
export function summarize(xs) {
  const v = xs.filter((x) => Number.isFinite(x));
  const med = median(v);
  const min = Math.min(...v);
  const max = Math.max(...v);
  return { n: v.length, median: med, min, max, spread: med > 0 ? (max - min) / med : 0, samples: xs };
}

/** a ÷ b, or null when b is 0 (a ratio against zero has no meaning). */
export const ratio = (a, b) => (b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? null : a / b);

export const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** "612 ms [598–640]" */
export function fmtTime(s) {
  const range = s.min === s.max ? '' : ` [${fmtRange(s.min, s.max)}]`;
  return `${fmtMs(s.median)}${range}`;
}

function fmtRange(a, b) {
  if (a >= 10_000 || b >= 10_000) return `${(a / 1000).toFixed(1)}–${(b / 1000).toFixed(1)} s`;
  return `${Math.round(a)}–${Math.round(b)}`;
}

/** A count summary: "100" when every run agrees, else "median [min–max]". */
export function fmtCount(s) {
  const m = Number.isInteger(s.median) ? String(s.median) : s.median.toFixed(1);
  return s.min === s.max ? m : `${m} [${s.min}–${s.max}]`;
}

/** "1.06×" and, when given, the range of the per-round (paired) ratios. */
export function fmtRatio(r, paired) {
  if (r === null || r === undefined) return 'n/a';
  const base = `${r.toFixed(2)}×`;
  if (!paired || paired.length === 0) return base;
  const v = paired.filter((x) => x !== null);
  if (v.length === 0) return base;
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? base : `${base} (rounds ${lo.toFixed(2)}–${hi.toFixed(2)})`;
}

/** Left-aligned first column, the rest left-aligned too; header underlined. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) =>
    r
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

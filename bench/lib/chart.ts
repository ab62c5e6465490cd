// A small, dependency-free SVG bar chart of the fleet cases: per case, our time, the floor and the
// sequential loop's time, each labelled. Each case has its own scale (its longest bar fills the row),
// so a 0.5 s case and a 30 s case are both readable; the labels carry the numbers.

export interface ChartCase {
  /** e.g. "300 new · 30 ms · 1 vault" */
  label: string;
  oursMs: number;
  floorMs: number;
  sequentialMs: number;
  oursFailed: number;
  sequentialFailed: number;
}

export interface ChartOptions {
  title: string;
  subtitle: string;
}

const WIDTH = 900;
const LABEL_W = 150;
const BAR_X = LABEL_W + 130;
const BAR_MAX = 380;
const BAR_H = 14;
const BAR_GAP = 4;
const CASE_GAP = 16;
const TOP = 78;
const COLORS = { ours: '#2b6cb0', floor: '#a0aec0', sequential: '#dd6b20', fail: '#c53030' } as const;

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function fmtSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const s = ms / 1000;
  return s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`;
}

export function fleetChart(cases: readonly ChartCase[], { title, subtitle }: ChartOptions): string {
  const rowH = 3 * BAR_H + 2 * BAR_GAP;
  const height = TOP + cases.length * (rowH + CASE_GAP) + 30;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#1a202c">${escapeXml(title)}</text>`,
    `<text x="12" y="40" fill="#4a5568">${escapeXml(subtitle)}</text>`,
  );
  // Legend
  const legend: [string, string][] = [
    ['ours (CLI)', COLORS.ours],
    ['floor', COLORS.floor],
    ['sequential setSecret loop', COLORS.sequential],
  ];
  let lx = WIDTH - 12;
  for (const [name, color] of [...legend].reverse()) {
    const w = 16 + name.length * 6.2;
    lx -= w + 12;
    out.push(
      `<rect x="${lx}" y="${TOP - 24}" width="10" height="10" fill="${color}"/>`,
      `<text x="${lx + 14}" y="${TOP - 15}" fill="#2d3748">${escapeXml(name)}</text>`,
    );
  }
  cases.forEach((c, i) => {
    const y0 = TOP + i * (rowH + CASE_GAP);
    const max = Math.max(c.oursMs, c.floorMs, c.sequentialMs, 1);
    const len = (ms: number) => (Number.isFinite(ms) && ms > 0 ? Math.max(1, (ms / max) * BAR_MAX) : 0);
    out.push(
      `<text x="12" y="${y0 + rowH / 2 + 4}" font-weight="600" fill="#1a202c">${escapeXml(c.label)}</text>`,
      `<line x1="${BAR_X}" y1="${y0 - 2}" x2="${BAR_X}" y2="${y0 + rowH + 2}" stroke="#cbd5e0"/>`,
    );
    const bars: { name: string; ms: number; color: string; note: string; failed: number }[] = [
      { name: 'ours', ms: c.oursMs, color: COLORS.ours, note: ratioNote(c.oursMs, c.floorMs), failed: c.oursFailed },
      { name: 'floor', ms: c.floorMs, color: COLORS.floor, note: '', failed: 0 },
      {
        name: 'sequential',
        ms: c.sequentialMs,
        color: COLORS.sequential,
        note: ratioNote(c.sequentialMs, c.floorMs),
        failed: c.sequentialFailed,
      },
    ];
    bars.forEach((b, j) => {
      const y = y0 + j * (BAR_H + BAR_GAP);
      const w = len(b.ms);
      out.push(
        `<text x="${BAR_X - 8}" y="${y + BAR_H - 3}" text-anchor="end" fill="#4a5568">${b.name}</text>`,
        `<rect x="${BAR_X}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${b.color}"/>`,
      );
      const text = `${fmtSeconds(b.ms)}${b.note ? ` (${b.note})` : ''}`;
      out.push(`<text x="${(BAR_X + w + 6).toFixed(1)}" y="${y + BAR_H - 3}" fill="#1a202c">${escapeXml(text)}`);
      if (b.failed > 0) out.push(`<tspan fill="${COLORS.fail}" font-weight="600"> · ${b.failed} failed</tspan>`);
      out.push('</text>');
    });
  });
  out.push(
    `<text x="12" y="${height - 10}" fill="#718096">${escapeXml('Bar lengths: each case has its own scale (its longest bar fills the row). × = time ÷ floor.')}</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

function ratioNote(ms: number, floorMs: number): string {
  return Number.isFinite(ms) && floorMs > 0 ? `${(ms / floorMs).toFixed(2)}× floor` : '';
}

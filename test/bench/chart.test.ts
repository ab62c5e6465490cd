import { escapeXml, fleetChart, fmtSeconds } from '../../bench/lib/chart.js';

describe('bench chart (SVG)', () => {
  const svg = fleetChart(
    [
      {
        label: '300 new · 30 ms · 1 vault',
        oursMs: 2000,
        floorMs: 1000,
        sequentialMs: 10_000,
        oursFailed: 0,
        sequentialFailed: 0,
      },
      { label: 'a <b> & "c"', oursMs: 500, floorMs: 400, sequentialMs: 300, oursFailed: 2, sequentialFailed: 7 },
    ],
    { title: 'T & T', subtitle: 'sub' },
  );

  it('is one SVG document with every case labelled and text escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('300 new · 30 ms · 1 vault');
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).toContain('T &amp; T');
    expect(svg).not.toContain('<b>');
  });

  it('scales each case to its longest bar and labels times, ratios and failures', () => {
    expect(svg).toContain('width="380.0"'); // the 10 s sequential bar of case 1, and the 500 ms bar of case 2
    expect(svg).toContain('width="76.0"'); // 2 s of 10 s
    expect(svg).toContain('2.00 s (2.00× floor)');
    expect(svg).toContain('10.0 s (10.00× floor)');
    expect(svg).toContain('· 2 failed');
    expect(svg).toContain('· 7 failed');
  });

  it('formats seconds and escapes', () => {
    expect(fmtSeconds(1234)).toBe('1.23 s');
    expect(fmtSeconds(31_234)).toBe('31.2 s');
    expect(fmtSeconds(Number.NaN)).toBe('n/a');
    expect(escapeXml(`<&'">`)).toBe('&lt;&amp;&apos;&quot;&gt;');
  });
});

import type { CaseFigures } from '../../bench/lib/goals.js';
import { evaluateGoals, verdict } from '../../bench/lib/goals.js';

const base = { oursFailed: 0, requestsPerSecret: 2, sequentialMs: 20_000 };
const cases: CaseFigures[] = [
  {
    ...base,
    id: 'n300-l30',
    secrets: 300,
    latencyMs: 30,
    vaults: 1,
    floorMs: 1000,
    oursMs: 1200,
    rerun: { readsPerSecret: 1, writesPerSecret: 0 },
  },
  { ...base, id: 'n300x3-l30', secrets: 300, latencyMs: 30, vaults: 3, floorMs: 1000, oursMs: 1600 },
  {
    ...base,
    id: 'n1000-l0',
    secrets: 1000,
    latencyMs: 0,
    vaults: 1,
    floorMs: 30_000,
    oursMs: 36_000,
    requestsPerSecret: 2.3,
    oursFailed: 4,
  },
];

describe('bench goals', () => {
  const goals = evaluateGoals(cases);
  const byName = (start: string) => goals.find((g) => g.goal.startsWith(start))!;

  it('judges each goal on its own case, PASS or MISS, and says NOT RUN when the case is missing', () => {
    expect(verdict(byName('300 new secrets, 30 ms, 1 vault: ours ÷ floor'))).toBe('PASS');
    expect(byName('300 new secrets, 30 ms, 1 vault: ours ÷ floor').figure).toBe('1.200× (1.20 s ÷ 1.00 s)');
    expect(byName('300 new secrets, 30 ms, 1 vault: sequential').value).toBeCloseTo(20_000 / 1200, 9);
    expect(verdict(byName('1,000 new secrets, 0 ms'))).toBe('MISS'); // 36 ÷ 30 = 1.2
    expect(verdict(byName('1,000 new secrets, 30 ms'))).toBe('NOT RUN');
    expect(verdict(byName('3 vaults × 300 new secrets, 30 ms'))).toBe('MISS'); // 1.6 ÷ 1.2 = 1.33
    expect(verdict(byName('3 vaults × 300 new secrets, 0 ms'))).toBe('NOT RUN');
  });

  it('judges 300 new secrets at 30 ms against the floor at 1.25 and at 1.5', () => {
    const of = (figures: CaseFigures[], target: string) =>
      evaluateGoals(figures).find(
        (g) => g.goal === '300 new secrets, 30 ms, 1 vault: ours ÷ floor' && g.target === target,
      )!;
    const at = (oursMs: number) => [{ ...cases[0]!, floorMs: 1000, oursMs }];
    expect([verdict(of(at(1200), '≤ 1.25')), verdict(of(at(1200), '≤ 1.5'))]).toEqual(['PASS', 'PASS']);
    expect([verdict(of(at(1400), '≤ 1.25')), verdict(of(at(1400), '≤ 1.5'))]).toEqual(['MISS', 'PASS']);
    expect([verdict(of(at(1501), '≤ 1.25')), verdict(of(at(1501), '≤ 1.5'))]).toEqual(['MISS', 'MISS']);
    expect(of(at(1500), '≤ 1.5').figure).toBe('1.500× (1.50 s ÷ 1.00 s)');
    expect(verdict(of(at(1500), '≤ 1.5'))).toBe('PASS');
    expect(verdict(of([], '≤ 1.5'))).toBe('NOT RUN');
  });

  it('sums failures and takes the worst requests per secret over every case', () => {
    expect(byName('failed secrets').figure).toBe('4 (n1000-l0: 4)');
    expect(verdict(byName('failed secrets'))).toBe('MISS');
    expect(byName('requests per new secret').figure).toBe('2.30 (n1000-l0)');
    expect(verdict(byName('requests per new secret'))).toBe('MISS');
    expect(verdict(byName('per unchanged secret'))).toBe('PASS');
  });

  it('needs exactly one read and no write per unchanged secret', () => {
    const g = evaluateGoals([{ ...cases[0]!, rerun: { readsPerSecret: 1.01, writesPerSecret: 0 } }]);
    expect(verdict(g.find((x) => x.goal.startsWith('per unchanged'))!)).toBe('MISS');
  });
});

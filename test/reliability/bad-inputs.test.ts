// The bad-input generator of the reliability suite covers every input a platform has, with enough cases.
import { badInputs } from '../../reliability/lib/bad-inputs.js';
import { ALL_INPUTS, PLATFORMS, inputsOf } from '../../src/core/inputs/inputs.js';

describe.each(PLATFORMS)('bad inputs on %s', (platform) => {
  const cases = badInputs(platform);

  it('has at least 200 distinct cases', () => {
    const distinct = new Set(cases.map((c) => JSON.stringify([c.key, c.text, c.with ?? {}])));
    expect(distinct.size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it('covers every input that can be given a bad value', () => {
    const covered = new Set(cases.map((c) => c.key));
    const free = ['owner', 'verbose', 'help', 'version', 'audience', 'azureSubscription'];
    const missing = inputsOf(platform).filter(
      (k) => !covered.has(k) && !free.includes(k) && !(platform === 'cli' && ALL_INPUTS[k].kind.type === 'boolean'),
    );
    expect(missing).toEqual([]);
  });
});

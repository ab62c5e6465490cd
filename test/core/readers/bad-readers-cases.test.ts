// Every `readers` case of the reliability suite's bad-input generator is refused by the parser alone (so before any
// request), naming `readers` and the case's line, on every platform.
import { badInputs } from '../../../reliability/lib/bad-inputs.js';
import { parseRequest } from '../../../src/core/inputs/parse-request.js';
import type { RawInputs } from '../../../src/core/inputs/inputs.js';
import { azdoContext, githubContext } from '../../helpers/parse.js';

const cases = badInputs('github').filter((c) => c.key === 'readers');

it('has the readers cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));

describe.each([
  ['github', githubContext({ V: 'v' })],
  ['azdo', azdoContext({ V: 'v' })],
])('on %s', (_, ctx) => {
  it.each(cases.map((c) => [c.why, c] as const))('%s', (__, c) => {
    const raw: RawInputs = {
      secrets: 'V',
      ...(c.ownTarget ? {} : { 'vault-url': 'https://kv-one.vault.azure.net' }),
      ...c.with,
      readers: c.text,
    };
    const parsed = parseRequest(raw, ctx);
    expect(parsed.request).toBeUndefined();
    expect(parsed.problems.join('\n')).toMatch(new RegExp(`readers line ${c.line}\\b`));
  });
});

// Messages name what the person gave, as their platform spells it, and name exactly what this run needs.
import { describeError, pushPolicyNeeds } from '../../../src/core/errors/describe-error.js';
import { labeller } from '../../../src/core/inputs/inputs.js';

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const throttled = Object.assign(new Error('throttled'), { name: 'RestError', statusCode: 429 });
const policyDenied = Object.assign(new Error('denied'), {
  name: 'RestError',
  statusCode: 403,
  code: 'Forbidden',
  details: { error: { code: 'Forbidden', innererror: { code: 'AccessDenied' } } },
});

it.each([
  ['github', 'check vault-url (', 'lower max-concurrency,'],
  ['azdo', 'check vaultUrl (', 'lower maxConcurrency,'],
  ['cli', 'check --vault-url (', 'lower --max-concurrency,'],
] as const)('%s: the vault URL and max-concurrency by their names there', (platform, url, concurrency) => {
  const label = labeller(platform);
  expect(describeError(refused, 'read', { label })).toContain(url);
  expect(describeError(throttled, 'write', { label })).toContain(concurrency);
});

it('an access-policy denial names the permissions this run needs: purge only with on-deleted purge', () => {
  const label = labeller('github');
  const recover = describeError(policyDenied, 'write', { label, policyNeeds: pushPolicyNeeds('recover') });
  expect(recover).toMatch(/secret permission\(s\) set; this run needs get, list, set and recover/);
  expect(recover).not.toContain('purge');
  const purge = describeError(policyDenied, 'write', { label, policyNeeds: pushPolicyNeeds('purge') });
  expect(purge).toContain('this run needs get, list, set, recover and purge');
});

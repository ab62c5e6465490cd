import { VERSION, userAgent } from '../../../src/core/common/user-agent.js';

it('builds aml-vault-push/VERSION (platform)', () => {
  expect(userAgent('github', '1.2.3')).toBe('aml-vault-push/1.2.3 (github)');
  expect(userAgent('azdo', '1.2.3')).toBe('aml-vault-push/1.2.3 (azdo)');
  expect(userAgent('cli', '1.2.3')).toBe('aml-vault-push/1.2.3 (cli)');
});

it('from source (no bundle define) the version says so', () => {
  expect(VERSION).toBe('0.0.0-dev');
  expect(userAgent('cli')).toBe('aml-vault-push/0.0.0-dev (cli)');
});

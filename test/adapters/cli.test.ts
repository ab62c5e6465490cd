// The CLI adapter with an in-memory io: flags, usage, and validation before any request.
import { runCli, type CliIo } from '../../src/adapters/cli/run.js';

function io() {
  const state = { out: '', err: '', code: 0 };
  const cli: CliIo = {
    out: (t) => (state.out += t),
    err: (t) => (state.err += t),
    readFile: () => '{"FROM_FILE": "file-secret-value", "bad key!": "x"}',
    setExitCode: (c) => (state.code = c),
  };
  return { cli, state };
}

describe('CLI', () => {
  it('prints usage for --help', async () => {
    const { cli, state } = io();
    await runCli(['--help'], {}, cli);
    expect(state.out).toContain('Usage: aml-vault-push');
    expect(state.code).toBe(0);
  });

  it('an unknown flag is a usage error (exit 2)', async () => {
    const { cli, state } = io();
    await runCli(['--vault-uri', 'x'], {}, cli);
    expect(state.err).toMatch(/vault-uri/);
    expect(state.code).toBe(2);
  });

  it('names problems by flag, reads values from the environment only, never prints one', async () => {
    const { cli, state } = io();
    await runCli(
      [
        '--vault-name',
        'kv',
        '--secrets',
        'A',
        '--secrets',
        'MISSING',
        '--secrets-json-file',
        'f.json',
        '--max-concurrency',
        '0',
      ],
      { A: 'env-secret-value' },
      cli,
    );
    expect(state.code).toBe(1);
    expect(state.err).toMatch(/--secrets line 2: no environment variable of that name is set/);
    expect(state.err).not.toMatch(/MISSING/);
    expect(state.err).toMatch(/--secrets-json-file/);
    expect(state.err).toMatch(/--max-concurrency/);
    expect(state.err + state.out).not.toMatch(/env-secret-value|file-secret-value/);
  });
});

// The GitHub adapter with a plain object in place of @actions/core: no network is reached because
// every case here fails validation, which happens before any request.
import { runGitHub, type ActionsCore } from '../../src/adapters/github/run.js';

function fakeCore(inputs: Record<string, string>) {
  const calls: string[] = [];
  const core = {
    getInput: (name: string) => inputs[name] ?? '',
    setSecret: (s: string) => calls.push(`mask:${s}`),
    setOutput: (n: string, v: string) => calls.push(`output:${n}=${v}`),
    setFailed: (m: string | Error) => calls.push(`failed:${String(m)}`),
    debug: (m: string) => calls.push(`debug:${m}`),
    info: (m: string) => calls.push(`info:${m}`),
    warning: (m: string | Error) => calls.push(`warning:${String(m)}`),
    isDebug: () => true,
    summary: { addRaw: () => ({ write: async () => undefined }) },
  } as unknown as ActionsCore;
  return { core, calls };
}

describe('GitHub adapter', () => {
  it('masks every value and each of its lines before it reports the input problems, once', async () => {
    const { core, calls } = fakeCore({
      secrets: 'good=MULTI\nbad_name!=OTHER',
      'vault-url': 'https://kv.vault.azure.net',
    });
    await runGitHub(core, { MULTI: 'line-one\nline-two', OTHER: 'other-value' });
    const failed = calls.filter((c) => c.startsWith('failed:'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/secrets line 2\b/);
    expect(failed[0]).not.toContain('other-value');
    const firstNonMask = calls.findIndex((c) => !c.startsWith('mask:'));
    expect(calls.slice(0, firstNonMask).sort()).toEqual(
      ['mask:line-one\nline-two', 'mask:line-one', 'mask:line-two', 'mask:other-value'].sort(),
    );
    // The outputs are written all the same, before the failure: the name it could read is failed.
    expect(calls.filter((c) => c.startsWith('output:'))).toEqual([
      'output:created=[]',
      'output:updated=[]',
      'output:unchanged=[]',
      'output:recovered=[]',
      'output:failed=["good"]',
      'output:versions={}',
      'output:deleted=[]',
      'output:vault-url=',
      'output:results={}',
      'output:references={}',
    ]);
    expect(calls.findIndex((c) => c.startsWith('output:'))).toBeLessThan(
      calls.findIndex((c) => c.startsWith('failed:')),
    );
  });

  it('refuses an http vault URL before any request', async () => {
    const { core, calls } = fakeCore({ secrets: 'A', 'vault-url': 'http://kv.vault.azure.net' });
    await runGitHub(core, { A: 'x' });
    expect(calls.find((c) => c.startsWith('failed:'))).toMatch(/vault-url.*https/s);
  });
});

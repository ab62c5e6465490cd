// The Azure DevOps adapter with a plain object in place of the task library.
import { runAzdo, type TaskLib } from '../../src/adapters/azdo/run.js';
import { camelCase as azdoName } from '../../src/core/inputs/inputs.js';

function fakeTaskLib(inputs: Record<string, string>, variables: Record<string, string>) {
  const calls: string[] = [];
  let stream: { write(s: string): unknown } = { write: (s: string) => calls.push(`stdout:${s.trim()}`) };
  const stdout = stream;
  // Like the real library: reading an input or a variable echoes it as a debug line on its stream.
  const tl = {
    getInput: (name: string) => {
      stream.write(`##vso[task.debug]${name}=${inputs[name]}\n`);
      return inputs[name];
    },
    getVariable: (name: string) => {
      stream.write(`##vso[task.debug]${name}=${variables[name]}\n`);
      return variables[name];
    },
    // Like the real library: each value is read through getVariable, and so echoed.
    getVariables: () =>
      Object.keys(variables).map((name) => {
        stream.write(`##vso[task.debug]${name}=${variables[name]}\n`);
        return { name, value: variables[name], secret: false };
      }),
    setStdStream: (s: { write(s: string): unknown }) => {
      stream = s === (process.stdout as unknown) ? stdout : s;
    },
    setSecret: (s: string) => {
      if (/[\r\n]/.test(s)) throw new Error('Secrets cannot contain multiple lines');
      calls.push(`mask:${s}`);
    },
    setVariable: (n: string) => calls.push(`var:${n}`),
    setResult: (r: number, m: string) => calls.push(`result:${r}:${m}`),
    error: (m: string) => calls.push(`error:${m}`),
    debug: (m: string) => calls.push(`debug:${m}`),
    warning: (m: string) => calls.push(`warning:${m}`),
    uploadSummary: (p: string) => calls.push(`summary:${p}`),
    TaskResult: { Succeeded: 0, SucceededWithIssues: 1, Failed: 2 },
  } as unknown as TaskLib;
  return { tl, calls };
}

describe('Azure DevOps adapter', () => {
  it('maps input names to camelCase', () => {
    expect(azdoName('secrets-json')).toBe('secretsJson');
    expect(azdoName('max-concurrency')).toBe('maxConcurrency');
    expect(azdoName('tags')).toBe('tags');
  });

  it('reads values without the library echoing them, masks line by line, fails once by camelCase input name', async () => {
    const { tl, calls } = fakeTaskLib(
      { secrets: 'ok=MULTI', secretsJson: '{"bad key!": "json-secret-value"}', vaultUrl: 'https://kv.vault.azure.net' },
      { MULTI: 'first-line\r\nsecond-line' },
    );
    await runAzdo(tl, {});
    const text = calls.join('\n');
    expect(text).not.toMatch(/stdout:.*(first-line|json-secret-value)/);
    expect(calls).toEqual(expect.arrayContaining(['mask:first-line', 'mask:second-line', 'mask:json-secret-value']));
    // One error issue states the failure; the result (task.complete) carries no second copy.
    expect(calls.filter((c) => c.startsWith('result:'))).toEqual(['result:2:']);
    const errors = calls.filter((c) => c.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error:.*secretsJson/s);
    expect(errors[0]).not.toContain('json-secret-value');
  });

  it('suggests a pipeline variable by name for one that is not set, reading the variables quietly', async () => {
    const { tl, calls } = fakeTaskLib(
      { secrets: 'db=DB_PASWORD\nhf-token=hf_AbCd1234567', vaultUrl: 'https://kv.vault.azure.net' },
      { DB_PASSWORD: 'pipeline-secret-value', HF_TOKEN: 'hf_AbCd1234567' },
    );
    await runAzdo(tl, {});
    const text = calls.join('\n');
    expect(text).not.toMatch(/pipeline-secret-value|hf_AbCd/);
    const [result] = calls.filter((c) => c.startsWith('error:')); // the one error issue states the failure
    expect(result).toContain('secrets line 1: no pipeline variable of that name is set');
    expect(result).toContain('did you mean DB_PASSWORD?');
    // Line 2 is the value of a variable: no name is suggested for it.
    expect(result).toMatch(/secrets line 2: [^\n]*never its value$/m);
  });
});

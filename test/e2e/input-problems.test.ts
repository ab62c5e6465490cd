// A step whose inputs are wrong still leaves its outputs and a summary behind, then fails: the
// committed bundles as the runner and the agent start them, on Node 20 and 24. `failed` lists every
// secret name that could be read, the other outputs are empty; the summary lists every problem;
// no request reaches the emulator and no value is written anywhere.
import { startEmulator, type Emulator } from '../helpers/emulator.js';
import { HARNESSES } from '../helpers/harness.js';

const VALUES = { DB_PASSWORD: 'problem-run-Vb71', API_TOKEN: 'problem-run-Qz05' };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => emu?.stop());

describe.each(HARNESSES)('bad inputs on $label', ({ make }) => {
  it('writes the outputs and a summary of the problems, then fails, before any request', async () => {
    await emu.clearRequests();
    const run = await make(emu.env).push({
      inputs: {
        'vault-url': emu.vaultUrl,
        // Two readable names, one line that is not a variable name, and an unset variable.
        secrets: 'DB_PASSWORD\nopenai-key=API_TOKEN\nnot a variable\nmissing-one=NOT_SET',
        'expires-in': 'soon',
      },
      values: VALUES,
    });
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/3 problems in the inputs; nothing was written/);
    expect(run.outputs).toEqual({
      created: '[]',
      updated: '[]',
      unchanged: '[]',
      recovered: '[]',
      failed: JSON.stringify(['DB-PASSWORD', 'openai-key', 'missing-one']),
      versions: '{}',
      deleted: '[]',
      'vault-url': '',
      results: '{}',
      references: '{}',
    });
    expect(run.summary).toMatch(/### aml-vault-push: 3 problems in the inputs, nothing was written/);
    expect(run.summary).toMatch(/^- .*secrets.* line 3/m);
    expect(run.summary).toMatch(/^- .*secrets.* line 4: no (environment|pipeline) variable of that name is set/m);
    expect(run.summary).not.toContain('NOT_SET');
    expect(run.summary).toMatch(/^- .*expires-?in/im);
    for (const name of ['DB-PASSWORD', 'openai-key', 'missing-one']) expect(run.summary).toContain(`| ${name} |`);
    for (const v of Object.values(VALUES)) {
      expect(run.summary).not.toContain(v);
      expect(JSON.stringify(run.outputs)).not.toContain(v);
    }
    expect(await emu.requests()).toEqual([]);
  });
});

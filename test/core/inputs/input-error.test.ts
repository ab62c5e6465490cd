import { InputError } from '../../../src/core/inputs/input-error.js';

describe('InputError', () => {
  it('states one problem as one line', () => {
    const error = new InputError(['--secrets line 1: no environment variable of that name is set']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InputError');
    expect(error.problems).toEqual(['--secrets line 1: no environment variable of that name is set']);
    expect(error.message).toBe('--secrets line 1: no environment variable of that name is set (nothing was written)');
  });

  it('lists several problems under their count', () => {
    const problems = ['first problem', 'second problem', 'third problem'];
    const error = new InputError(problems);
    expect(error.problems).toEqual(problems);
    expect(error.message).toBe(
      '3 problems in the inputs; nothing was written:\n- first problem\n- second problem\n- third problem',
    );
  });

  it('is told apart by name, as the error descriptions do', () => {
    const error: unknown = new InputError(['x', 'y']);
    expect(error instanceof Error && error.name).toBe('InputError');
    expect(String(error)).toMatch(/^InputError: 2 problems in the inputs; nothing was written:\n- x\n- y$/);
  });
});

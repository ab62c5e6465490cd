import { InputError } from '../../../src/core/inputs/input-error.js';

describe('InputError', () => {
  it.each([[['a']], [['first problem', 'second problem', 'third problem']]])('lists every problem (%j)', (problems) => {
    const error = new InputError(problems);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InputError');
    expect(error.problems).toEqual(problems);
    expect(error.message).toBe(
      `${problems.length} problem(s) in the inputs; nothing was written:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  });

  it('is told apart by name, as the error descriptions do', () => {
    const error: unknown = new InputError(['x']);
    expect(error instanceof Error && error.name).toBe('InputError');
    expect(String(error)).toMatch(/^InputError: 1 problem\(s\) in the inputs; nothing was written:\n- x$/);
  });
});

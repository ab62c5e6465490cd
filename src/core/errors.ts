// The one error the core throws for bad inputs. It carries every problem at once, so a user fixes them in one go.

export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(public readonly problems: string[]) {
    super(
      `${problems.length} problem(s) in the inputs; nothing was written:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
}

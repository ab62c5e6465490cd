// The one error the core throws for bad inputs. It carries every problem at once, so a user fixes them in one go.

export class InputError extends Error {
  override readonly name = 'InputError';

  /**
   * @param problems every problem, each naming its input, never a value
   * @param names the vault secret names that could be read: the step's `failed` output lists them
   */
  constructor(
    public readonly problems: string[],
    public readonly names: string[] = [],
  ) {
    // One problem is one line; several are a list under a count.
    super(
      problems.length === 1
        ? `${problems[0]} (nothing was written)`
        : `${problems.length} problems in the inputs; nothing was written:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
}

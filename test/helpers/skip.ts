// A test that cannot run on this machine is reported by jest as skipped, with its reason in its title, and the
// closing line counts it as skipped, never as passed.

/** `it`, or `it.skip` with the reason appended to the title when `missing` says what this machine lacks. */
export function itWhere(missing: string | undefined, title: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (missing === undefined) it(title, fn, timeout);
  else it.skip(`${title} [skipped: ${missing}]`, fn);
}

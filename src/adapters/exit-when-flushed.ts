// Ends the process once its output is written. A request the run gave up on can leave a socket open that nothing
// will close (a proxy that accepted the tunnel and then went silent ignores the abort): the step has reported by
// then, and must not sit until the job's timeout. The exit code stays what the adapter set.
export function exitWhenFlushed(): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit()));
}

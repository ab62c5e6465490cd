// Prints the closing line CI reads: "N passed, N failed, N skipped", alone on a line. Also
// writes it to build/test-summary.txt, so .ci/run can repeat it after jest's own summary (which
// goes to stderr and would otherwise come last).
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    // Each skipped test, with the reason its title carries (test/helpers/skip.ts), before the closing line.
    for (const file of results.testResults) {
      for (const t of file.testResults) if (t.status === 'pending') process.stdout.write(`\nskipped: ${t.fullName}`);
    }
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    // Always the three counts: CI's closing line says how much did not run.
    const line = `${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.stdout.write(`\n${line}\n`);
    mkdirSync(join(this.rootDir, 'build'), { recursive: true });
    writeFileSync(join(this.rootDir, 'build', 'test-summary.txt'), `${line}\n`);
  }
}
module.exports = SummaryReporter;

// Prints the closing line CI reads: "N passed, N failed" (plus skipped), alone on a line. Also
// writes it to build/test-summary.txt, so .ci/run can repeat it after jest's own summary (which
// goes to stderr and would otherwise come last).
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    let line = `${results.numPassedTests} passed, ${failed} failed`;
    if (results.numPendingTests > 0) line += `, ${results.numPendingTests} skipped`;
    process.stdout.write(`\n${line}\n`);
    mkdirSync(join(this.rootDir, 'build'), { recursive: true });
    writeFileSync(join(this.rootDir, 'build', 'test-summary.txt'), `${line}\n`);
  }
}
module.exports = SummaryReporter;

// Prints one plain closing line CI tools can read in any language: `tests: N passed, N failed, N skipped`.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    // After Jest's own summary, so it is the run's closing line.
    process.once('exit', () => process.stderr.write(line));
  }
}

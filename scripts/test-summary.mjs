// Adds up the JSON reports of vitest (unit, integration) and Playwright into one closing line,
// "N passed, N failed, N skipped", so a run reads the same whatever runner produced it.
import { existsSync, readFileSync } from 'node:fs';

const [, , ...reports] = process.argv;
let passed = 0;
let failed = 0;
let skipped = 0;

function countPlaywrightSuite(suite) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      const outcome = test.status; // expected | unexpected | flaky | skipped
      if (outcome === 'skipped') skipped += 1;
      else if (outcome === 'unexpected') failed += 1;
      else passed += 1;
    }
  }
  for (const child of suite.suites ?? []) countPlaywrightSuite(child);
}

for (const path of reports) {
  if (!existsSync(path)) {
    console.error(`test-summary: no report at ${path} (that suite did not run to the end)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof report.numPassedTests === 'number') {
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numFailedTestSuites ?? 0) - countSuitesWithFailedTests(report);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  } else if (Array.isArray(report.suites)) {
    for (const suite of report.suites) countPlaywrightSuite(suite);
    failed += (report.errors ?? []).length;
  }
}

// A vitest file that fails to load counts as a failed suite with no failed tests; count it once.
function countSuitesWithFailedTests(report) {
  return (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

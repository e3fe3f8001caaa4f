// Reads vitest JSON reports and fails a run that failed, ran no test, skipped a test, or did
// not prove which database it ran on (the test "runs against <db> as DB_URL says").
const fs = require('node:fs');

function load(path) {
  if (!fs.existsSync(path)) return null;
  return JSON.parse(fs.readFileSync(path, 'utf8'));
}

function counts(report) {
  const all = report.testResults.flatMap((file) => file.assertionResults);
  return {
    total: report.numTotalTests,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
    all,
  };
}

const args = process.argv.slice(2);
if (args[0] === '--total') {
  let passed = 0;
  let failed = 0;
  for (const path of args.slice(1)) {
    const report = load(path);
    if (!report) {
      failed += 1;
      continue;
    }
    const c = counts(report);
    passed += c.passed;
    failed += c.failed + c.skipped;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

const [name, path] = args;
const report = load(path);
if (!report) {
  console.error(`${name}: no test report was written (the run did not reach the tests)`);
  process.exit(1);
}
const c = counts(report);
const problems = [];
if (c.total === 0) problems.push('no test was executed');
if (c.failed > 0) problems.push(`${c.failed} failed`);
if (c.skipped > 0) problems.push(`${c.skipped} skipped (database tests must not skip)`);
const proof = c.all.find((t) => t.title === `runs against ${name} as DB_URL says`);
if (!proof || proof.status !== 'passed') problems.push(`the run did not prove it ran on ${name}`);
console.log(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped of ${c.total}`);
if (problems.length) {
  console.error(`${name}: FAILED — ${problems.join('; ')}`);
  process.exit(1);
}

// `npm test`: runs every suite with vitest, then prints the closing line CI counts:
// `N passed, N failed, N skipped`. Extra arguments go to vitest (a file filter, -t pattern).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { conformanceRows, renderConformanceTable } from '../scripts/conformance-table.mjs'

const report = join(mkdtempSync(join(tmpdir(), 'nvent-test-')), 'report.json')
const vitest = join(import.meta.dirname, '..', 'node_modules', '.bin', 'vitest')
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]
const result = spawnSync(vitest, args, { stdio: 'inherit' })

let passed = 0
let failed = 0
let skipped = 0
if (existsSync(report)) {
  const summary = JSON.parse(readFileSync(report, 'utf8'))
  passed = summary.numPassedTests
  failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0)
  skipped = summary.numPendingTests + summary.numTodoTests
  const rows = conformanceRows(summary)
  if (rows.length > 0)
    console.log(`\nConformance by backend:\n${renderConformanceTable(rows)}\n`)
  // A suite that fails to load has no tests; count it so a broken file cannot pass silently.
  for (const file of summary.testResults ?? []) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failed++
  }
}
else {
  failed = 1
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(result.status === 0 && failed === 0 ? 0 : 1)

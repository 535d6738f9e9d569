import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

import { PROJECT_ROOT } from './services.ts'

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/** Builds the production web app unless build/ is newer than every source it is built from. */
export function buildIfNeeded(say: (s: string) => void) {
  const out = path.join(PROJECT_ROOT, 'build/server/index.js')
  const sources = Math.max(
    newestMtime(path.join(PROJECT_ROOT, 'app')),
    newestMtime(path.join(PROJECT_ROOT, 'public')),
    newestMtime(path.join(PROJECT_ROOT, 'content')),
  )
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return
  say('Building the web app (first start, or sources changed)…')
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  })
  if (r.status !== 0) throw new Error('Build failed (see above).')
}

import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests: a real browser against the real platform (web + worker, PostgreSQL, Redis),
 * started by test/e2e/server.ts on its own port and its own database. `npm run test:e2e`.
 * Chromium is the system's (Debian's) build: set PLAYWRIGHT_CHROMIUM_PATH to use another.
 * Tests are the *.spec.ts files; the screenshot tour (*.tour.ts) is not matched here: it runs
 * with `npm run screenshots` (playwright.screenshots.config.ts).
 */
const port = Number(process.env.E2E_PORT ?? 3100)
const baseURL = `http://localhost:${port}`

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'node --import tsx test/e2e/server.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
})

import { defineConfig } from '@playwright/test'

import config from './playwright.config.ts'

/**
 * The screenshot tour (test/e2e/screenshots.tour.ts), opt-in: `npm run screenshots`. The same
 * platform as the end-to-end tests (test/e2e/server.ts, the same port and database, so never at
 * the same time as `npm run test:e2e`), but its own file pattern and no JSON report, so the
 * shots are not counted as tests.
 */
export default defineConfig({
  ...config,
  testMatch: '**/*.tour.ts',
  retries: 0,
  reporter: [['list']],
})

import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, previewServer } from '../playwright.config';

/** The map benchmark: same Chromium as the e2e tests, its own port, a 1080p viewport. */
const port = Number(process.env.BENCH_PORT ?? 4174);

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 300_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1920, height: 1080 },
    launchOptions: chromiumLaunchOptions,
  },
  webServer: previewServer(port, '..'),
});

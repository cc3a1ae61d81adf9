import { defineConfig } from '@playwright/test';

/** Debian's chromium by default; CHROMIUM_PATH points the tests at another build. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // Headless as root with no network: no sandbox, no GPU, no background requests.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

/** Build, then serve the production bundle on 127.0.0.1:port (run from the repository root). */
export function previewServer(port: number, cwd?: string) {
  return {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    ...(cwd ? { cwd } : {}),
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  };
}

const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  // One retry in CI: two shared cores make rare timing flakes; Playwright reports them as flaky.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1440, height: 900 },
    launchOptions: chromiumLaunchOptions,
  },
  webServer: previewServer(port),
});

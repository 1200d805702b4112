import { defineConfig } from "@playwright/test";

/**
 * Browser tests against the production build (`npm run build` first) on a fresh SQLite database
 * with demo data, prepared by the webServer command itself (Playwright starts webServer before
 * globalSetup). Debian's Chromium by default; PNAKOTIC_CHROMIUM points at another Chromium.
 */
const port = Number(process.env.PNAKOTIC_E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "tests/.artifacts/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { outputFolder: "tests/.artifacts/e2e-report", open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.PNAKOTIC_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: `npx tsx tests/e2e/start-test-server.ts ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});

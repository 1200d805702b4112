import { defineConfig } from "@playwright/test";

/**
 * A consumer's Playwright config for the kit's examples. Everything about the server comes from the
 * environment (PNAKOTIC_URL, PNAKOTIC_TOKEN, optional PNAKOTIC_STAFF_USER/PASSWORD); the browser is
 * the machine's Chromium when PNAKOTIC_CHROMIUM names one (e.g. Debian's /usr/bin/chromium),
 * Playwright's own otherwise.
 */
const chromium = process.env.PNAKOTIC_CHROMIUM;

export default defineConfig({
  testDir: ".",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: process.env.PNAKOTIC_URL,
    trace: "retain-on-failure",
    launchOptions: chromium
      ? {
          executablePath: chromium,
          // Without the networking flags Chromium keeps calling home on a closed network.
          args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }
      : {},
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});

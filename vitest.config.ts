import { defineConfig } from "vitest/config";

// Projects: `unit` (pure functions), `integration` (real SQLite files), `integration-pg` (the same
// files on a real PostgreSQL), `api` (a real production server, `node server.mjs`; needs `npm run build` first).
// `npm test` runs all of them.
export default defineConfig({
  test: {
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], env: { LOG_LEVEL: "error" } } },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal", PNAKOTIC_TEST_DATABASE: "sqlite" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same persistence suite against PostgreSQL (run through scripts/test-postgres.ts,
        // which skips it with a message when no PostgreSQL is reachable outside CI).
        test: {
          name: "integration-pg",
          include: ["tests/integration/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal", PNAKOTIC_TEST_DATABASE: "postgresql" },
          globalSetup: ["tests/postgres-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "multi-instance",
          include: ["tests/multi-instance/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal", PNAKOTIC_TEST_DATABASE: "postgresql" },
          globalSetup: ["tests/multi-instance/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Crash, soak and hygiene tests against real servers (need `npm run build`).
        test: {
          name: "reliability",
          include: ["tests/reliability/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal" },
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Operations: promtool on the shipped rules and a live /api/metrics, a real Prometheus
        // scraping a real server, the Python client's unittest suite (needs `npm run build`).
        test: {
          name: "ops",
          include: ["tests/ops/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal" },
          globalSetup: ["tests/ops/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "api",
          include: ["tests/api/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal" },
          globalSetup: ["tests/api/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One server per run; files share it and must not fight over the same players.
          fileParallelism: false,
        },
      },
    ],
  },
});

import { defineConfig } from "vitest/config";

// Three projects: `unit` (pure functions), `integration` (real SQLite files), `api` (a real
// `next start` server; needs `npm run build` first). `npm test` runs all of them.
export default defineConfig({
  test: {
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
    projects: [
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], env: { LOG_LEVEL: "error" } } },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          env: { LOG_LEVEL: "fatal" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
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

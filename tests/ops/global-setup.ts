import type { TestProject } from "vitest/node";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { startAppServer } from "../helpers/app-server.ts";
import { createTestDatabaseFile } from "../helpers/test-database.ts";

export interface OpsTestEnvironment {
  baseUrl: string;
  databaseFile: string;
  serviceToken: string;
  adminToken: string;
  scrapeToken: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    ops: OpsTestEnvironment;
  }
}

/**
 * One real `next start` (the production build) on a fresh SQLite file, with a service token for
 * game-server clients and a Prometheus scrape token. Shared by the ops tests: promtool, a real
 * Prometheus, and the Python client's unittest suite.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { file, remove } = createTestDatabaseFile();
  const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${file}` }));
  const { token: serviceToken } = await createApiToken(db, { name: "ops-game-server", role: "service" });
  const { token: adminToken } = await createApiToken(db, { name: "ops-operator", role: "admin" });
  await db.$disconnect();
  const scrapeToken = "ops-scrape-token-0123456789abcdef";
  // A long cache TTL so cache hits in the tests do not depend on timing.
  const server = await startAppServer({ env: { DATABASE_URL: `file:${file}`, METRICS_SCRAPE_TOKEN: scrapeToken, CACHE_TTL_MS: "600000", INTEGRITY_CHECK_INTERVAL_MS: "0" } });
  project.provide("ops", { baseUrl: server.baseUrl, databaseFile: file, serviceToken, adminToken, scrapeToken });
  return async () => {
    await server.stop();
    if (process.env.PNAKOTIC_TEST_SERVER_LOG === "1") console.log(server.output());
    remove();
  };
}

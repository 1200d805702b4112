import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

const MIGRATIONS = fileURLToPath(new URL("../prisma/postgres/migrations/", import.meta.url));

/**
 * For the PostgreSQL runs: one template database per run with every migration applied; each test
 * context clones it (CREATE DATABASE … TEMPLATE, fast) and drops its clone. Everything this run
 * created is dropped at the end. PNAKOTIC_TEST_POSTGRES_URL picks the server (default: local, trust).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.PNAKOTIC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const template = `pnakotic_template_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  const client = new pg.Client({ connectionString: templateUrl.toString() });
  await client.connect();
  try {
    for (const migration of readdirSync(MIGRATIONS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
      await client.query(readFileSync(path.join(MIGRATIONS, migration, "migration.sql"), "utf8"));
    }
  } finally {
    await client.end();
  }
  project.provide("postgres", { adminUrl, template });

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    } finally {
      await cleanup.end();
    }
  };
}

import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Runs `use` with the URL of a new, empty PostgreSQL database, and drops it afterwards whatever
 * happened (FORCE: a child process that still holds a connection cannot keep it alive).
 */
export async function withScratchPostgresDatabase<T>(adminUrl: string, prefix: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

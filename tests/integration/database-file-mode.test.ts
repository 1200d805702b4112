import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { testDialect } from "../helpers/test-database.ts";

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

/** The SQLite file holds password and token hashes: only its owner may read it. */
describe.runIf(testDialect === "sqlite")("SQLite database file permissions", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-mode-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function writeThroughApp(file: string) {
    const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${file}` }));
    try {
      await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS probe (x INTEGER)`);
      await db.$executeRawUnsafe(`INSERT INTO probe (x) VALUES (1)`);
      // Read -wal and -shm while the connection is open (a clean close checkpoints and removes them).
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(existsSync(`${file}-shm`)).toBe(true);
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(["600", "600", "600"]);
    } finally {
      await db.$disconnect();
    }
  }

  it("the app creates a new file, its -wal and its -shm with mode 0600 (whatever the umask)", async () => {
    const previous = process.umask(0o022);
    try {
      await writeThroughApp(path.join(dir, "new.db"));
    } finally {
      process.umask(previous);
    }
  });

  it("`prisma migrate deploy` (npm run db:deploy) creates the file with mode 0600", () => {
    const file = path.join(dir, "migrated.db");
    execFileSync("npx", ["prisma", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: `file:${file}`, NODE_OPTIONS: "--require ./scripts/unref-long-timers.cjs" },
      timeout: 60_000,
      stdio: "ignore",
    });
    expect(modeOf(file)).toBe("600");
  });

  it("an existing world-readable file is tightened to 0600 when the app opens it", async () => {
    const file = path.join(dir, "old.db");
    writeFileSync(file, "");
    chmodSync(file, 0o644);
    await writeThroughApp(file);
  });
});

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { provisionDatabase } from "../helpers/provision-database.ts";
import type { ProvisionedDatabase } from "../helpers/provision-database.ts";
import { testDialect } from "../helpers/test-database.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Issue 20 #14: on PostgreSQL `npm run seed` printed "done" and never exited (the invalidation
 * listener and the writer's pool stayed open). The real seed script, as a child process, on both
 * databases: it must exit 0 by itself soon after "done".
 */
describe("npm run seed", () => {
  let database: ProvisionedDatabase;
  let workDir: string;
  beforeAll(async () => {
    database = await provisionDatabase(testDialect);
    // The seed makes its own admin: start from a migrated database without the provisioned one.
    const db = createPrismaClient(parseConfig({ DATABASE_URL: database.url }));
    await db.apiToken.deleteMany({});
    await db.user.deleteMany({});
    await db.$disconnect();
    // The seed writes demo-credentials.txt under ./data on PostgreSQL: keep it out of the repository.
    workDir = mkdtempSync(path.join(tmpdir(), "pnakotic-seed-"));
  });
  afterAll(async () => {
    await database?.remove();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("exits by itself after done", async () => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "prisma/seed.ts")], {
      cwd: workDir,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "fatal" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let doneAt = 0;
    child.stdout.on("data", () => {
      if (!doneAt && output.includes("seed: done")) doneAt = Date.now();
    });
    const exit = await new Promise<number | "hung">((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve("hung");
      }, 90_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    });
    expect(output.slice(-2000)).toContain("seed: done");
    expect(exit, output).toBe(0);
    // Exiting means promptly, not after some library's idle timeout.
    expect(Date.now() - doneAt).toBeLessThan(10_000);
  }, 120_000);
});

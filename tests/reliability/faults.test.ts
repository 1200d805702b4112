import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { registerSqliteFunctions } from "../../lib/persistence/sqlite-functions.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { provisionDatabase } from "../helpers/provision-database.ts";
import { openRawSql, waitFor } from "../helpers/test-database.ts";

/**
 * Disk and lock faults, made for real against a running server on SQLite: another process holding
 * the write lock, and a full disk (a small tmpfs filled up). Writes must answer 503
 * database_unavailable with Retry-After and change nothing; reads and /api/health keep answering
 * (health says "degraded"); once the fault clears, writes succeed again without a restart.
 */
describe("disk and lock faults on SQLite", () => {
  const timed = async (url: string, init?: RequestInit) => {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
  };

  it("a write lock held by another process: writes 503 after the busy timeout, reads and health stay fast, then it heals", async () => {
    const database = await provisionDatabase("sqlite");
    const file = parseConfig({ DATABASE_URL: database.url }).database;
    if (file.kind !== "sqlite") throw new Error("expected SQLite");
    const server = await startAppServer({ env: { DATABASE_URL: database.url, SQLITE_BUSY_TIMEOUT_MS: "800", CACHE_TTL_MS: "0" } });
    const headers = { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" };
    try {
      const created = await timed(`${server.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: "Locked Out" }) });
      const id = created.body.id as string;
      // Another process takes the write lock and holds it for 4 s.
      const holder = spawn(process.execPath, [
        "-e",
        `const D = require(${JSON.stringify(createRequire(import.meta.url).resolve("better-sqlite3"))}); const db = new D(${JSON.stringify(file.file)});
         db.exec("BEGIN EXCLUSIVE"); console.log("locked"); setTimeout(() => { db.exec("ROLLBACK"); db.close(); }, 4000);`,
      ]);
      await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
      const released = new Promise<void>((resolve) => holder.once("exit", () => resolve()));

      const write = await timed(`${server.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 10 }) });
      expect(write.status).toBe(503);
      expect(write.body).toMatchObject({ code: "database_unavailable" });
      expect(write.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(write.ms).toBeLessThan(3_000);
      // Meanwhile reads (uncached: CACHE_TTL_MS=0) and health answer at once.
      const read = await timed(`${server.baseUrl}/api/v1/players/${id}`, { headers });
      expect(read.status).toBe(200);
      expect(read.ms).toBeLessThan(500);
      const health = await timed(`${server.baseUrl}/api/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: "degraded", writes: { state: "failing", lastError: expect.stringMatching(/SQLITE_BUSY/) } });
      expect(health.ms).toBeLessThan(500);

      await released;
      const healed = await timed(`${server.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 10 }) });
      expect(healed.status).toBe(200);
      expect((await timed(`${server.baseUrl}/api/health`)).body).toMatchObject({ status: "ok", writes: { state: "ok" } });
      const sql = await openRawSql(parseConfig({ DATABASE_URL: database.url }));
      try {
        expect(await reconcilePlayer(sql, id, { health: 100 })).toEqual([]);
        expect(await sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: 90, version: 2 });
      } finally {
        await sql.close();
      }
    } finally {
      await server.stop();
      await database.remove();
    }
  });

  // Root ignores file permissions, so the server runs as "nobody" here (CI runs as root).
  it.runIf(process.getuid?.() === 0)("a database file the server cannot write: reads and health answer, writes 503 and change nothing, and it heals once the file is fixed", async () => {
    const NOBODY = { uid: 65534, gid: 65534 };
    const provisioned = await provisionDatabase("sqlite");
    const source = parseConfig({ DATABASE_URL: provisioned.url }).database;
    if (source.kind !== "sqlite") throw new Error("expected SQLite");
    const setup = await openRawSql(parseConfig({ DATABASE_URL: provisioned.url }));
    const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-readonly-"));
    let server: AppServer | undefined;
    try {
      // A player to read, written while the file was still writable; then the file is checkpointed
      // and copied into a folder the server's user owns, the file itself left to root, mode 0644
      // (a backup restored with the wrong owner).
      const prepared = new Database(source.file);
      registerSqliteFunctions(prepared);
      const id = "00000000-0000-4000-8000-00000000000f";
      prepared
        .prepare(`INSERT INTO "Player" ("id", "name", "nameKey", "health", "maxHealth", "attributes", "inventory", "statusEffects", "stats", "updatedAt") VALUES (?, 'Read Only', 'read only', 100, 100, '{}', '[]', '[]', '{}', ?)`)
        .run(id, new Date().toISOString().replace("Z", "+00:00"));
      prepared.pragma("wal_checkpoint(TRUNCATE)");
      prepared.close();
      await setup.close();
      const file = path.join(dir, "pnakotic.db");
      copyFileSync(source.file, file);
      await provisioned.remove();
      chmodSync(dir, 0o755);
      chownSync(dir, NOBODY.uid, NOBODY.gid);
      chmodSync(file, 0o644);
      const url = `file:${file}`;
      server = await startAppServer({ env: { DATABASE_URL: url, CACHE_TTL_MS: "0" }, user: NOBODY });
      const headers = { Authorization: `Bearer ${provisioned.serviceToken}`, "Content-Type": "application/json" };

      expect((await timed(`${server.baseUrl}/api/v1/players/${id}`, { headers })).body).toMatchObject({ id, health: 100 });
      const refused = await timed(`${server.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 10 }) });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: "database_unavailable" });
      expect(refused.headers.get("retry-after")).not.toBeNull();
      expect((await timed(`${server.baseUrl}/api/health`)).body).toMatchObject({ status: "degraded", writes: { state: "failing", lastError: expect.stringMatching(/SQLITE_READONLY/) } });
      expect((await timed(`${server.baseUrl}/api/v1/players/${id}`, { headers })).body).toMatchObject({ health: 100, version: 1 });
      // Through Prisma's own connection too (creating a player): 503, not 500.
      const create = () => timed(`${server!.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: `Created ${Date.now()}` }) });
      expect((await create()).status).toBe(503);

      // The operator gives the file back to the server's user: the next write succeeds, no restart.
      for (const candidate of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(candidate)) chownSync(candidate, NOBODY.uid, NOBODY.gid);
      await waitFor(
        async () => (await timed(`${server!.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 10 }) })).status === 200,
        10_000,
        "writes to succeed once the file is writable",
      );
      expect((await timed(`${server.baseUrl}/api/v1/players/${id}`, { headers })).body).toMatchObject({ health: 90, version: 2 });
      // Prisma's own connection was opened read-only at start and stays so until a restart (see
      // docs/RELIABILITY.md): its writes keep answering 503, never 500.
      expect((await create()).status).toBe(503);
      expect(server.output()).not.toMatch(/unhandled error/);
      expect((await timed(`${server.baseUrl}/api/health`)).body).toMatchObject({ status: "ok" });
    } finally {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("a full disk", () => {
    let mountPoint: string;
    let server: AppServer | undefined;
    beforeAll(() => {
      mountPoint = mkdtempSync(path.join(os.tmpdir(), "pnakotic-tmpfs-"));
      // A real, small filesystem: the test fills it and frees it again.
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint]);
    });
    afterAll(async () => {
      await server?.stop();
      execFileSync("umount", ["-l", mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    });

    it("writes answer 503 and change nothing while the disk is full; reads and health keep answering; it heals when space is freed", async () => {
      const provisioned = await provisionDatabase("sqlite");
      const source = parseConfig({ DATABASE_URL: provisioned.url }).database;
      if (source.kind !== "sqlite") throw new Error("expected SQLite");
      const checkpoint = new Database(source.file);
      checkpoint.pragma("wal_checkpoint(TRUNCATE)");
      checkpoint.close();
      mkdirSync(path.join(mountPoint, "data"));
      const file = path.join(mountPoint, "data", "pnakotic.db");
      copyFileSync(source.file, file);
      await provisioned.remove();
      const url = `file:${file}`;
      server = await startAppServer({ env: { DATABASE_URL: url, CACHE_TTL_MS: "0" } });
      const headers = { Authorization: `Bearer ${provisioned.serviceToken}`, "Content-Type": "application/json" };
      const created = await timed(`${server.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: "Disk Full", maxHealth: 1_000_000 }) });
      const id = created.body.id as string;
      const ok = await timed(`${server.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 1 }) });
      expect(ok.status).toBe(200);

      // Fill the filesystem to the last byte.
      const filler = path.join(mountPoint, "filler");
      try {
        execFileSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=64k"], { stdio: "ignore" });
      } catch {
        // dd stops with "No space left on device": that is the point.
      }
      expect(statSync(filler).size).toBeGreaterThan(0);
      // Keep writing until SQLite needs a new page (the WAL may have room for a few frames).
      let refused: Awaited<ReturnType<typeof timed>> | undefined;
      for (let attempt = 0; attempt < 400 && !refused; attempt += 1) {
        const response = await timed(`${server.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 1, source: "x".repeat(100) }) });
        if (response.status !== 200) refused = response;
      }
      expect(refused?.status).toBe(503);
      expect(refused?.body).toMatchObject({ code: "database_unavailable" });
      const sql = await openRawSql(parseConfig({ DATABASE_URL: url }));
      try {
        const frozen = await sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id);
        // Refused writes change nothing; reads and health still answer.
        const again = await timed(`${server.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 1 }) });
        expect(again.status).toBe(503);
        expect(await sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual(frozen);
        expect((await timed(`${server.baseUrl}/api/v1/players/${id}`, { headers })).status).toBe(200);
        expect((await timed(`${server.baseUrl}/api/health`)).body).toMatchObject({ status: "degraded", writes: { state: "failing", lastError: expect.stringMatching(/SQLITE_FULL|SQLITE_IOERR/) } });

        // Free the space: the next write succeeds, no restart.
        rmSync(filler);
        await waitFor(
          async () => (await timed(`${server!.baseUrl}/api/v1/players/${id}/damage`, { method: "POST", headers, body: JSON.stringify({ amount: 1 }) })).status === 200,
          10_000,
          "writes to succeed after freeing space",
        );
        expect((await timed(`${server.baseUrl}/api/health`)).body).toMatchObject({ status: "ok" });
        expect(await reconcilePlayer(sql, id, { health: 1_000_000 })).toEqual([]);
      } finally {
        await sql.close();
      }
    });
  });
});

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditActions } from "../../lib/audit/audit-actions.ts";
import { listAuditEntries } from "../../lib/audit/list-audit-entries.ts";
import { auditQuery } from "../../lib/api/api-schemas.ts";
import { overviewSummary } from "../../lib/metrics/overview-summary.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

describe("the audit list for support", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("lists newest first by time even when ids run otherwise, and pages by time without a gap or a repeat", async () => {
    const { id, name } = await createPlayer(t.ctx, { name: "Asenath Waite" }, system);
    const base = Date.parse("2026-12-01T12:00:00Z");
    // Inserted out of time order (as the seed and imports do); two share one moment.
    const minutes = [5, 1, 9, 3, 3, 7];
    for (const [index, minute] of minutes.entries()) {
      await t.ctx.db.auditEntry.create({ data: { at: new Date(base + minute * 60_000), actor: "support", action: index % 2 ? "player.revert" : "player.restore", playerId: id, reason: `#${index}` } });
    }
    const all = await listAuditEntries(t.ctx.db, auditQuery.parse({ limit: "100" }));
    const times = all.items.map((entry) => entry.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.items).toHaveLength(6);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEntries(t.ctx.db, auditQuery.parse({ limit: "2", ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((entry) => entry.reason ?? ""));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((entry) => entry.reason));

    // Player by exact name or id, an action, and a time window [since, until).
    const byName = await listAuditEntries(t.ctx.db, auditQuery.parse({ player: name, action: "player.revert" }));
    expect(byName.items.map((entry) => entry.reason)).toEqual(["#5", "#3", "#1"]);
    expect((await listAuditEntries(t.ctx.db, auditQuery.parse({ player: id }))).items).toHaveLength(6);
    expect((await listAuditEntries(t.ctx.db, auditQuery.parse({ player: "Nobody at all" }))).items).toHaveLength(0);
    const window = await listAuditEntries(t.ctx.db, auditQuery.parse({ since: new Date(base + 3 * 60_000).toISOString(), until: new Date(base + 7 * 60_000).toISOString() }));
    expect(window.items.map((entry) => entry.reason).sort()).toEqual(["#0", "#3", "#4"]);
  });

  it("refuses an action the server does not record, and a malformed cursor", () => {
    expect(auditQuery.safeParse({ action: "player.teleport" }).success).toBe(false);
    expect(auditQuery.safeParse({ cursor: "12" }).success).toBe(false);
    expect(auditQuery.safeParse({ action: "stats.declare" }).success).toBe(true);
  });
});

describe("the overview's 'now' figures", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("rates over the last 5 minutes, and flags the seed's demo-seed samples", async () => {
    const now = new Date();
    const sample = (minutesAgo: number, instanceId: string, write: number) => ({
      at: new Date(now.getTime() - minutesAgo * 60_000),
      instanceId,
      intervalMs: 10_000,
      hits: 10,
      misses: 0,
      invalidationsWrite: write,
      invalidationsTtl: 0,
      invalidationsEvent: 0,
      invalidationsManual: 0,
      evictions: 0,
      entries: 0,
      staleSavesRefused: 1,
      persistenceErrors: 0,
      writes: 0,
    });
    await t.ctx.db.cacheMetricSample.createMany({ data: [sample(1, "a", 100), sample(2, "b", 150), sample(30, "a", 3000)] });
    const real = await overviewSummary(t.ctx, now);
    expect(real).toMatchObject({ invalidationsPerMinuteNow: 50, staleSavesRefusedNow: 2, staleSavesRefusedLastHour: 3, includesDemoMetrics: false, nowWindowSeconds: 300 });
    expect(real.invalidationsPerMinuteLastHour).toBe(54.2);
    await t.ctx.db.cacheMetricSample.create({ data: sample(50, "demo-seed", 0) });
    expect((await overviewSummary(t.ctx, now)).includesDemoMetrics).toBe(true);
  });
});

describe("the audit action list", () => {
  it("names every action the code records", () => {
    // Read from the source, so a new `audit: "…"` or `action: "…"` without a list entry fails here.
    const files = (readdirSync("lib", { recursive: true }) as string[]).filter((file) => file.endsWith(".ts") && !file.includes("generated"));
    const recorded = new Set<string>();
    for (const file of files) {
      const text = readFileSync(path.join("lib", file), "utf8");
      for (const match of text.matchAll(/\b(?:audit|action): (?:[^"\n]*\? )?"([a-z]+\.[a-z_]+)"(?: : "([a-z]+\.[a-z_]+)")?/g)) {
        recorded.add(match[1]!);
        if (match[2]) recorded.add(match[2]);
      }
    }
    expect(recorded.size).toBeGreaterThan(5);
    expect([...recorded].filter((action) => !(auditActions as readonly string[]).includes(action))).toEqual([]);
  });
});

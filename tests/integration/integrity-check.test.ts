import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { latestIntegrityReport, runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { createPlayer } from "../../lib/persistence/create-player.ts";
import { damagePlayer } from "../../lib/persistence/damage-player.ts";
import { gainExperience } from "../../lib/persistence/gain-experience.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };

describe("integrity check against the database", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  async function story(name: string) {
    const player = await createPlayer(t.ctx, { name, experiencePoints: 554 }, system);
    for (let round = 0; round < 3; round += 1) await damagePlayer(t.ctx, player.id, 10, {}, service);
    await gainExperience(t.ctx, player.id, 1, {}, service);
    return player.id;
  }

  it("finds nothing after honest writes, and exactly the sabotage afterwards", async () => {
    const honest = await story("Honest");
    const overwritten = await story("Overwritten");
    const forged = await story("Forged");
    const clean = await runIntegrityCheck(t.ctx, { trigger: "manual", actor: "test" });
    expect(clean.run).toMatchObject({ playersScanned: 3, eventsScanned: 12, findingCount: 0 });

    // The original bug, behind the ledger's back: a whole-object save put health back to 100.
    await t.sql.execute(`UPDATE "Player" SET "health" = 100 WHERE "id" = '${overwritten}'`);
    // A forged transaction in which an XP change also moved health.
    await t.sql.execute(
      `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion")
       VALUES ('${forged}', '2026-11-24T00:00:00.000+00:00', 'experience', 1, 555, 556, 'experience', 'forger', 'forged-change', 6),
              ('${forged}', '2026-11-24T00:00:00.000+00:00', 'health', 30, 70, 100, 'experience', 'forger', 'forged-change', 6)`,
    );
    const report = await runIntegrityCheck(t.ctx, { trigger: "manual", actor: "test" });
    const found = report.findings.map((finding) => [finding.playerName, finding.kind]);
    expect(found).toContainEqual(["Overwritten", "ledger_mismatch"]);
    expect(found).toContainEqual(["Forged", "xp_change_touched_health"]);
    expect(found.filter(([name]) => name === "Honest")).toEqual([]);
    expect(report.findings.every((finding) => finding.playerId !== honest)).toBe(true);

    // Stored: any instance (or a restarted one) reads the same latest report, per player too.
    const stored = await latestIntegrityReport(t.ctx, { playerId: overwritten });
    expect(stored.run?.id).toBe(report.run?.id);
    expect(stored.findings.map((finding) => finding.kind)).toEqual(["ledger_mismatch"]);
    expect((await latestIntegrityReport(t.ctx, { playerId: honest })).findings).toEqual([]);
  });
});

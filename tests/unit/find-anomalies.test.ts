import { describe, expect, it } from "vitest";
import { findAnomalies } from "../../lib/integrity/find-anomalies.ts";
import type { LedgerRow, StoredPlayer } from "../../lib/integrity/find-anomalies.ts";

const player = (overrides: Partial<StoredPlayer> = {}): StoredPlayer => ({ id: "p1", name: "Ithaqua", health: 70, maxHealth: 100, experiencePoints: 555, level: 3, version: 5, ...overrides });
const row = (id: number, field: string, before: number, after: number, reason: string, changeId = `c${id}`): LedgerRow => ({ id, field, before, after, reason, changeId });
const story = [row(1, "health", 100, 90, "damage"), row(2, "health", 90, 80, "damage"), row(3, "health", 80, 70, "damage"), row(4, "experience", 554, 555, "experience")];

describe("integrity rules", () => {
  it("finds nothing in the seed story", () => {
    expect(findAnomalies(player(), story, -10)).toEqual([]);
  });

  it("catches the original bug: stored health back at 100 after the XP save", () => {
    const anomalies = findAnomalies(player({ health: 100 }), story, -10);
    expect(anomalies.map((anomaly) => [anomaly.kind, anomaly.detail, anomaly.eventIds])).toEqual([["ledger_mismatch", { check: "replay", field: "health", stored: 100, replayed: 70 }, [3]]]);
  });

  it("catches an XP change whose transaction also moved health", () => {
    const buggy = [...story.slice(0, 3), row(4, "experience", 554, 555, "experience", "c4"), row(5, "health", 70, 100, "experience", "c4")];
    const anomalies = findAnomalies(player({ health: 100, version: 5 }), buggy, -10);
    expect(anomalies.map((anomaly) => anomaly.kind)).toEqual(["xp_change_touched_health"]);
    expect(anomalies[0]!.eventIds).toEqual([4, 5]);
  });

  it("catches health rising after death without a respawn, but not with one", () => {
    const death = [row(1, "health", 100, -10, "damage"), row(2, "health", -10, 20, "heal")];
    expect(findAnomalies(player({ health: 20, version: 3, experiencePoints: 0, level: 1 }), death, -10).map((anomaly) => anomaly.kind)).toEqual(["health_rose_after_death"]);
    const respawned = [row(1, "health", 100, -10, "damage"), row(2, "health", -10, 100, "respawn")];
    expect(findAnomalies(player({ health: 100, version: 3 }), respawned, -10)).toEqual([]);
  });

  it("catches health out of range, broken chains and unexplained versions", () => {
    expect(findAnomalies(player({ health: 120, version: 1 }), [], -10).map((anomaly) => anomaly.kind)).toEqual(["health_out_of_range"]);
    const broken = [row(1, "health", 100, 90, "damage"), row(2, "health", 95, 85, "damage")];
    const kinds = findAnomalies(player({ health: 85, version: 4 }), broken, -10).map((anomaly) => anomaly.kind);
    expect(kinds).toEqual(["ledger_mismatch", "ledger_mismatch"]);
  });
});

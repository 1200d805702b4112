/**
 * The integrity rules, as a pure function over one player's stored row and ledger (tested in
 * tests/unit/find-anomalies.test.ts). The scan (run-integrity-check.ts) feeds it from the database.
 */
export const anomalyKinds = ["ledger_mismatch", "health_out_of_range", "health_rose_after_death", "xp_change_touched_health"] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

export interface Anomaly {
  kind: AnomalyKind;
  severity: "error" | "warning";
  playerId: string;
  playerName: string;
  message: string;
  eventIds: number[];
  /** The values the rule detected (shape per kind; see each rule below), for the page and for tooling. */
  detail: AnomalyDetail;
}

export type AnomalyDetail = Record<string, string | number | null>;

export interface StoredPlayer {
  id: string;
  name: string;
  health: number;
  maxHealth: number;
  experiencePoints: number;
  level: number;
  version: number;
}

export interface LedgerRow {
  id: number;
  field: string;
  before: number;
  after: number;
  reason: string;
  changeId: string;
}

const storedColumn = { health: "health", experience: "experiencePoints", level: "level" } as const;

export function findAnomalies(player: StoredPlayer, ledger: LedgerRow[], floor: number): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const add = (kind: AnomalyKind, severity: Anomaly["severity"], message: string, detail: AnomalyDetail, eventIds: number[] = []) =>
    anomalies.push({ kind, severity, playerId: player.id, playerName: player.name, message, eventIds, detail });
  const rows = [...ledger].sort((a, b) => a.id - b.id);

  // 1. Stored state ≠ ledger replay: each field's chain must be unbroken and end at the stored value.
  for (const field of ["health", "experience", "level"] as const) {
    const chain = rows.filter((row) => row.field === field);
    for (let index = 1; index < chain.length; index += 1) {
      const previous = chain[index - 1]!;
      const current = chain[index]!;
      if (current.before !== previous.after) {
        add(
          "ledger_mismatch",
          "error",
          `${field} chain broken: event ${current.id} starts at ${current.before}, but event ${previous.id} ended at ${previous.after}`,
          { check: "chain", field, previousAfter: previous.after, before: current.before },
          [previous.id, current.id],
        );
      }
    }
    const last = chain.at(-1);
    const stored = player[storedColumn[field]];
    if (last && last.after !== stored) {
      add("ledger_mismatch", "error", `stored ${field} is ${stored}, but the ledger replays to ${last.after}`, { check: "replay", field, stored, replayed: last.after }, [last.id]);
    }
  }
  // Players created with non-default values have no ledger rows for creation: version 1 = no writes yet.
  const writes = new Set(rows.map((row) => row.changeId)).size;
  if (player.version !== 1 + writes) {
    add("ledger_mismatch", "error", `version is ${player.version}, but the ledger explains ${writes} writes (expected version ${1 + writes})`, {
      check: "version",
      version: player.version,
      expectedVersion: 1 + writes,
      writes,
    });
  }

  // 2. Health outside [floor, maxHealth].
  if (player.health > player.maxHealth || player.health < floor) {
    add("health_out_of_range", "error", `health ${player.health} is outside [${floor}, ${player.maxHealth}]`, { health: player.health, maxHealth: player.maxHealth, floor });
  }

  // 3. Health rising after death without a respawn.
  for (const row of rows) {
    if (row.field === "health" && row.before <= floor && row.after > row.before && row.reason !== "respawn") {
      add(
        "health_rose_after_death",
        "error",
        `health rose from ${row.before} (dead) to ${row.after} by "${row.reason}", not by a respawn`,
        { before: row.before, after: row.after, reason: row.reason, floor },
        [row.id],
      );
    }
  }

  // 4. An XP change whose transaction also changed health: the original bug's fingerprint (a stale
  //    whole object saved back by the XP path). Saves are excluded: they may legitimately change both.
  const byChange = new Map<string, LedgerRow[]>();
  for (const row of rows) byChange.set(row.changeId, [...(byChange.get(row.changeId) ?? []), row]);
  for (const change of byChange.values()) {
    const experience = change.find((row) => row.field === "experience" && row.reason === "experience");
    const health = change.find((row) => row.field === "health" && row.after !== row.before);
    if (experience && health) {
      add(
        "xp_change_touched_health",
        "error",
        `the XP change (+${experience.after - experience.before}) also moved health ${health.before} → ${health.after} in the same transaction`,
        { changeId: experience.changeId, experienceBefore: experience.before, experienceAfter: experience.after, healthBefore: health.before, healthAfter: health.after },
        [experience.id, health.id],
      );
    }
  }
  return anomalies;
}

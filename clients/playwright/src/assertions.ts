import { expect } from "@playwright/test";
import type { PnakoticClient } from "@pnakotic/client";
import { idOf } from "./combat.ts";
import type { PlayerRef } from "./combat.ts";

const BUILTIN_COLUMNS: Record<string, "health" | "maxHealth" | "experiencePoints" | "level"> = {
  health: "health",
  maxHealth: "maxHealth",
  experience: "experiencePoints",
  level: "level",
};

/** The server's health for `player` is `health` now. */
export async function expectHealth(client: PnakoticClient, player: PlayerRef, health: number): Promise<void> {
  const stored = await client.getPlayer(idOf(player));
  expect(stored.health, `health of ${stored.name}`).toBe(health);
}

/**
 * A stat's value now: health, maxHealth, experience, level, or a declared stat (GET /api/v1/stats);
 * a declared stat the player has no value for has its default.
 */
export async function expectStat(client: PnakoticClient, player: PlayerRef, stat: string, value: number): Promise<void> {
  const stored = await client.getPlayer(idOf(player));
  const column = BUILTIN_COLUMNS[stat];
  let actual: number | undefined = column ? stored[column] : stored.stats[stat];
  if (actual === undefined) {
    const stats = client.unwrap(await client.api.GET("/api/v1/stats"), "read the declared stats");
    const definition = stats.items.find((item) => item.key === stat);
    if (!definition) throw new Error(`${stat} is not a declared stat on this server (GET /api/v1/stats)`);
    actual = definition.default;
  }
  expect(actual, `${stat} of ${stored.name}`).toBe(value);
}

/** Every ledger row of one field, oldest first (paged; at most `limit` rows). */
export async function readLedger(client: PnakoticClient, player: PlayerRef, field = "health", limit = 10_000) {
  const id = idOf(player);
  const rows: Array<{ id: number; before: number; after: number; reason: string; actor: string }> = [];
  let cursor: number | undefined;
  for (;;) {
    const page = client.unwrap(
      await client.api.GET("/api/v1/players/{id}/events", { params: { path: { id }, query: { field, order: "asc", limit: 1_000, ...(cursor !== undefined ? { cursor } : {}) } } }),
      `read the ${field} ledger of ${id}`,
    );
    rows.push(...page.items);
    if (page.nextCursor === null || rows.length >= limit) return rows.slice(0, limit);
    cursor = Number(page.nextCursor);
  }
}

/**
 * `expectLedger(client, player).toTell([100, 90, 80, 70])`: the story the ledger tells of a field
 * (health unless given) — where it started, then the value after each change — must be exactly
 * these values, and it must end at the player's stored value.
 */
export function expectLedger(client: PnakoticClient, player: PlayerRef, field = "health") {
  return {
    async toTell(values: number[]): Promise<void> {
      const rows = await readLedger(client, player, field);
      const story = rows.length === 0 ? [] : [rows[0]!.before, ...rows.map((row) => row.after)];
      expect(story, `the ${field} ledger of ${idOf(player)}`).toEqual(values);
      for (const [index, row] of rows.entries()) {
        if (index > 0) expect(row.before, `ledger row ${row.id} starts where the previous ended`).toBe(rows[index - 1]!.after);
      }
      if (rows.length > 0) await expectStat(client, player, field, rows[rows.length - 1]!.after);
    },
  };
}

/**
 * Runs the server's integrity check now and expects no finding for these players (their ledgers
 * replay to their stored state and verify against the hash chain). Needs a token with scope
 * test-players, or a support or admin token.
 */
export async function expectNoIntegrityFindings(client: PnakoticClient, players: PlayerRef[]): Promise<void> {
  const ids = new Set(players.map(idOf));
  const report = client.unwrap(await client.api.POST("/api/v1/integrity/runs", { body: {} }), "run the integrity check");
  const findings = report.findings.filter((finding) => ids.has(finding.playerId));
  expect(findings, "integrity findings for the checked players").toEqual([]);
}

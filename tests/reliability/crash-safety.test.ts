import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { levelForExperience } from "../../lib/players/level-curve.ts";
import { startAppServer } from "../helpers/app-server.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { postgresReachable, provisionDatabase } from "../helpers/provision-database.ts";
import { streamUntilKilled } from "../helpers/stream-until-killed.ts";
import { openRawSql } from "../helpers/test-database.ts";

const STREAM_MS = Number(process.env.PNAKOTIC_CRASH_STREAM_MS ?? 1_500);
const CLIENTS = 6;

/**
 * Crash safety: clients stream damage/heal/XP calls and record every acknowledged response; the
 * server is killed with SIGKILL mid-stream and restarted. Every acknowledged change must be in the
 * ledger, state must equal the ledger replay, and no change may be half-applied.
 */
describe.each(["sqlite", "postgresql"] as const)("crash safety on %s", (kind) => {
  it("SIGKILL mid-stream loses no acknowledged change and leaves nothing half-applied", async (context) => {
    if (kind === "postgresql" && !(await postgresReachable())) context.skip();
    const database = await provisionDatabase(kind);
    let server = await startAppServer({ env: { DATABASE_URL: database.url } });
    const sql = await openRawSql(parseConfig({ DATABASE_URL: database.url }));
    try {
      const headers = { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" };
      const players: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const response = await fetch(`${server.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: `crash-${index}`, experiencePoints: 390 }) });
        players.push(((await response.json()) as { id: string }).id);
      }

      const acknowledged: Array<{ requestId: string; eventIds: number[] }> = [];
      const unacknowledged: string[] = [];
      const requestIdOf = (sequence: number) => `crash-${kind}-${sequence}`;
      const inFlight = await streamUntilKilled(server, { clients: CLIENTS, ms: STREAM_MS, enough: () => acknowledged.length > 20 }, async (_, sequence) => {
        const requestId = requestIdOf(sequence);
        const player = players[sequence % players.length]!;
        const [path, body] = [
          ["damage", { amount: 3 }],
          ["heal", { amount: 2 }],
          ["experience", { amount: 7 }],
        ][sequence % 3]! as [string, object];
        const response = await fetch(`${server.baseUrl}/api/v1/players/${player}/${path}`, {
          method: "POST",
          headers: { ...headers, "X-Request-Id": requestId },
          body: JSON.stringify(body),
        });
        const result = (await response.json()) as { events?: Array<{ id: number }> };
        if (response.status === 200) acknowledged.push({ requestId, eventIds: result.events!.map((event) => event.id) });
        else if (response.status !== 422) unacknowledged.push(requestId); // 422: healing the dead, nothing applied
      });
      unacknowledged.push(...inFlight.map(requestIdOf));
      expect(acknowledged.length).toBeGreaterThan(20);

      server = await startAppServer({ env: { DATABASE_URL: database.url } });

      // Every acknowledged change is in the ledger, with exactly the rows the response reported.
      const ledger = await sql.all<{ id: number; requestId: string; changeId: string; field: string; after: number }>(
        `SELECT "id", "requestId", "changeId", "field", "after" FROM "PlayerEvent" ORDER BY "id"`,
      );
      const idsByRequest = new Map<string, number[]>();
      for (const row of ledger) idsByRequest.set(row.requestId, [...(idsByRequest.get(row.requestId) ?? []), row.id]);
      for (const { requestId, eventIds } of acknowledged) expect(idsByRequest.get(requestId), requestId).toEqual(eventIds);

      // Nothing half-applied: stored state equals the replay, versions explain every write, and
      // every XP change that crossed a level boundary carries its level row in the same change.
      for (const id of players) expect(await reconcilePlayer(sql, id, { health: 100, experience: 390, level: 2 })).toEqual([]);
      const changes = new Map<string, Array<{ field: string; after: number }>>();
      for (const row of ledger) changes.set(row.changeId, [...(changes.get(row.changeId) ?? []), row]);
      for (const rows of changes.values()) {
        const experience = rows.find((row) => row.field === "experience");
        const level = rows.find((row) => row.field === "level");
        if (experience && level) expect(level.after).toBe(levelForExperience(experience.after));
      }

      // The restarted server serves exactly the stored state.
      for (const id of players) {
        const served = (await (await fetch(`${server.baseUrl}/api/v1/players/${id}`, { headers })).json()) as { health: number; version: number };
        const stored = await sql.get<{ health: number; version: number }>(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id);
        expect({ health: served.health, version: served.version }).toEqual(stored);
      }
      console.log(`crash safety (${kind}): ${acknowledged.length} acknowledged, ${unacknowledged.length} in flight at the kill, all reconciled`);
    } finally {
      await server.stop();
      await sql.close();
      await database.remove();
    }
  });
});

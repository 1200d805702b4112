import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { startAppServer } from "../helpers/app-server.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { postgresReachable, provisionDatabase } from "../helpers/provision-database.ts";
import { streamUntilKilled } from "../helpers/stream-until-killed.ts";
import { openRawSql } from "../helpers/test-database.ts";

const STREAM_MS = Number(process.env.PNAKOTIC_CRASH_STREAM_MS ?? 1_500);
const CLIENTS = 6;
const PLAYERS = 8;

/**
 * Crash safety of batches: clients stream batches (damage, XP and gold transfers across players,
 * atomic and independent) and record every acknowledged answer; the server is killed with SIGKILL
 * mid-stream and restarted. Every acknowledged batch must be in the ledger whole, exactly as
 * answered; a refused one absent; every batch in flight at the kill is either wholly there (it committed, its answer was lost with the
 * connection) or wholly absent — never in part. Gold is conserved throughout.
 */
describe.each(["sqlite", "postgresql"] as const)("batch crash safety on %s", (kind) => {
  it("SIGKILL during batches: every acknowledged batch is whole, no batch is partly applied", async (context) => {
    if (kind === "postgresql" && !(await postgresReachable())) context.skip();
    const database = await provisionDatabase(kind);
    const sql = await openRawSql(parseConfig({ DATABASE_URL: database.url }));
    await sql.execute(`INSERT INTO "StatDefinition" ("key", "label", "min", "max", "default", "conserved") VALUES ('gold', 'Gold', 0, 1000000, 100, true)`);
    let server = await startAppServer({ env: { DATABASE_URL: database.url } });
    try {
      const headers = { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" };
      const players: string[] = [];
      for (let index = 0; index < PLAYERS; index += 1) {
        const response = await fetch(`${server.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: `batch-crash-${index}` }) });
        players.push(((await response.json()) as { id: string }).id);
      }

      const acknowledged: Array<{ requestId: string; eventIds: number[] }> = [];
      const refused: string[] = [];
      const requestIdOf = (sequence: number) => `batch-crash-${kind}-${sequence}`;
      const inFlight = await streamUntilKilled(server, { clients: CLIENTS, ms: STREAM_MS, enough: () => acknowledged.length > 10 }, async (_, sequence) => {
        const requestId = requestIdOf(sequence);
        const at = (offset: number) => players[(sequence + offset) % PLAYERS]!;
        const changes = [
          { op: "damage", playerId: at(0), amount: 1 },
          { op: "experience", playerId: at(1), amount: 1 },
          { op: "transfer", stat: "gold", amount: 1 + (sequence % 5), fromPlayerId: at(2), toPlayerId: at(3) },
          { op: "damage", playerId: at(4), amount: 1 },
        ];
        const response = await fetch(`${server.baseUrl}/api/v1/changes`, {
          method: "POST",
          headers: { ...headers, "X-Request-Id": requestId },
          body: JSON.stringify({ mode: sequence % 2 === 0 ? "atomic" : "independent", changes }),
        });
        const result = (await response.json()) as { results?: Array<{ status: number; events?: Array<{ id: number }> }> };
        // An independent batch may answer 200 with a refused transfer: its answer lists what was applied.
        if (response.status === 200) acknowledged.push({ requestId, eventIds: result.results!.flatMap((change) => change.events?.map((event) => event.id) ?? []) });
        else refused.push(requestId);
      });
      // Rows a batch writes when applied whole: damage 1, experience 1 (no level crossing), transfer 2, damage 1.
      const unanswered = inFlight.map((sequence) => ({ requestId: requestIdOf(sequence), rows: 5 }));
      expect(acknowledged.length).toBeGreaterThan(10);

      server = await startAppServer({ env: { DATABASE_URL: database.url } });
      const ledger = await sql.all<{ id: number; requestId: string }>(`SELECT "id", "requestId" FROM "PlayerEvent" ORDER BY "id"`);
      const idsByRequest = new Map<string, number[]>();
      for (const row of ledger) idsByRequest.set(row.requestId, [...(idsByRequest.get(row.requestId) ?? []), Number(row.id)]);
      for (const { requestId, eventIds } of acknowledged) expect(idsByRequest.get(requestId), requestId).toEqual(eventIds);
      for (const requestId of refused) expect(idsByRequest.get(requestId), `${requestId} was refused`).toBeUndefined();
      let absent = 0;
      for (const { requestId, rows } of unanswered) {
        const found = idsByRequest.get(requestId)?.length ?? 0;
        expect([0, rows], `${requestId}: whole or absent`).toContain(found);
        if (found === 0) absent += 1;
      }
      for (const id of players) expect(await reconcilePlayer(sql, id, { health: 100, experience: 0, gold: 100 })).toEqual([]);
      const gold = await sql.all<{ stats: unknown }>(`SELECT "stats" FROM "Player"`);
      const total = gold.reduce((sum, row) => sum + ((typeof row.stats === "string" ? JSON.parse(row.stats) : row.stats) as { gold: number }).gold, 0);
      expect(total).toBe(PLAYERS * 100);
      console.log(`batch crash safety (${kind}): ${acknowledged.length} batches acknowledged whole, ${unanswered.length} unanswered (${absent} absent, ${unanswered.length - absent} committed whole)`);
    } finally {
      await server.stop();
      await sql.close();
      await database.remove();
    }
  });
});

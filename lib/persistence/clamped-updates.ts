import type { Tx } from "./player-write.ts";
import { MAX_EXPERIENCE } from "../players/health-rules.ts";

/*
 * Single-statement field changes. Each one lets the database compute the new value from the
 * current one (`health - 10`, never a value computed in JavaScript from an earlier read), with the
 * clamp inside the same statement. CASE keeps the SQL identical on SQLite and PostgreSQL.
 */

function returnedInteger(rows: Array<Record<string, number | bigint>>, column: string): number {
  const value = rows[0]?.[column];
  if (value === undefined) throw new Error(`clamped update returned no row (column ${column})`);
  return Number(value);
}

/**
 * health := health + delta, kept within [floor, maxHealth]. A value already outside the range
 * (e.g. after the floor was reconfigured) is never pushed further out, nor pulled in by this change.
 */
export async function addHealthClamped(tx: Tx, playerId: string, delta: number, floor: number): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ health: number | bigint }>>`
    UPDATE "Player" SET "health" = CASE
        WHEN ${delta} > 0 AND "health" + ${delta} > "maxHealth"
          THEN CASE WHEN "health" > "maxHealth" THEN "health" ELSE "maxHealth" END
        WHEN ${delta} < 0 AND "health" + ${delta} < ${floor}
          THEN CASE WHEN "health" < ${floor} THEN "health" ELSE ${floor} END
        ELSE "health" + ${delta}
      END
    WHERE "id" = ${playerId}
    RETURNING "health"`;
  return returnedInteger(rows, "health");
}

/** health := maxHealth (respawn). */
export async function restoreFullHealth(tx: Tx, playerId: string): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ health: number | bigint }>>`
    UPDATE "Player" SET "health" = "maxHealth" WHERE "id" = ${playerId} RETURNING "health"`;
  return returnedInteger(rows, "health");
}

/** experiencePoints := experiencePoints + amount, capped at MAX_EXPERIENCE. */
export async function addExperienceCapped(tx: Tx, playerId: string, amount: number): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ experiencePoints: number | bigint }>>`
    UPDATE "Player" SET "experiencePoints" = CASE
        WHEN "experiencePoints" + ${amount} > ${MAX_EXPERIENCE} THEN ${MAX_EXPERIENCE}
        ELSE "experiencePoints" + ${amount}
      END
    WHERE "id" = ${playerId}
    RETURNING "experiencePoints"`;
  return returnedInteger(rows, "experiencePoints");
}

import type { PrismaClient } from "./prisma-client.ts";
import { statMergeRules } from "../stats/stat-definition.ts";
import type { StatDefinition, StatMergeRule } from "../stats/stat-definition.ts";

/** A client inside `$transaction(async (tx) => …)`. */
export type TransactionClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** The StatDefinition columns every reader selects (the registry and declarations alike). */
export const statDefinitionSelect = { key: true, label: true, min: true, max: true, maxStat: true, default: true, ledgered: true, builtin: true, position: true, ledgeredFromEventId: true, merge: true, conserved: true, sources: true, sinks: true } as const;

/** How long a declaration waits for another declaration (or a long write) holding the lock. */
const LOCK_WAIT_MS = 10_000;

/**
 * Runs `work` in one transaction that first takes the declarations' write lock (see below). On
 * SQLite, Prisma's connection waits for a busy file synchronously and only briefly (250 ms, the whole
 * event loop waiting with it), and a declaration on another client of this same process cannot
 * finish while it waits: so a busy lock ends the attempt at once, before anything else ran, and the
 * transaction is tried again after a short asynchronous pause, up to LOCK_WAIT_MS.
 */
export async function inStatDefinitionsTransaction<T>(db: PrismaClient, dialect: "sqlite" | "postgresql", work: (tx: TransactionClient) => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      return await db.$transaction(async (tx) => {
        try {
          await lockStatDefinitions(tx, dialect);
        } catch (error) {
          throw new LockBusy(error);
        }
        return work(tx);
      });
    } catch (error) {
      if (!(error instanceof LockBusy) || dialect !== "sqlite" || Date.now() > deadline) throw error instanceof LockBusy ? error.cause : error;
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
    }
  }
}

class LockBusy extends Error {
  constructor(cause: unknown) {
    super("the stat declarations' lock is held", { cause });
  }
}

/**
 * Takes the declarations' write lock for the rest of the transaction, so a declaration validates
 * against the table as it is, not as another declaration running at the same moment left it: two
 * instances declaring loopa→loopb and loopb→loopa would each see the other's half missing and both
 * commit a loop. PostgreSQL: a self-conflicting table lock (plain reads and the ledger trigger's
 * reads are not blocked). SQLite: a write statement first, so the deferred transaction holds the
 * file's write lock (waiting out the busy timeout) before it reads.
 */
async function lockStatDefinitions(tx: TransactionClient, dialect: "sqlite" | "postgresql"): Promise<void> {
  if (dialect === "postgresql") await tx.$executeRawUnsafe(`LOCK TABLE "StatDefinition" IN SHARE ROW EXCLUSIVE MODE`);
  else await tx.$executeRawUnsafe(`UPDATE "StatDefinition" SET "key" = "key" WHERE 0`);
}

/** The declared (non-built-in) rows as the transaction sees them. */
export async function readDeclaredStats(tx: TransactionClient): Promise<StatDefinition[]> {
  const rows = await tx.statDefinition.findMany({ where: { builtin: false }, select: statDefinitionSelect });
  return rows.map(statDefinitionFromRow);
}

/** A declared stat from its row (the registry's reads and declarations alike). */
export function statDefinitionFromRow<Row extends { merge: string; sources: unknown; sinks: unknown }>(
  row: Row,
): Omit<Row, "merge" | "sources" | "sinks"> & { builtin: false; merge: StatMergeRule; sources: string[]; sinks: string[] } {
  return { ...row, builtin: false, merge: parseMergeRule(row.merge), sources: labels(row.sources), sinks: labels(row.sinks) };
}

/** The JSON list of source or sink labels as stored (anything that is not a string is ignored). */
function labels(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((label): label is string => typeof label === "string") : [];
}

/** The column's CHECK allows only the known rules; anything else would be a schema drift, read as the default. */
function parseMergeRule(value: string): StatMergeRule {
  return (statMergeRules as readonly string[]).includes(value) ? (value as StatMergeRule) : "add";
}

/** The newest ledger event id the transaction can see (0 for an empty ledger). */
export async function lastLedgerEventId(tx: TransactionClient): Promise<number> {
  const { _max } = await tx.playerEvent.aggregate({ _max: { id: true } });
  return _max.id ?? 0;
}

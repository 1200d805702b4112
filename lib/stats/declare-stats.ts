import { AppError } from "../errors/app-error.ts";
import type { Actor, PersistenceContext } from "../persistence/persistence-context.ts";
import { inStatDefinitionsTransaction, lastLedgerEventId, readDeclaredStats } from "../persistence/stat-definition-store.ts";
import { parseInput } from "../validation/parse-input.ts";
import { MAX_DECLARED_STATS, isBuiltinStat, statDeclarationSchema, validateStatSet } from "./stat-definition.ts";
import type { StatDeclaration, StatDefinition } from "./stat-definition.ts";

/** What a declaration stores and audits: everything but the key and bookkeeping. */
function declaredRules(stat: StatDefinition) {
  return { label: stat.label, min: stat.min, max: stat.max, maxStat: stat.maxStat, default: stat.default, ledgered: stat.ledgered, merge: stat.merge ?? "add", conserved: stat.conserved, sources: stat.sources, sinks: stat.sinks };
}

/**
 * Declares stats (new ones, or new bounds/labels for existing ones) — from the CLI's stats file,
 * the admin API or the demo seed — in ONE transaction: it takes the declarations' lock, reads the
 * table as it is now (never this process's registry copy, which may be 2 s old), validates the whole
 * resulting set (keys, bound references, no loops), then upserts and audits every declaration.
 * Either all of them take effect or none. Takes effect at once in this process and within the
 * registry's refresh (2 s) on every other instance; the ledger trigger reads the table directly.
 * Existing values outside new bounds are not rewritten: the integrity check reports them
 * (stat_out_of_range) and the next clamped change pulls them in.
 */
export async function declareStats(ctx: PersistenceContext, declarations: StatDeclaration[], options: { actor: Actor; requestId?: string }): Promise<StatDefinition[]> {
  const parsed = declarations.map((declaration, index) => parseInput(statDeclarationSchema, declaration, `stats.${index}`));
  for (const declaration of parsed) {
    if (isBuiltinStat(declaration.key)) {
      throw new AppError("invalid_input", `${declaration.key} is built in; its rules are fixed (health's floor is HEALTH_FLOOR)`, { issues: [{ path: "key", message: "is built in" }] });
    }
  }
  try {
    await inStatDefinitionsTransaction(ctx.db, ctx.dialect, async (tx) => {
      const existing = (await readDeclaredStats(tx)).filter((stat) => !isBuiltinStat(stat.key));
      const merged = new Map(existing.map((stat) => [stat.key, stat]));
      for (const declaration of parsed) {
        merged.set(declaration.key, {
          key: declaration.key,
          label: declaration.label,
          min: declaration.min,
          max: declaration.max ?? null,
          maxStat: declaration.maxStat ?? null,
          default: declaration.default,
          ledgered: declaration.ledgered,
          merge: declaration.merge,
          conserved: declaration.conserved,
          sources: declaration.sources,
          sinks: declaration.sinks,
          builtin: false,
          position: merged.get(declaration.key)?.position ?? merged.size + 10,
          ledgeredFromEventId: merged.get(declaration.key)?.ledgeredFromEventId ?? null,
        });
      }
      if (merged.size > MAX_DECLARED_STATS) {
        throw new AppError("invalid_input", `A game declares at most ${MAX_DECLARED_STATS} stats; this would make ${merged.size}`, {
          issues: [{ path: "stats", message: `at most ${MAX_DECLARED_STATS} declared stats (${existing.length} already declared)` }],
          extensions: { limit: MAX_DECLARED_STATS, declared: existing.length },
        });
      }
      const problems = validateStatSet([...merged.values()].map((stat) => ({ ...stat, merge: stat.merge ?? "add" })));
      if (problems.length > 0) {
        throw new AppError("invalid_input", `Invalid stat declarations: ${problems.map((problem) => problem.message).join("; ")}`, { issues: problems });
      }
      const now = new Date();
      for (const declaration of parsed) {
        const stat = merged.get(declaration.key)!;
        const before = existing.find((row) => row.key === stat.key) ?? null;
        // Ledgering turned back on: the history restarts after the last event so far.
        if (before && !before.ledgered && stat.ledgered) stat.ledgeredFromEventId = await lastLedgerEventId(tx);
        const data = { ...declaredRules(stat), position: stat.position, ledgeredFromEventId: stat.ledgeredFromEventId ?? null, updatedAt: now };
        await tx.statDefinition.upsert({ where: { key: stat.key }, create: { key: stat.key, ...data }, update: data, select: { key: true } });
        await tx.auditEntry.create({
          data: {
            actor: options.actor.name,
            action: before ? "stats.redeclare" : "stats.declare",
            before: before ? declaredRules(before) : undefined,
            after: { key: stat.key, ...declaredRules(stat) },
            requestId: options.requestId ?? null,
          },
          select: { id: true },
        });
      }
    });
  } finally {
    // Even a refused declaration drops the copy: it may have been what made the caller's view stale.
    ctx.stats.invalidate();
  }
  return ctx.stats.list();
}

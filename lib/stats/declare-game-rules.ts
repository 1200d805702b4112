import { isDeepStrictEqual } from "node:util";
import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import { inStatDefinitionsTransaction, lastLedgerEventId } from "../persistence/stat-definition-store.ts";
import { parseInput } from "../validation/parse-input.ts";
import { NEVER_DEAD, gameRulesSchema, validateGameRules } from "./game-rules.ts";
import type { GameRules, GameRulesDeclaration } from "./game-rules.ts";
import { STAT_VALUE_LIMIT } from "./stat-definition.ts";

/** The rules as the API shows them: what was declared, and what is in force (no floor / no death as null). */
export interface GameRulesView {
  declared: GameRulesDeclaration | null;
  inForce: { level: GameRules["level"]; healthFloor: number | null; deathAt: number | null; healDead: boolean };
  /** Ledger events after this id follow these rules (null: the defaults, since the beginning). */
  fromEventId: number | null;
}

/**
 * Declares the game's rules (the whole set: what is left out goes back to its default). Taken under
 * the same lock as stat declarations, appended as a new GameRuleSet row that applies to ledger
 * events after the last one so far — never to history — and audited (rules.declare, before and
 * after). Declaring the rules already in force changes nothing and audits nothing, so a stats file
 * can be applied again and again.
 */
export async function declareGameRules(ctx: PersistenceContext, declaration: unknown, options: WriteOptions): Promise<GameRulesView> {
  const rules = parseInput(gameRulesSchema, declaration, "rules");
  const problems = validateGameRules(rules);
  if (problems.length > 0) throw new AppError("invalid_input", `Invalid rules: ${problems.map((problem) => problem.message).join("; ")}`, { issues: problems });
  try {
    await inStatDefinitionsTransaction(ctx.db, ctx.dialect, async (tx) => {
      const previous = await tx.gameRuleSet.findFirst({ orderBy: { id: "desc" }, select: { rules: true } });
      if (isDeepStrictEqual(previous?.rules ?? {}, rules)) return;
      const fromEventId = await lastLedgerEventId(tx);
      await tx.gameRuleSet.create({ data: { rules, fromEventId, declaredBy: options.actor.name }, select: { id: true } });
      await tx.auditEntry.create({
        data: { actor: options.actor.name, action: "rules.declare", before: previous?.rules ?? {}, after: { ...rules, fromEventId }, requestId: options.requestId ?? null },
        select: { id: true },
      });
    });
  } finally {
    ctx.stats.invalidate();
  }
  return getGameRules(ctx);
}

/** The rules in force, with the declaration they came from. */
export async function getGameRules(ctx: PersistenceContext): Promise<GameRulesView> {
  const latest = await ctx.db.gameRuleSet.findFirst({ orderBy: { id: "desc" }, select: { rules: true, fromEventId: true } });
  const inForce = await ctx.stats.rules();
  return {
    declared: latest ? (latest.rules as GameRulesDeclaration) : null,
    inForce: {
      level: inForce.level,
      healthFloor: inForce.healthFloor === -STAT_VALUE_LIMIT ? null : inForce.healthFloor,
      deathAt: inForce.deathAt === NEVER_DEAD ? null : inForce.deathAt,
      healDead: inForce.healDead,
    },
    fromEventId: latest?.fromEventId ?? null,
  };
}

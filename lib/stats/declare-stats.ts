import { AppError } from "../errors/app-error.ts";
import type { Actor, PersistenceContext } from "../persistence/persistence-context.ts";
import { parseInput } from "../validation/parse-input.ts";
import { isBuiltinStat, statDeclarationSchema, validateStatSet } from "./stat-definition.ts";
import type { StatDeclaration, StatDefinition } from "./stat-definition.ts";

/**
 * Declares stats (new ones, or new bounds/labels for existing ones) — from the CLI's stats file,
 * the admin API or the demo seed. The whole resulting set is validated (keys, bound references, no
 * loops) before anything is written; then every declaration is upserted and audited. Takes effect
 * at once in this process and within the registry's refresh (2 s) on every other instance; the
 * ledger trigger reads the table directly. Existing values outside new bounds are not rewritten:
 * the integrity check reports them (stat_out_of_range) and the next clamped change pulls them in.
 */
export async function declareStats(ctx: PersistenceContext, declarations: StatDeclaration[], options: { actor: Actor; requestId?: string }): Promise<StatDefinition[]> {
  const parsed = declarations.map((declaration, index) => parseInput(statDeclarationSchema, declaration, `stats.${index}`));
  const existing = (await ctx.stats.list()).filter((stat) => !stat.builtin);
  const merged = new Map(existing.map((stat) => [stat.key, { ...stat, max: stat.max, maxStat: stat.maxStat }]));
  for (const declaration of parsed) {
    if (isBuiltinStat(declaration.key)) {
      throw new AppError("invalid_input", `${declaration.key} is built in; its rules are fixed (health's floor is HEALTH_FLOOR)`, { issues: [{ path: "key", message: "is built in" }] });
    }
    merged.set(declaration.key, {
      key: declaration.key,
      label: declaration.label,
      min: declaration.min,
      max: declaration.max ?? null,
      maxStat: declaration.maxStat ?? null,
      default: declaration.default,
      ledgered: declaration.ledgered,
      conserved: declaration.conserved,
      sources: declaration.sources,
      sinks: declaration.sinks,
      builtin: false,
      position: merged.get(declaration.key)?.position ?? merged.size + 10,
    });
  }
  const problems = validateStatSet([...merged.values()].map((stat) => ({ ...stat, max: stat.max, maxStat: stat.maxStat })));
  if (problems.length > 0) {
    throw new AppError("invalid_input", `Invalid stat declarations: ${problems.map((problem) => problem.message).join("; ")}`, { issues: problems });
  }
  const now = new Date();
  for (const declaration of parsed) {
    const stat = merged.get(declaration.key)!;
    const before = existing.find((row) => row.key === stat.key) ?? null;
    const data = { label: stat.label, min: stat.min, max: stat.max, maxStat: stat.maxStat, default: stat.default, ledgered: stat.ledgered, ...conservation(stat), position: stat.position, updatedAt: now };
    await ctx.db.statDefinition.upsert({ where: { key: stat.key }, create: { key: stat.key, ...data }, update: data, select: { key: true } });
    await ctx.db.auditEntry.create({
      data: {
        actor: options.actor.name,
        action: before ? "stats.redeclare" : "stats.declare",
        before: before ? { label: before.label, min: before.min, max: before.max, maxStat: before.maxStat, default: before.default, ledgered: before.ledgered, ...conservation(before) } : undefined,
        after: { key: stat.key, label: stat.label, min: stat.min, max: stat.max, maxStat: stat.maxStat, default: stat.default, ledgered: stat.ledgered, ...conservation(stat) },
        requestId: options.requestId ?? null,
      },
      select: { id: true },
    });
  }
  ctx.stats.invalidate();
  return ctx.stats.list();
}

/** The conservation members of a declaration, as stored and audited. */
function conservation(stat: Pick<StatDefinition, "conserved" | "sources" | "sinks">): Pick<StatDefinition, "conserved" | "sources" | "sinks"> {
  return { conserved: stat.conserved, sources: stat.sources, sinks: stat.sinks };
}

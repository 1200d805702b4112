import { AppError } from "../errors/app-error.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import { statDefinitionFromRow, statDefinitionSelect } from "../persistence/stat-definition-store.ts";
import { GameRuleHistory, gameRulesSchema, resolveGameRules } from "./game-rules.ts";
import type { GameRules } from "./game-rules.ts";
import { builtinStatDefinitions, isBuiltinStat } from "./stat-definition.ts";
import type { StatDefinition } from "./stat-definition.ts";

interface Loaded {
  at: number;
  byKey: Map<string, StatDefinition>;
  rules: GameRuleHistory;
}

/**
 * The declared stats and the game's rules, as this process knows them. The StatDefinition and
 * GameRuleSet tables are the source of truth (every instance reads the same ones, and the ledger
 * trigger reads StatDefinition too); each process keeps a copy for `refreshMs` so the write path
 * does not read them per write. A declaration made through this process is visible here at once,
 * on other instances within `refreshMs`.
 */
export class StatRegistry {
  private loaded: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;

  constructor(
    private readonly db: PrismaClient,
    /** HEALTH_FLOOR: the health floor and death threshold until the game declares its own. */
    private readonly healthFloor: number,
    private readonly refreshMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every stat, built-ins first, then by position and key. */
  async list(): Promise<StatDefinition[]> {
    return [...(await this.byKey()).values()].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.position - b.position || a.key.localeCompare(b.key));
  }

  async get(key: string): Promise<StatDefinition | undefined> {
    return (await this.byKey()).get(key);
  }

  async byKey(): Promise<Map<string, StatDefinition>> {
    return (await this.current()).byKey;
  }

  /** The game's rules in force now. */
  async rules(): Promise<GameRules> {
    return (await this.current()).rules.current;
  }

  /** The rules in force at each point of the ledger (the integrity check judges each event by its own). */
  async ruleHistory(): Promise<GameRuleHistory> {
    return (await this.current()).rules;
  }

  /**
   * The rules as last loaded, without waiting (HEALTH_FLOOR's defaults before the first load): for
   * deriving a player's status where no read of the tables is due. At most `refreshMs` old once loaded.
   */
  currentRules(): GameRules {
    return this.loaded?.rules.current ?? resolveGameRules({}, this.healthFloor);
  }

  /** Forget the copy (after a declaration through this process). */
  invalidate(): void {
    this.loaded = null;
  }

  private async current(): Promise<Loaded> {
    if (this.loaded && this.now() - this.loaded.at < this.refreshMs) return this.loaded;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<Loaded> {
    const started = this.now();
    const [rows, ruleSets] = await Promise.all([
      this.db.statDefinition.findMany({ select: statDefinitionSelect }),
      this.db.gameRuleSet.findMany({ orderBy: { id: "asc" }, select: { id: true, rules: true, fromEventId: true } }),
    ]);
    const rules = new GameRuleHistory(
      resolveGameRules({}, this.healthFloor),
      ruleSets.map((set) => {
        const parsed = gameRulesSchema.safeParse(set.rules);
        // Declarations are validated; a row that fails was written behind Pnakotic's back, and
        // guessing the game's rules would let writes break them.
        if (!parsed.success) throw new AppError("game_rules_invalid", `GameRuleSet row ${set.id} does not hold valid rules (${parsed.error.issues[0]?.message}); declare the rules again`);
        return { fromEventId: set.fromEventId, rules: resolveGameRules(parsed.data, this.healthFloor) };
      }),
    );
    const byKey = new Map<string, StatDefinition>();
    // Built-ins come from code (health's floor is the game's rule), whatever the table says about them.
    for (const builtin of builtinStatDefinitions(rules.current.healthFloor)) byKey.set(builtin.key, builtin);
    for (const row of rows) if (!isBuiltinStat(row.key)) byKey.set(row.key, statDefinitionFromRow(row));
    const loaded = { at: started, byKey, rules };
    this.loaded = loaded;
    return loaded;
  }
}

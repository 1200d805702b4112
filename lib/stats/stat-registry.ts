import type { PrismaClient } from "../persistence/prisma-client.ts";
import { builtinStatDefinitions, isBuiltinStat } from "./stat-definition.ts";
import type { StatDefinition } from "./stat-definition.ts";

/**
 * The declared stats, as this process knows them. The StatDefinition table is the source of truth
 * (every instance reads the same one, and the ledger trigger reads it too); each process keeps a
 * copy for `refreshMs` so the write path does not read it per write. A declaration made through
 * this process is visible here at once, on other instances within `refreshMs`.
 */
export class StatRegistry {
  private loaded: { at: number; byKey: Map<string, StatDefinition> } | null = null;
  private loading: Promise<Map<string, StatDefinition>> | null = null;

  constructor(
    private readonly db: PrismaClient,
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
    if (this.loaded && this.now() - this.loaded.at < this.refreshMs) return this.loaded.byKey;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Forget the copy (after a declaration through this process). */
  invalidate(): void {
    this.loaded = null;
  }

  private async load(): Promise<Map<string, StatDefinition>> {
    const started = this.now();
    const rows = await this.db.statDefinition.findMany({
      select: { key: true, label: true, min: true, max: true, maxStat: true, default: true, ledgered: true, conserved: true, sources: true, sinks: true, builtin: true, position: true },
    });
    const byKey = new Map<string, StatDefinition>();
    // Built-ins come from code (health's floor is configuration), whatever the table says about them.
    for (const builtin of builtinStatDefinitions(this.healthFloor)) byKey.set(builtin.key, builtin);
    for (const row of rows) if (!isBuiltinStat(row.key)) byKey.set(row.key, { ...row, sources: labels(row.sources), sinks: labels(row.sinks), builtin: false });
    this.loaded = { at: started, byKey };
    return byKey;
  }
}

/** The JSON list of source or sink labels as stored (anything that is not a string is ignored). */
function labels(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((label): label is string => typeof label === "string") : [];
}

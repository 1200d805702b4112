import { performance } from "node:perf_hooks";
import { loadPlayer } from "../lib/persistence/get-player.ts";
import { damagePlayer } from "../lib/player-operations/damage-player.ts";
import { savePlayer } from "../lib/player-operations/save-player.ts";
import type { BenchDatabase } from "./bench-database.ts";
import { percentile, round } from "./measure.ts";

const service = { actor: { name: "bench", kind: "service" as const } };

export interface MergeSaveCost {
  saves: number;
  plain: { p50Ms: number; p95Ms: number };
  merged: { p50Ms: number; p95Ms: number };
  /** merged p50 / plain p50: what a stale save costs against a current one, same run, same players. */
  ratioP50: number;
}

/**
 * (9) A merged whole save against a plain one, taking turns on the same players in one run. A plain
 * save names the current version (one statement). A merged save names the version before another
 * write (a damage, not timed): it first meets the stale version, reads the row and the state at
 * its base from the ledger, plans the merge and writes one statement. Serial calls: this is the
 * cost of one save, not throughput.
 */
export async function mergeSaveCost(database: BenchDatabase, options: { saves: number; progress: (message: string) => void }): Promise<MergeSaveCost> {
  const ids = await database.createPlayers(8, "merge");
  options.progress(`${database.kind}: merged vs plain whole save, ${options.saves} of each…`);
  const plain: number[] = [];
  const merged: number[] = [];
  for (let index = 0; index < options.saves; index += 1) {
    const id = ids[index % ids.length]!;
    const fresh = (await loadPlayer(database.ctx, id))!;
    let started = performance.now();
    await savePlayer(database.ctx, id, { ...fresh, experiencePoints: fresh.experiencePoints + 1 }, fresh.version, service);
    plain.push(performance.now() - started);

    const stale = (await loadPlayer(database.ctx, id))!;
    await damagePlayer(database.ctx, id, 1, {}, service);
    started = performance.now();
    const result = await savePlayer(database.ctx, id, { ...stale, experiencePoints: stale.experiencePoints + 1 }, stale.version, service);
    merged.push(performance.now() - started);
    if (!result.merge) throw new Error("merge bench: the stale save was not merged");
  }
  plain.sort((a, b) => a - b);
  merged.sort((a, b) => a - b);
  const summary = (samples: number[]) => ({ p50Ms: round(percentile(samples, 0.5), 3), p95Ms: round(percentile(samples, 0.95), 3) });
  return { saves: options.saves, plain: summary(plain), merged: summary(merged), ratioP50: round(percentile(merged, 0.5) / percentile(plain, 0.5), 2) };
}

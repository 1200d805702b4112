import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { invalidationCauses } from "../cache/player-cache.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { persistenceOperations } from "./persistence-metrics.ts";

export interface PrometheusMetrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
}

/**
 * Prometheus view of the process's counters. The cache and persistence layers keep plain numbers
 * (they know nothing of prom-client); these collectors read them at scrape time.
 */
export function createPrometheusMetrics(persistence: PersistenceContext): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "pnakotic_" });
  dropMisnamedDefaultGauges(registry);
  const { cache, metrics } = persistence;

  // Counters must only go up; each collector adds the difference since the last scrape.
  function mirroredCounter<L extends string>(name: string, help: string, labelNames: L[], read: () => Array<[Record<L, string>, number]>) {
    const exported = new Map<string, number>();
    return new Counter<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        for (const [labels, value] of read()) {
          const key = JSON.stringify(labels);
          const delta = value - (exported.get(key) ?? 0);
          if (delta > 0) this.inc(labels, delta);
          else if (!exported.has(key)) this.inc(labels, 0);
          exported.set(key, value);
        }
      },
    });
  }

  mirroredCounter("pnakotic_player_cache_gets_total", "Player cache lookups by result", ["result"], () => [
    [{ result: "hit" }, cache.counters.hits],
    [{ result: "miss" }, cache.counters.misses],
  ]);
  mirroredCounter("pnakotic_player_cache_invalidations_total", "Player cache entries discarded, by cause", ["cause"], () =>
    invalidationCauses.map((cause) => [{ cause }, cache.counters.invalidations[cause]]),
  );
  mirroredCounter("pnakotic_player_cache_evictions_total", "Player cache entries evicted by the size bound", [], () => [[{}, cache.counters.evictions]]);
  mirroredCounter("pnakotic_write_conflicts_total", "Writes refused because the expected version was stale", [], () => [[{}, metrics.staleSavesRefused]]);
  mirroredCounter("pnakotic_saves_total", "Whole-save attempts by outcome: applied (current version), merged (stale, merged field by field), refused (409)", ["outcome"], () =>
    (["applied", "merged", "refused"] as const).map((outcome) => [{ outcome }, metrics.saves[outcome]]),
  );
  mirroredCounter("pnakotic_stat_changes_total", "Ledger rows this instance wrote, by stat and reason (declared stats only; never a player id)", ["stat", "reason"], () =>
    [...metrics.statChanges.entries()].map(([key, count]) => {
      const [stat, reason] = key.split("\u0000") as [string, string];
      return [{ stat, reason }, count];
    }),
  );
  mirroredCounter("pnakotic_persistence_errors_total", "Unexpected persistence failures, by operation", ["operation"], () =>
    persistenceOperations.map((operation) => [{ operation }, metrics.persistenceErrors[operation]]),
  );
  new Gauge({
    name: "pnakotic_player_cache_entries",
    help: "Entries in the player cache",
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: "pnakotic_player_cache_oldest_entry_age_seconds",
    help: "Age of the oldest player cache entry",
    registers: [registry],
    collect() {
      this.set(cache.entryAges().oldestMs / 1000);
    },
  });
  new Gauge({
    name: "pnakotic_invalidation_listener_up",
    help: "1 while cross-instance invalidation works (listening, or in-process on SQLite); 0 while it may miss messages",
    registers: [registry],
    collect() {
      this.set(persistence.bus.healthy ? 1 : 0);
    },
  });
  new Gauge({
    name: "pnakotic_database_up",
    help: "1 when a trivial query answered within the scrape's bound, else 0",
    registers: [registry],
    async collect() {
      this.set((await databaseAnswers(persistence)) ? 1 : 0);
    },
  });
  const latestIntegrityRunSummary = latestIntegrityRunReader(persistence);
  new Gauge({
    name: "pnakotic_integrity_findings",
    help: "Findings of the latest stored integrity run (shared by every instance)",
    registers: [registry],
    async collect() {
      const run = await latestIntegrityRunSummary();
      if (run) this.set(run.findingCount);
    },
  });
  new Gauge({
    name: "pnakotic_integrity_last_run_timestamp_seconds",
    help: "When the latest stored integrity run finished (Unix time)",
    registers: [registry],
    async collect() {
      const run = await latestIntegrityRunSummary();
      if (run) this.set(run.finishedAt.getTime() / 1000);
    },
  });
  const writeDuration = new Histogram({
    name: "pnakotic_player_write_duration_seconds",
    help: "Player write transactions, commit included",
    labelNames: ["operation"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  metrics.observeLatency((operation, ms) => writeDuration.observe({ operation }, ms / 1000));

  const httpDuration = new Histogram({
    name: "pnakotic_http_request_duration_seconds",
    help: "HTTP requests by route template (never by player id)",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** A scrape must answer even when the database hangs: its probes give up after this long. */
const SCRAPE_PROBE_TIMEOUT_MS = 2_000;

function withinScrapeBound<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${SCRAPE_PROBE_TIMEOUT_MS} ms`)), SCRAPE_PROBE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function databaseAnswers(persistence: PersistenceContext): Promise<boolean> {
  try {
    await withinScrapeBound(persistence.db.$queryRawUnsafe("SELECT 1"));
    return true;
  } catch (error) {
    persistence.logger.warn({ module: "metrics", err: error }, "metrics scrape: database did not answer");
    return false;
  }
}

type IntegrityRunSummary = { findingCount: number; finishedAt: Date };

/** Both integrity gauges read the same row: one query per scrape, shared while it is pending. */
function latestIntegrityRunReader(persistence: PersistenceContext): () => Promise<IntegrityRunSummary | null> {
  let pending: Promise<IntegrityRunSummary | null> | null = null;
  return () => {
    pending ??= withinScrapeBound(
      // The latest run with a verdict: a running one has no findings yet.
      persistence.db.integrityRun
        .findFirst({ where: { finishedAt: { not: null } }, orderBy: { startedAt: "desc" }, select: { findingCount: true, finishedAt: true } })
        .then((run) => (run?.finishedAt ? { findingCount: run.findingCount, finishedAt: run.finishedAt } : null)),
    )
      .catch((error: unknown) => {
        // pnakotic_database_up reports the outage; the integrity gauges are absent from this scrape.
        persistence.logger.warn({ module: "metrics", err: error }, "metrics scrape: latest integrity run unavailable");
        return null;
      })
      .finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
}

/**
 * prom-client's default `nodejs_active_{handles,requests,resources}_total` are gauges with a
 * counter's suffix, which `promtool check metrics` flags (and rate() on them means nothing). The
 * same counts stay exported, by type, as `nodejs_active_{handles,requests,resources}`.
 */
function dropMisnamedDefaultGauges(registry: Registry): void {
  for (const name of ["handles", "requests", "resources"]) registry.removeSingleMetric(`pnakotic_nodejs_active_${name}_total`);
}

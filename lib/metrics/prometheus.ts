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

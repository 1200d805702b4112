import { EncounterRegistry } from "../combat/encounter-registry.ts";
import { getConfig } from "../config.ts";
import type { AppConfig } from "../config.ts";
import { attachErrorLogSink } from "../logging/error-log-sink.ts";
import { MetricSampler } from "../metrics/metric-sampler.ts";
import { createPrometheusMetrics } from "../metrics/prometheus.ts";
import type { PrometheusMetrics } from "../metrics/prometheus.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { createPersistenceContext } from "./create-persistence-context.ts";
import { IntegrityMonitor } from "../integrity/integrity-monitor.ts";
import { LiveHub } from "../live/live-hub.ts";
import { ExportRunner } from "../export/export-runner.ts";
import { openSqliteReader } from "../persistence/prisma-client.ts";

export interface AppContext {
  config: AppConfig;
  persistence: PersistenceContext;
  sampler: MetricSampler;
  prometheus: PrometheusMetrics;
  /** Combat encounters of this process (in memory; see lib/combat/encounter-registry.ts). */
  combat: EncounterRegistry;
  /** Scheduled and on-demand integrity checks, with the latest report. */
  integrity: IntegrityMonitor;
  /** Server-sent-event streams of player changes (GET /api/v1/live), fed by the invalidation bus. */
  live: LiveHub;
  /** Export downloads: their own read connection on SQLite, and caps per caller and per process. */
  exports: ExportRunner;
  startedAt: Date;
}

// On globalThis so Next's dev-mode module reloads do not open a second database connection.
const globalForApp = globalThis as unknown as { pnakoticApp?: AppContext };

/** The server process's single context: one Prisma client, one cache, one sampler. */
export function getAppContext(): AppContext {
  if (globalForApp.pnakoticApp) return globalForApp.pnakoticApp;
  const config = getConfig();
  const persistence = createPersistenceContext(config);
  attachErrorLogSink(persistence.db);
  const sampler = new MetricSampler({
    db: persistence.db,
    cache: persistence.cache,
    metrics: persistence.metrics,
    logger: persistence.logger,
    instanceId: persistence.instanceId,
    intervalMs: config.METRICS_SAMPLE_INTERVAL_MS,
    retentionDays: config.METRICS_RETENTION_DAYS,
  });
  sampler.start();
  const combat = new EncounterRegistry({ persistence, defaultRoundIntervalMs: config.COMBAT_ROUND_INTERVAL_MS });
  const integrity = new IntegrityMonitor(persistence, config.INTEGRITY_CHECK_INTERVAL_MS, config.INTEGRITY_CHECK_BUDGET_MS);
  integrity.start();
  const live = new LiveHub({
    bus: persistence.bus,
    instanceId: persistence.instanceId,
    maxStreams: config.LIVE_MAX_STREAMS,
    maxStreamsPerCaller: config.LIVE_MAX_STREAMS_PER_CALLER,
    heartbeatMs: config.LIVE_HEARTBEAT_MS,
    maxEventsPerSecond: config.LIVE_MAX_EVENTS_PER_SECOND,
  });
  const exports = new ExportRunner({
    persistence,
    reader: openSqliteReader(config),
    maxConcurrent: config.EXPORT_MAX_CONCURRENT,
    maxPerCaller: config.EXPORT_MAX_PER_CALLER,
    idleTimeoutMs: config.EXPORT_IDLE_TIMEOUT_MS,
  });
  globalForApp.pnakoticApp = { config, persistence, sampler, prometheus: createPrometheusMetrics(persistence), combat, integrity, live, exports, startedAt: new Date() };
  return globalForApp.pnakoticApp;
}

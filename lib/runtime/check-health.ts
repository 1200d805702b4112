import type { AppContext } from "./app-context.ts";
import type { ListenerStatus } from "../cache/invalidation-bus.ts";
import type { WriterStatus } from "../persistence/sql-writer.ts";
import type { IntegrityProgress } from "../integrity/run-integrity-check.ts";

export interface HealthReport {
  /** degraded = reads work but the latest player writes failed (disk full, read-only file, lock held elsewhere). */
  status: "ok" | "degraded" | "unavailable";
  mode: "sqlite" | "postgresql";
  database: { reachable: boolean; latencyMs: number | null };
  cache: { entries: number; coherent: boolean };
  /** Cross-instance invalidation (PostgreSQL LISTEN/NOTIFY; "in-process" on SQLite). */
  listener: ListenerStatus;
  /** The player write path (see lib/persistence/sql-writer.ts). */
  writes: WriterStatus;
  /** The integrity check running on this instance, with its progress (null when none runs here). */
  integrity: { running: IntegrityProgress | null };
  uptimeSeconds: number;
}

export async function checkHealth(app: AppContext): Promise<HealthReport> {
  const started = performance.now();
  let reachable = true;
  try {
    await app.persistence.db.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    reachable = false;
    app.persistence.logger.warn({ module: "health", err: error }, "health check: database unreachable");
  }
  const writes = app.persistence.writer.status();
  return {
    status: !reachable ? "unavailable" : writes.state === "failing" ? "degraded" : "ok",
    mode: app.config.database.kind,
    database: { reachable, latencyMs: reachable ? Math.round((performance.now() - started) * 100) / 100 : null },
    cache: { entries: app.persistence.cache.size, coherent: app.persistence.bus.healthy },
    listener: app.persistence.bus.status(),
    writes,
    integrity: { running: app.integrity.progress() },
    uptimeSeconds: Math.round((Date.now() - app.startedAt.getTime()) / 1000),
  };
}

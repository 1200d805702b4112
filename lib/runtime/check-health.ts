import type { AppContext } from "./app-context.ts";
import type { ListenerStatus } from "../cache/invalidation-bus.ts";

export interface HealthReport {
  status: "ok" | "unavailable";
  mode: "sqlite" | "postgresql";
  database: { reachable: boolean; latencyMs: number | null };
  cache: { entries: number; coherent: boolean };
  /** Cross-instance invalidation (PostgreSQL LISTEN/NOTIFY; "in-process" on SQLite). */
  listener: ListenerStatus;
  uptimeSeconds: number;
}

export async function checkHealth(app: AppContext): Promise<HealthReport> {
  const started = performance.now();
  let reachable = true;
  try {
    await app.persistence.db.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    reachable = false;
    app.persistence.logger.error({ module: "health", err: error }, "health check: database unreachable");
  }
  return {
    status: reachable ? "ok" : "unavailable",
    mode: app.config.database.kind,
    database: { reachable, latencyMs: reachable ? Math.round((performance.now() - started) * 100) / 100 : null },
    cache: { entries: app.persistence.cache.size, coherent: app.persistence.bus.healthy },
    listener: app.persistence.bus.status(),
    uptimeSeconds: Math.round((Date.now() - app.startedAt.getTime()) / 1000),
  };
}

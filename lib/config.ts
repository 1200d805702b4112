import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

/**
 * Every configuration knob, validated once. Defaults work for a newcomer on SQLite; each knob is
 * documented in README.md ("Configuration").
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/pnakotic.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      message: "must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)",
    }),
  /** Health at which a player is dead; 0 down to floor+1 is "mortally wounded". */
  HEALTH_FLOOR: integer(-1_000, 0).default(-10),
  CACHE_TTL_MS: integer(0, 3_600_000).default(5_000),
  CACHE_MAX_ENTRIES: integer(1, 10_000_000).default(10_000),
  METRICS_SAMPLE_INTERVAL_MS: integer(1_000, 3_600_000).default(10_000),
  METRICS_RETENTION_DAYS: integer(1, 365).default(7),
  SQLITE_SYNCHRONOUS: z.enum(["NORMAL", "FULL"]).default("NORMAL"),
  SQLITE_BUSY_TIMEOUT_MS: integer(0, 600_000).default(5_000),
  /** PostgreSQL: connections per app instance (the listener uses one more). */
  DATABASE_POOL_SIZE: integer(1, 500).default(10),
  /** PostgreSQL: how long a query waits for a connection before the request fails with 503. */
  DATABASE_CONNECT_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Bearer token for Prometheus scrapes of /api/metrics (admins may scrape with a session). */
  METRICS_SCRAPE_TOKEN: z.string().min(16).optional(),
  SESSION_TTL_HOURS: integer(1, 24 * 30).default(12),
  /** How long a verified token/session is remembered in-process (0 = check the database every time). */
  AUTH_CACHE_TTL_MS: integer(0, 60_000).default(2_000),
  IDEMPOTENCY_TTL_HOURS: integer(24, 24 * 30).default(48),
  /**
   * How long an Idempotency-Key reservation outlives a request that stopped renewing it (a crashed
   * process): after this a retry takes the key over. See lib/http/idempotency.ts.
   */
  IDEMPOTENCY_LEASE_MS: integer(500, 120_000).default(5_000),
  /** Combat simulator, live mode: time between rounds unless the encounter names its own. */
  COMBAT_ROUND_INTERVAL_MS: integer(20, 600_000).default(6_000),
  /** How often each instance runs the integrity check (0 disables the schedule). */
  INTEGRITY_CHECK_INTERVAL_MS: integer(0, 7 * 86_400_000).default(15 * 60_000),
  /**
   * The longest one integrity run works; past it the run saves what it verified and stops, and the
   * next run resumes there. The check yields between pages of rows, so requests are served meanwhile.
   */
  INTEGRITY_CHECK_BUDGET_MS: integer(1_000, 86_400_000).default(10 * 60_000),
  /**
   * The Ed25519 key that signs integrity checkpoints and prune bases (lib/ledger/ledger-signing.ts),
   * as PKCS#8 PEM. Never stored in the database. Unset: read from LEDGER_SIGNING_KEY_FILE.
   */
  LEDGER_SIGNING_KEY: z.string().min(1).optional(),
  /** Where the signing key is kept; generated there on first start (with a log line) when missing. */
  LEDGER_SIGNING_KEY_FILE: z.string().min(1).default("data/ledger-signing-key.pem"),
  /**
   * Reverse proxies whose X-Forwarded-For / -Host / -Proto are believed: comma-separated IPs or
   * CIDRs. Empty (the default) = the client address is the socket's peer and forwarded headers are
   * ignored. See lib/http/client-address.ts.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0))
    .refine((entries) => entries.every(isAddressOrCidr), { message: "must be a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.0/8,::1)" }),
  /** Live updates (GET /api/v1/live): concurrent server-sent-event streams per process; one more gets 503. */
  LIVE_MAX_STREAMS: integer(1, 10_000).default(200),
  /** Live updates: streams one session user or token holds at once; one more gets 429 (admins are always admitted). */
  LIVE_MAX_STREAMS_PER_CALLER: integer(1, 10_000).default(10),
  /** Live updates: a heartbeat comment this often keeps idle streams open through proxies. */
  LIVE_HEARTBEAT_MS: integer(1_000, 300_000).default(15_000),
  /** Live updates: events per second per stream at most; changes in between are merged into one. */
  LIVE_MAX_EVENTS_PER_SECOND: integer(1, 50).default(5),
  /** Export downloads (ledger, audit, errors) running at once per process; one more gets 429 exports_busy. */
  EXPORT_MAX_CONCURRENT: integer(1, 100).default(4),
  /** Export downloads one session user or token runs at once; one more gets 429 exports_busy. */
  EXPORT_MAX_PER_CALLER: integer(1, 100).default(2),
  /** An export whose client reads nothing for this long is ended and its slot freed. */
  EXPORT_IDLE_TIMEOUT_MS: integer(1_000, 600_000).default(60_000),
  /** Name for this process in metrics samples; defaults to host:pid. */
  INSTANCE_ID: z.string().min(1).max(100).optional(),
});

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export type AppConfig = z.infer<typeof configSchema> & {
  database: { kind: "sqlite"; file: string } | { kind: "postgresql"; url: string };
};

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid configuration (environment variables):\n${problems}`);
  }
  const parsed = result.data;
  const database = parsed.DATABASE_URL.startsWith("file:")
    ? { kind: "sqlite" as const, file: path.resolve(parsed.DATABASE_URL.slice("file:".length)) }
    : { kind: "postgresql" as const, url: parsed.DATABASE_URL };
  return { ...parsed, database };
}

let cached: AppConfig | undefined;

/** The process's configuration, read from the environment on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

import pg from "pg";
import type { ClientConfig } from "pg";
import type { Logger } from "../logging/logger.ts";
import type { InvalidationBus, InvalidationMessage, ListenerStatus, SqlExecutor } from "./invalidation-bus.ts";

export const INVALIDATION_CHANNEL = "pnakotic_player_changed";
/** Instances connect with application_name = this + instance id; the trigger reports it as the origin. */
export const APPLICATION_NAME_PREFIX = "pnakotic:";
const LAG_SAMPLES = 1_024;
const MIN_RECONNECT_MS = 100;
const MAX_RECONNECT_MS = 5_000;

interface Payload {
  p: string;
  v: number;
  o: string;
  /** ms since epoch when the writer issued NOTIFY (just before its commit). */
  t: number;
}

export interface PostgresBusOptions {
  /** Connection settings for the dedicated listener connection. */
  connection: ClientConfig;
  /** Sends NOTIFY outside a transaction (cache flushes); the app's Prisma client. */
  executor: SqlExecutor;
  logger: Logger;
  /** First reconnect delay after losing the connection (default 100 ms, doubling to 5 s). */
  firstReconnectDelayMs?: number;
}

/**
 * Cross-instance invalidation over PostgreSQL LISTEN/NOTIFY.
 *
 * A trigger on "Player" issues NOTIFY inside every writing transaction (see the migration
 * "player_change_notify"), so PostgreSQL delivers the message only if the write commits, and after
 * it has — also for writes that bypass the app. Each instance LISTENs on one dedicated connection. When that
 * connection fails the bus reports itself unhealthy (reads bypass the cache), reconnects with
 * backoff, and on success announces a gap so every cache flushes: it may have missed messages.
 */
export class PostgresInvalidationBus implements InvalidationBus {
  private client: pg.Client | undefined;
  private state: ListenerStatus["state"] = "connecting";
  private reconnects = 0;
  private lastError: string | null = null;
  private closed = false;
  private reconnectDelay: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly lags: number[] = [];
  private readonly listeners = new Set<(message: InvalidationMessage) => void>();
  private readonly gapListeners = new Set<() => void>();
  private readonly readyWaiters = new Set<() => void>();
  private readonly handledLosses = new WeakSet<pg.Client>();

  constructor(private readonly options: PostgresBusOptions) {
    this.reconnectDelay = options.firstReconnectDelayMs ?? MIN_RECONNECT_MS;
  }

  get healthy(): boolean {
    return this.state === "listening";
  }

  /** Starts listening in the background; `ready()` resolves once the first LISTEN succeeded. */
  start(): void {
    void this.connect();
  }

  ready(timeoutMs = 10_000): Promise<void> {
    if (this.healthy) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters.delete(done);
        reject(new Error(`invalidation listener not connected after ${timeoutMs} ms (${this.lastError ?? this.state})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.add(done);
    });
  }

  /** The listener connection's backend pid (tests terminate it to simulate a lost connection). */
  async listenerBackendPid(): Promise<number | null> {
    if (!this.client || !this.healthy) return null;
    const result = await this.client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    return result.rows[0]?.pid ?? null;
  }

  /** The "Player_notify_change" trigger (prisma/postgres/migrations) announces every write. */
  readonly announcedByDatabase = true;

  async publish(message: InvalidationMessage): Promise<void> {
    await this.options.executor.$executeRaw`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${this.encode(message)})`;
  }

  subscribe(listener: (message: InvalidationMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onGap(listener: () => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  status(): ListenerStatus {
    const sorted = [...this.lags].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return { state: this.state, reconnects: this.reconnects, lastError: this.lastError, lagMs: { p50: at(0.5), p99: at(0.99), samples: sorted.length } };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.state = "closed";
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch((error: unknown) => this.options.logger.warn({ module: "cache", err: error }, "closing the invalidation listener failed"));
  }

  private encode(message: InvalidationMessage): string {
    const payload: Payload = { p: message.playerId, v: message.version, o: `${APPLICATION_NAME_PREFIX}${message.origin}`, t: Date.now() };
    return JSON.stringify(payload);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.options.connection);
    client.on("notification", (notification) => this.deliver(notification.payload));
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("listener connection ended")));
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    const wasReconnect = this.state === "reconnecting";
    this.client = client;
    this.state = "listening";
    this.reconnectDelay = this.options.firstReconnectDelayMs ?? MIN_RECONNECT_MS;
    if (wasReconnect) {
      this.reconnects += 1;
      this.options.logger.warn({ module: "cache", reconnects: this.reconnects }, "invalidation listener reconnected; flushing caches");
    }
    // Even on the first connect: anything cached before LISTEN began could have missed messages.
    for (const listener of this.gapListeners) listener();
    for (const done of this.readyWaiters) done();
    this.readyWaiters.clear();
  }

  private lost(client: pg.Client, error: unknown): void {
    // One loss can be reported several times (an error, then "end"); handle each client once.
    if (this.closed || this.handledLosses.has(client)) return;
    this.handledLosses.add(client);
    if (this.client === client) this.client = undefined;
    this.lastError = error instanceof Error ? error.message : String(error);
    // Before the first successful LISTEN we are still "connecting"; afterwards every loss is a reconnect.
    if (this.state !== "connecting") this.state = "reconnecting";
    client.removeAllListeners("end");
    client.on("error", () => undefined); // late errors on the dead socket are the same loss
    void client.end().catch(() => undefined);
    this.options.logger.error({ module: "cache", err: error, retryInMs: this.reconnectDelay }, "invalidation listener lost its connection; caches bypassed until it reconnects");
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(MAX_RECONNECT_MS, this.reconnectDelay * 2);
  }

  private deliver(raw: string | undefined): void {
    let payload: Payload;
    try {
      payload = JSON.parse(raw ?? "") as Payload;
      if (typeof payload.p !== "string" || typeof payload.v !== "number" || typeof payload.o !== "string") throw new Error("missing fields");
    } catch (error) {
      // Not ours or corrupt: we cannot tell which player changed, so flush everything.
      this.options.logger.error({ module: "cache", err: error, payload: raw?.slice(0, 200) }, "unreadable invalidation message; flushing caches");
      for (const listener of this.gapListeners) listener();
      return;
    }
    if (typeof payload.t === "number") {
      this.lags.push(Math.max(0, Date.now() - payload.t));
      if (this.lags.length > LAG_SAMPLES) this.lags.shift();
    }
    // Writers outside Pnakotic (psql, a migration) report their own application_name: a foreign origin.
    const origin = payload.o.startsWith(APPLICATION_NAME_PREFIX) ? payload.o.slice(APPLICATION_NAME_PREFIX.length) : payload.o;
    const message = { playerId: payload.p, version: payload.v, origin };
    for (const listener of this.listeners) listener(message);
  }
}

/**
 * Tells every cache (in this process or, with the PostgreSQL bus, in other instances) that a
 * player changed. Messages carry the origin instance so a cache can ignore its own writes, which it
 * has already invalidated after commit.
 */
export interface InvalidationMessage {
  playerId: string;
  /** The player's version after the write. */
  version: number;
  origin: string;
}

/** The slice of a Prisma transaction client a bus needs to send a notification inside it. */
export interface SqlExecutor {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

export interface ListenerStatus {
  state: "in-process" | "connecting" | "listening" | "reconnecting" | "closed";
  reconnects: number;
  lastError: string | null;
  /** Commit (notify) → delivery on this instance's listener, over the last deliveries. */
  lagMs: { p50: number | null; p99: number | null; samples: number };
}

export interface InvalidationBus {
  /**
   * False while the bus may be missing messages (listener down or not yet connected). Reads must
   * then bypass the cache: it cannot be kept coherent.
   */
  readonly healthy: boolean;
  /**
   * True when the database itself announces every committed player change (PostgreSQL: a trigger
   * issues NOTIFY inside the writing transaction); writers then do not `publish` their writes.
   */
  readonly announcedByDatabase: boolean;
  publish(message: InvalidationMessage): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (message: InvalidationMessage) => void): () => void;
  /** Called when the bus may have missed messages (e.g. a reconnect): every cache must flush. */
  onGap(listener: () => void): () => void;
  status(): ListenerStatus;
  close(): Promise<void>;
}

/** The default bus: delivers to every subscriber in this process, synchronously. */
export class InProcessInvalidationBus implements InvalidationBus {
  readonly healthy = true;
  readonly announcedByDatabase = false;
  private readonly listeners = new Set<(message: InvalidationMessage) => void>();
  private readonly gapListeners = new Set<() => void>();

  async publish(message: InvalidationMessage): Promise<void> {
    for (const listener of this.listeners) listener(message);
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
    return { state: "in-process", reconnects: 0, lastError: null, lagMs: { p50: null, p99: null, samples: 0 } };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.gapListeners.clear();
  }
}

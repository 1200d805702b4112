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

export interface InvalidationBus {
  publish(message: InvalidationMessage): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (message: InvalidationMessage) => void): () => void;
  /** Called when the bus may have missed messages (e.g. a reconnect): every cache must flush. */
  onGap(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The default bus: delivers to every subscriber in this process, synchronously. */
export class InProcessInvalidationBus implements InvalidationBus {
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

  async close(): Promise<void> {
    this.listeners.clear();
    this.gapListeners.clear();
  }
}

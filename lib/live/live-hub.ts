import type { InvalidationBus, InvalidationMessage } from "../cache/invalidation-bus.ts";
import { SlotLimiter } from "../runtime/slot-limiter.ts";
import type { SlotRefusal } from "../runtime/slot-limiter.ts";

/**
 * What a console tab is told: which players changed since the last event. `all` means "refetch
 * everything" (the bus reported a gap, or more players changed than one event names).
 */
export type LiveChange = { kind: "players"; ids: string[] } | { kind: "all"; reason: "gap" | "burst" };

export interface LiveHubOptions {
  bus: InvalidationBus;
  instanceId: string;
  /** Concurrent streams this process serves; one more is refused (503 live_streams_exhausted). */
  maxStreams: number;
  /**
   * Concurrent streams one caller (session user or token) holds; one more is refused (429
   * live_streams_per_caller). Default: maxStreams. Exempt callers (admins) are never refused.
   */
  maxStreamsPerCaller?: number;
  /** A comment line this often keeps proxies from closing an idle stream and reveals dead clients. */
  heartbeatMs: number;
  /** At most this many events per second per stream; changes in between are merged. */
  maxEventsPerSecond: number;
  /** More changed players than this in one event become `{ kind: "all" }`. */
  maxIdsPerEvent?: number;
  /**
   * A stream is ended after this long (default 15 min). EventSource reconnects by itself, and the
   * reconnect is authenticated again, so a signed-out or disabled user stops receiving events.
   */
  maxAgeMs?: number;
}

const encoder = new TextEncoder();
const MAX_QUEUED_FRAMES = 256;

/** One server-sent-events frame. `data` is JSON on one line, so no line splitting is needed. */
export function sseFrame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Fans the invalidation bus out to server-sent-event streams. In PostgreSQL mode the bus carries
 * every instance's commits (the database's NOTIFY trigger), so a tab on instance B hears a write
 * made on A. Bounded: a cap on streams per process, per-stream coalescing (a burst of 1,000 writes
 * is a handful of events), heartbeats, and cleanup when the client goes away.
 */
export class LiveHub {
  private readonly streams = new Set<LiveStream>();
  private unsubscribe: Array<() => void> = [];
  private eventCounter = 0;
  private readonly slots: SlotLimiter;

  constructor(private readonly options: LiveHubOptions) {
    this.slots = new SlotLimiter({ total: options.maxStreams, perCaller: options.maxStreamsPerCaller ?? options.maxStreams });
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** A new stream, or null when the process already serves `maxStreams` (callers not told apart). */
  open(signal?: AbortSignal): ReadableStream<Uint8Array> | null {
    const admitted = this.admit({ key: "", exempt: false }, signal);
    return "stream" in admitted ? admitted.stream : null;
  }

  /**
   * A stream for one caller, or why not: the caller already holds `maxStreamsPerCaller`, or the
   * process serves `maxStreams`. An exempt caller (an admin) is always admitted, counted like the rest.
   */
  admit(caller: { key: string; exempt: boolean }, signal?: AbortSignal): { stream: ReadableStream<Uint8Array> } | { refusedBy: SlotRefusal } {
    const grant = this.slots.acquire(caller.key, { exempt: caller.exempt });
    if (!grant.ok) return { refusedBy: grant.refusedBy };
    const stream = new LiveStream(this.options, () => ++this.eventCounter, (closed) => {
      grant.release();
      this.detach(closed);
    });
    this.streams.add(stream);
    if (this.streams.size === 1) this.attach();
    if (signal) {
      if (signal.aborted) stream.close();
      else signal.addEventListener("abort", () => stream.close(), { once: true });
    }
    return { stream: stream.readable };
  }

  /** Ends every stream (shutdown, tests). */
  close(): void {
    for (const stream of [...this.streams]) stream.close();
  }

  private attach(): void {
    const { bus } = this.options;
    this.unsubscribe = [
      bus.subscribe((message: InvalidationMessage) => {
        for (const stream of this.streams) stream.playerChanged(message.playerId);
      }),
      bus.onGap(() => {
        for (const stream of this.streams) stream.everythingChanged("gap");
      }),
    ];
  }

  private detach(stream: LiveStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) {
      for (const unsubscribe of this.unsubscribe) unsubscribe();
      this.unsubscribe = [];
    }
  }
}

class LiveStream {
  readonly readable: ReadableStream<Uint8Array>;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private readonly pending = new Set<string>();
  private pendingAll: "gap" | "burst" | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private expiry: ReturnType<typeof setTimeout> | null = null;
  private lastFlushAt = 0;
  private closed = false;

  constructor(
    private readonly options: LiveHubOptions,
    private readonly nextId: () => number,
    private readonly onClose: (stream: LiveStream) => void,
  ) {
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        // retry: how long EventSource waits before reconnecting after a drop.
        this.write(`retry: 2000\n${sseFrame("ready", { instanceId: options.instanceId, maxEventsPerSecond: options.maxEventsPerSecond })}`);
        this.heartbeat = setInterval(() => this.write(`: heartbeat ${new Date().toISOString()}\n\n`), options.heartbeatMs);
        this.heartbeat.unref?.();
        this.expiry = setTimeout(() => this.close(), options.maxAgeMs ?? 15 * 60_000);
        this.expiry.unref?.();
      },
      // The client went away (Next cancels the body stream when the socket closes).
      cancel: () => this.close(),
    });
  }

  playerChanged(playerId: string): void {
    if (this.closed) return;
    this.pending.add(playerId);
    if (this.pending.size > (this.options.maxIdsPerEvent ?? 100)) {
      this.pending.clear();
      this.pendingAll ??= "burst";
    }
    this.schedule();
  }

  everythingChanged(reason: "gap" | "burst"): void {
    if (this.closed) return;
    this.pending.clear();
    this.pendingAll = reason;
    this.schedule();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.expiry) clearTimeout(this.expiry);
    try {
      this.controller?.close();
    } catch {
      // Already closed or errored by the runtime after the client disconnected: nothing to end.
    }
    this.onClose(this);
  }

  /** Coalescing: the first change after a quiet spell goes out at once, the rest wait for the next slot. */
  private schedule(): void {
    if (this.flushTimer) return;
    const minGapMs = 1000 / this.options.maxEventsPerSecond;
    const wait = Math.max(0, this.lastFlushAt + minGapMs - Date.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
    this.flushTimer.unref?.();
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.closed) return;
    const change: LiveChange | null = this.pendingAll
      ? { kind: "all", reason: this.pendingAll }
      : this.pending.size > 0
        ? { kind: "players", ids: [...this.pending] }
        : null;
    this.pending.clear();
    this.pendingAll = null;
    if (!change) return;
    this.lastFlushAt = Date.now();
    this.write(sseFrame("change", change, this.nextId()));
  }

  private write(text: string): void {
    if (this.closed || !this.controller) return;
    // A client that stopped reading would make the queue grow without end: drop it instead (its
    // EventSource reconnects and refetches).
    if ((this.controller.desiredSize ?? 0) < -MAX_QUEUED_FRAMES) {
      this.close();
      return;
    }
    try {
      this.controller.enqueue(encoder.encode(text));
    } catch {
      // The runtime closed the stream under us (client gone); release the slot.
      this.close();
    }
  }
}

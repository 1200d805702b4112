import type { Caller } from "../auth/caller.ts";
import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import { callerSlotKey, SlotLimiter } from "../runtime/slot-limiter.ts";

export interface ExportRunnerOptions {
  persistence: PersistenceContext;
  /**
   * SQLite: a read-only connection of the exports' own (WAL lets it read while the app's
   * connection reads and writes). PostgreSQL: null, the pool already runs queries side by side.
   */
  reader: PrismaClient | null;
  maxConcurrent: number;
  maxPerCaller: number;
  /** A download whose client stops reading for this long is ended, so a stalled client cannot keep its slot. */
  idleTimeoutMs: number;
}

/** Seconds a refused caller is told to wait: an export of the largest size takes about this long. */
const RETRY_AFTER_SECONDS = 10;

/**
 * Admits export downloads: at most `maxPerCaller` per session user or token and `maxConcurrent`
 * per process (429 `exports_busy` with Retry-After past either), and releases the slot when the
 * body ends, fails, is cancelled by the client or stalls.
 */
export class ExportRunner {
  private readonly slots: SlotLimiter;
  private readonly context: PersistenceContext;

  constructor(private readonly options: ExportRunnerOptions) {
    this.slots = new SlotLimiter({ total: options.maxConcurrent, perCaller: options.maxPerCaller });
    this.context = options.reader ? { ...options.persistence, db: options.reader } : options.persistence;
  }

  get running(): number {
    return this.slots.inUse;
  }

  async start(caller: Caller, build: (ctx: PersistenceContext) => Promise<ReadableStream<Uint8Array>> | ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
    const grant = this.slots.acquire(callerSlotKey(caller));
    if (!grant.ok) {
      const detail =
        grant.refusedBy === "caller"
          ? `You already have ${this.options.maxPerCaller} exports running; finish or cancel one first`
          : `This instance already runs ${this.options.maxConcurrent} exports; try again shortly`;
      throw new AppError("exports_busy", detail, { extensions: { retryAfterSeconds: RETRY_AFTER_SECONDS, limit: grant.refusedBy } });
    }
    let inner: ReadableStream<Uint8Array>;
    try {
      inner = await build(this.context);
    } catch (error) {
      grant.release();
      throw error;
    }
    return releasingStream(inner, grant.release, this.options.idleTimeoutMs);
  }
}

/** `inner`, calling `release` once when it ends in any way, and ending it when nobody reads for `idleMs`. */
function releasingStream(inner: ReadableStream<Uint8Array>, release: () => void, idleMs: number): ReadableStream<Uint8Array> {
  const reader = inner.getReader();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const finish = () => {
    clearTimeout(idle);
    release();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        idle = setTimeout(() => stall(controller), idleMs);
      },
      async pull(controller) {
        clearTimeout(idle);
        try {
          const chunk = await reader.read();
          if (chunk.done) {
            finish();
            controller.close();
            return;
          }
          controller.enqueue(chunk.value);
          idle = setTimeout(() => stall(controller), idleMs);
        } catch (error) {
          finish();
          controller.error(error);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    // Nothing is read ahead: the next page is read only when the client has taken the last one.
    { highWaterMark: 0 },
  );

  function stall(controller: ReadableStreamDefaultController<Uint8Array>) {
    finish();
    const error = new Error(`export ended: the client read nothing for ${idleMs} ms`);
    void reader.cancel(error).catch(() => undefined);
    controller.error(error);
  }
}

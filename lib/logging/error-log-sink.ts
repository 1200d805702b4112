import type { PrismaClient } from "../persistence/generated/client.ts";
import { addErrorSink } from "./logger.ts";
import type { LoggedError } from "./logger.ts";

const MAX_MESSAGE = 2_000;
const MAX_STACK = 10_000;

/**
 * Writes every ERROR/FATAL log line into ErrorLogEntry, for the dashboard's error page.
 * If the insert itself fails, the failure and the original entry go to stderr: an error about an
 * error is still never dropped, and it does not go back through the logger (no loop).
 */
export function attachErrorLogSink(db: PrismaClient): { detach: () => void; flush: () => Promise<void> } {
  const pending = new Set<Promise<void>>();

  const detach = addErrorSink((entry: LoggedError) => {
    const write = db.errorLogEntry
      .create({
        data: {
          level: entry.level,
          module: entry.module.slice(0, 100),
          message: entry.message.slice(0, MAX_MESSAGE),
          stack: entry.stack?.slice(0, MAX_STACK) ?? null,
          requestId: entry.requestId,
          context: JSON.parse(JSON.stringify(entry.context)),
        },
      })
      .then(
        () => undefined,
        (error: unknown) => {
          process.stderr.write(
            `error-log: could not store an error entry (${String(error)}); entry was: ${JSON.stringify(entry)}\n`,
          );
        },
      );
    pending.add(write);
    void write.finally(() => pending.delete(write));
  });

  return {
    detach,
    /** Resolves when every entry logged so far has been stored (tests, shutdown). */
    flush: async () => {
      await Promise.all([...pending]);
    },
  };
}

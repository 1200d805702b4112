import pino from "pino";
import type { Logger } from "pino";

/** What an ERROR-or-worse log line carries to the error-log sinks (see error-log-sink.ts). */
export interface LoggedError {
  level: "error" | "fatal";
  module: string;
  message: string;
  stack: string | null;
  requestId: string | null;
  context: Record<string, unknown>;
}

type ErrorSink = (entry: LoggedError) => void;
const errorSinks = new Set<ErrorSink>();

/** Registers a receiver for every ERROR/FATAL line; returns the function that removes it. */
export function addErrorSink(sink: ErrorSink): () => void {
  errorSinks.add(sink);
  return () => errorSinks.delete(sink);
}

const RESERVED_KEYS = new Set(["level", "time", "pid", "hostname", "msg", "module", "err", "requestId"]);

function toLoggedError(line: string): LoggedError {
  const record = JSON.parse(line) as Record<string, unknown>;
  const err = record.err as { message?: string; stack?: string } | undefined;
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!RESERVED_KEYS.has(key)) context[key] = value;
  }
  return {
    level: Number(record.level) >= 60 ? "fatal" : "error",
    module: typeof record.module === "string" ? record.module : "app",
    message: String(record.msg ?? err?.message ?? "(no message)"),
    stack: typeof err?.stack === "string" ? err.stack : null,
    requestId: typeof record.requestId === "string" ? record.requestId : null,
    context,
  };
}

const errorStream = {
  write(line: string) {
    if (errorSinks.size === 0) return;
    let entry: LoggedError;
    try {
      entry = toLoggedError(line);
    } catch (error) {
      // Never drop an error line: if it cannot be parsed, say so on stderr with the raw line.
      process.stderr.write(`error-log: unparseable log line (${String(error)}): ${line}`);
      return;
    }
    for (const sink of errorSinks) sink(entry);
  },
};

function createLogger(): Logger {
  const level = process.env.LOG_LEVEL ?? "info";
  const streams: pino.StreamEntry[] = [{ level: "error", stream: errorStream }];
  if (level !== "silent") streams.push({ level: level as pino.Level, stream: process.stdout });
  // The base level must let ERROR through to the error-log stream even when stdout is quieter.
  const baseLevel = level === "silent" || level === "fatal" ? "error" : level;
  return pino(
    {
      level: baseLevel,
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.err },
      // Never log credentials, whichever object they end up in.
      redact: {
        paths: ["password", "token", "authorization", "cookie", "*.password", "*.token", "*.authorization", "*.cookie", "headers.authorization", "headers.cookie"],
        censor: "[redacted]",
      },
    },
    pino.multistream(streams),
  );
}

const globalForLogger = globalThis as unknown as { pnakoticLogger?: Logger };

/** The process's root logger. Use `logger.child({ module: "…" })` per module. */
export const logger: Logger = (globalForLogger.pnakoticLogger ??= createLogger());

export type { Logger };

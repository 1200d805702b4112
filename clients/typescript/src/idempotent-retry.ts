/*
 * Retrying a write is only safe when the retry carries the same Idempotency-Key as the first try:
 * if the first request reached the server and only its answer was lost, the server replays the
 * stored answer instead of applying the write a second time. This helper owns the key for one
 * logical operation and hands it to every attempt.
 */

export interface IdempotentRetryOptions {
  /** The key every attempt carries; a fresh UUID when omitted. */
  idempotencyKey?: string;
  /** Attempts in all (first try included). Default 3. */
  attempts?: number;
  /** Whether a thrown error is worth another attempt. Default: network failures and timeouts only. */
  retryable?: (error: unknown) => boolean;
  /** Milliseconds to wait before attempt n (n ≥ 2). Default 100 · 2^(n-2), so 100, 200, 400 … */
  delayMs?: (attempt: number) => number;
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** fetch rejects with TypeError on connection failures; AbortSignal.timeout with TimeoutError. */
export function isTransientError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError"));
}

/** Runs `send(key)` until it resolves, a non-retryable error is thrown, or the attempts run out. */
export async function retryWithSameKey<T>(send: (idempotencyKey: string) => Promise<T>, options: IdempotentRetryOptions = {}): Promise<T> {
  const key = options.idempotencyKey ?? newIdempotencyKey();
  const attempts = Math.max(1, options.attempts ?? 3);
  const retryable = options.retryable ?? isTransientError;
  const delayMs = options.delayMs ?? ((attempt: number) => 100 * 2 ** (attempt - 2));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(key);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs(attempt + 1)));
    }
  }
}

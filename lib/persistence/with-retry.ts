import { StaleDataError } from "../errors/app-error.ts";

/**
 * Runs `attempt` again when it fails with StaleDataError, up to `attempts` times in all.
 * `attempt` must re-read the player and re-apply its change each time — retrying the same stale
 * object would only fail again (and must: that is the point of the version check).
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: { attempts?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  let lastConflict: StaleDataError | undefined;
  for (let attemptNumber = 1; attemptNumber <= attempts; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof StaleDataError)) throw error;
      lastConflict = error;
    }
  }
  throw lastConflict!;
}

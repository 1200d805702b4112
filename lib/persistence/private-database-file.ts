import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

const OWNER_ONLY = 0o600;

/**
 * Creates the SQLite file readable and writable by its owner only (it holds password hashes and
 * token hashes), and tightens an existing file and its -wal/-shm to the same mode. SQLite creates
 * -wal and -shm with the database file's mode, so they follow once the file is 0600.
 */
export function ensurePrivateDatabaseFile(file: string): { writable: boolean } {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    closeSync(openSync(file, "a", OWNER_ONLY));
  } catch (error) {
    // A file this process may read but not write (a backup restored with the wrong owner, a
    // read-only mount): start anyway, so reads and /api/health answer and writes say 503 until an
    // operator fixes it; the write path reopens its connection and heals without a restart.
    if (existsSync(file) && isPermissionError(error)) return { writable: false };
    throw error;
  }
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if (existsSync(candidate)) chmodSync(candidate, OWNER_ONLY);
    } catch (error) {
      // Not the owner: the mode is the owner's to set; say so instead of refusing to start.
      if (!isPermissionError(error)) throw error;
    }
  }
  return { writable: true };
}

const isPermissionError = (error: unknown) => ["EACCES", "EPERM", "EROFS"].includes((error as NodeJS.ErrnoException).code ?? "");

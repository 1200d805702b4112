import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

const OWNER_ONLY = 0o600;

/**
 * Creates the SQLite file readable and writable by its owner only (it holds password hashes and
 * token hashes), and tightens an existing file and its -wal/-shm to the same mode. SQLite creates
 * -wal and -shm with the database file's mode, so they follow once the file is 0600.
 */
export function ensurePrivateDatabaseFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  closeSync(openSync(file, "a", OWNER_ONLY));
  for (const candidate of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(candidate)) chmodSync(candidate, OWNER_ONLY);
  }
}

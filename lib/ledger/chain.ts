import { createHash } from "node:crypto";

/**
 * The ledger's hash chain, the one definition the database triggers (migration
 * 20261125150000_ledger_chain), the integrity check and `ledger verify` share.
 *
 * A write appends its rows in one statement, so each row cannot hash the row inserted just before it
 * (a trigger has no loop in SQLite). The chain therefore links writes:
 *
 *   row.hash   = H(headBefore ‖ canonical(row))     for every row of a write
 *   headAfter  = H(row₁.hash ‖ row₂.hash ‖ …)       the write's rows in id order
 *
 * headBefore is the head after the player's previous write, or the head kept by a prune
 * (LedgerBase), or GENESIS. Editing a row breaks its own hash; deleting or inserting a row changes
 * its write's head, which the next write's rows were hashed with; reordering writes does too.
 *
 * H is SHA3-256 on SQLite (the `sha3` function of the sqlite3 shell, registered by Pnakotic on its own
 * connections) and SHA-256 on PostgreSQL (built in). Values are lower-case hex.
 */
export type ChainAlgorithm = "sha3-256" | "sha256";
export const GENESIS = "0".repeat(64);

export const chainAlgorithmFor = (dialect: "sqlite" | "postgresql"): ChainAlgorithm => (dialect === "sqlite" ? "sha3-256" : "sha256");

/** A ledger row as hashed: every column's text exactly as the database renders it. */
export interface ChainRow {
  id: number;
  playerId: string;
  field: string;
  before: number;
  after: number;
  beforeText: string | null;
  afterText: string | null;
  reason: string;
  /** The stored JSON text (PostgreSQL renders jsonb in its own normal form). */
  detail: string | null;
  actor: string;
  requestId: string | null;
  changeId: string;
  playerVersion: number;
  /** SQLite: the stored text; PostgreSQL: to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS'). */
  at: string;
  /** null: written before the chain existed (migration 20261125150000). */
  hash: string | null;
}

/** `length:value`, or `-` for NULL: unambiguous without a separator. Lengths count code points, as SQL's length() does. */
function field(value: string | number | null): string {
  if (value === null) return "-";
  const text = String(value);
  return `${[...text].length}:${text}`;
}

export function canonicalRow(row: ChainRow): string {
  return [
    row.playerId,
    row.field,
    row.before,
    row.after,
    row.beforeText,
    row.afterText,
    row.reason,
    row.detail,
    row.actor,
    row.requestId,
    row.changeId,
    row.playerVersion,
    row.at,
  ]
    .map(field)
    .join("");
}

export const digest = (algorithm: ChainAlgorithm, text: string) => createHash(algorithm).update(text, "utf8").digest("hex");

export const rowHash = (algorithm: ChainAlgorithm, headBefore: string, row: ChainRow) => digest(algorithm, headBefore + canonicalRow(row));

export const writeHead = (algorithm: ChainAlgorithm, hashes: string[]) => digest(algorithm, hashes.join(""));

export interface ChainProblem {
  eventId: number;
  changeId: string;
  problem: "edited_or_out_of_order" | "unchained_after_chain";
  expected: string;
  found: string | null;
}

export interface ChainVerdict {
  /** The head after the last complete write verified (the start head if there were none). */
  head: string;
  /** Rows checked, and rows written before the chain existed (hash NULL, allowed only before the first hashed row). */
  checked: number;
  unchained: number;
  problems: ChainProblem[];
}

/**
 * Verifies one player's rows in id order, fed one at a time (an export of any length is verified in
 * bounded memory), starting right after the write whose head is `startHead`. A problem does not stop
 * the walk: later writes are checked against the hashes as stored, so one tampered row gives one
 * finding, not one per later write.
 */
export class ChainVerifier {
  private head: string;
  private chainStarted: boolean;
  private write: ChainRow[] = [];
  private checked = 0;
  private unchained = 0;
  private readonly problems: ChainProblem[] = [];
  private problemCount = 0;

  constructor(
    private readonly algorithm: ChainAlgorithm,
    startHead: string = GENESIS,
    /** Called with each write's head and last row id as the walk closes it. */
    private readonly onWrite?: (head: string, lastEventId: number) => void,
  ) {
    this.head = startHead;
    this.chainStarted = startHead !== GENESIS;
  }

  push(row: ChainRow): void {
    if (this.write.length > 0 && this.write[0]!.changeId !== row.changeId) this.closeWrite();
    this.write.push(row);
    this.checked += 1;
  }

  /** The head after the last complete write pushed (the current write is still open). */
  closedHead(): string {
    return this.head;
  }

  hasProblems(): boolean {
    return this.problemCount > 0;
  }

  finish(): ChainVerdict {
    this.closeWrite();
    return { head: this.head, checked: this.checked, unchained: this.unchained, problems: [...this.problems] };
  }

  private problem(problem: ChainProblem): void {
    this.problemCount += 1;
    if (this.problems.length < MAX_CHAIN_PROBLEMS) this.problems.push(problem);
  }

  private closeWrite(): void {
    const write = this.write;
    this.write = [];
    if (write.length === 0) return;
    if (!this.chainStarted && write.every((row) => row.hash === null)) {
      this.unchained += write.length;
      return;
    }
    this.chainStarted = true;
    const hashes = write.map((row) => {
      const expected = rowHash(this.algorithm, this.head, row);
      if (row.hash === null) this.problem({ eventId: row.id, changeId: row.changeId, problem: "unchained_after_chain", expected, found: null });
      else if (row.hash !== expected) this.problem({ eventId: row.id, changeId: row.changeId, problem: "edited_or_out_of_order", expected, found: row.hash });
      return row.hash ?? expected;
    });
    this.head = writeHead(this.algorithm, hashes);
    this.onWrite?.(this.head, write[write.length - 1]!.id);
  }
}

/** Problems kept per walk: a wholly rewritten ledger of any length stays a bounded verdict. */
export const MAX_CHAIN_PROBLEMS = 1_000;

export function verifyChain(algorithm: ChainAlgorithm, rows: Iterable<ChainRow>, startHead: string = GENESIS): ChainVerdict {
  const verifier = new ChainVerifier(algorithm, startHead);
  for (const row of rows) verifier.push(row);
  return verifier.finish();
}

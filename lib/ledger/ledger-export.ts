import { z } from "zod";
import { playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { jsonLedgerFields, statValues, textLedgerColumns } from "../persistence/player-record.ts";
import { playerNameKey } from "../player-operations/player-inputs.ts";
import { builtinStatColumn, isBuiltinStat } from "../stats/stat-definition.ts";
import { ChainVerifier, GENESIS, chainAlgorithmFor } from "./chain.ts";
import type { ChainAlgorithm, ChainRow } from "./chain.ts";
import { pageChainRows } from "./chain-rows.ts";
import { latestBase, latestCheckpoints } from "./ledger-anchors.ts";
import { baseMessage, checkpointMessage } from "./ledger-signing.ts";
import type { LedgerSigner } from "./ledger-signing.ts";

/**
 * `npm run admin -- ledger export <player>` writes one player's ledger as JSON Lines: a header (the
 * player's stored state, the prune base if any), every row exactly as hashed, and an end line with
 * the chain head. `ledger verify <file>` checks such a file offline, in bounded memory: the chain,
 * each field's before/after continuity, and that the rows replay to the stored state.
 */
export const EXPORT_FORMAT = "pnakotic-ledger/1";

const textFields = textLedgerColumns;
type StateValue = number | string | null;

const headerSchema = z.object({
  type: z.literal("header"),
  format: z.literal(EXPORT_FORMAT),
  algorithm: z.enum(["sha3-256", "sha256"]),
  exportedAt: z.string(),
  player: z.object({ id: z.string(), name: z.string(), version: z.number().int(), state: z.record(z.string(), z.union([z.number(), z.string(), z.null()])) }),
  base: z
    .object({
      throughEventId: z.number().int(),
      throughAt: z.string(),
      version: z.number().int(),
      chainHead: z.string(),
      state: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
      // Absent in exports from before signatures: then the base cannot be trusted.
      prunedRows: z.number().int().optional(),
      prunedAt: z.string().optional(),
      signature: z.string().nullable().optional(),
    })
    .nullable(),
  /** The latest checkpoint Pnakotic signed, to check the rows under it are all there. */
  checkpoint: z
    .object({
      lastEventId: z.number().int(),
      version: z.number().int(),
      chainHead: z.string().nullable(),
      state: z.record(z.string(), z.number()),
      rowsThrough: z.number().int().nullable(),
      verifiedAt: z.string(),
      signature: z.string().nullable(),
    })
    .nullable()
    .optional(),
  keyId: z.string().optional(),
});
const rowSchema = z.object({
  type: z.literal("row"),
  id: z.number().int(),
  playerId: z.string(),
  field: z.string(),
  before: z.number().int(),
  after: z.number().int(),
  beforeText: z.string().nullable(),
  afterText: z.string().nullable(),
  reason: z.string(),
  detail: z.string().nullable(),
  actor: z.string(),
  requestId: z.string().nullable(),
  changeId: z.string(),
  playerVersion: z.number().int(),
  at: z.string(),
  hash: z.string().nullable(),
});
const endSchema = z.object({ type: z.literal("end"), rows: z.number().int(), head: z.string(), unchained: z.number().int() });

/** A player by id, or by name (case-insensitive, as names are unique). */
export async function findPlayerForExport(ctx: PersistenceContext, idOrName: string) {
  const select = { id: true, name: true, version: true, health: true, maxHealth: true, experiencePoints: true, level: true, stats: true, currentRoomId: true, professionId: true } as const;
  const player = (await ctx.db.player.findUnique({ where: { id: idOrName }, select })) ?? (await ctx.db.player.findUnique({ where: { nameKey: playerNameKey(idOrName) }, select }));
  if (!player) throw playerNotFound(idOrName);
  return player;
}

/** The export's lines (each a JSON document, no newline), produced page by page. */
export async function* exportPlayerLedger(ctx: PersistenceContext, idOrName: string, onProgress?: (rows: number) => void): AsyncGenerator<string> {
  const player = await findPlayerForExport(ctx, idOrName);
  const stats = await ctx.stats.byKey();
  const stored = statValues(player.stats);
  const state: Record<string, StateValue> = {};
  for (const [key, definition] of stats) state[key] = isBuiltinStat(key) ? player[builtinStatColumn[key]] : (stored[key] ?? definition.default);
  for (const [field, column] of Object.entries(textFields)) state[field] = player[column];
  const base = await latestBase(ctx, player.id);
  const checkpoint = (await latestCheckpoints(ctx, [player.id])).get(player.id);
  const algorithm = chainAlgorithmFor(ctx.dialect);
  yield JSON.stringify({
    type: "header",
    format: EXPORT_FORMAT,
    algorithm,
    exportedAt: new Date().toISOString(),
    keyId: ctx.ledgerSigner.keyId,
    player: { id: player.id, name: player.name, version: player.version, state },
    base: base
      ? {
          throughEventId: base.throughEventId,
          throughAt: base.throughAt.toISOString(),
          version: base.version,
          chainHead: base.chainHead,
          state: base.state,
          prunedRows: base.prunedRows,
          prunedAt: base.prunedAt.toISOString(),
          signature: base.signature,
        }
      : null,
    checkpoint:
      checkpoint && checkpoint.signature !== null
        ? {
            lastEventId: checkpoint.lastEventId,
            version: checkpoint.version,
            chainHead: checkpoint.chainHead,
            state: checkpoint.state,
            rowsThrough: checkpoint.rowsThrough,
            verifiedAt: checkpoint.verifiedAt.toISOString(),
            signature: checkpoint.signature,
          }
        : null,
  });
  const verifier = new ChainVerifier(algorithm, base?.chainHead ?? GENESIS);
  let rows = 0;
  // Only writes the stored row already reflects: a write during the export is left out whole.
  for await (const page of pageChainRows(ctx, { playerId: player.id, afterId: base?.throughEventId ?? 0, maxVersion: player.version })) {
    for (const row of page) {
      verifier.push(row);
      yield JSON.stringify({ type: "row", ...row });
    }
    rows += page.length;
    onProgress?.(rows);
  }
  const verdict = verifier.finish();
  yield JSON.stringify({ type: "end", rows, head: verdict.head, unchained: verdict.unchained });
}

export interface ExportVerdict {
  ok: boolean;
  playerId: string | null;
  rows: number;
  head: string | null;
  algorithm: ChainAlgorithm | null;
  /** With `contains`: the event whose write ends at that head (0: the start), or null when not in the chain. */
  contains?: number | null;
  problems: string[];
}

const MAX_REPORTED_PROBLEMS = 50;

/** Verifies an export's lines. Never throws on bad content: every problem is reported. */
export async function verifyLedgerExport(
  lines: AsyncIterable<string> | Iterable<string>,
  options: {
    expectedHead?: string;
    /** Checks the base's and the checkpoint's signatures (`ledger verify` passes the configured key). */
    signer?: LedgerSigner;
    /** Reports whether this head is one the chain passed through (`ledger verify --contains`). */
    contains?: string;
  } = {},
): Promise<ExportVerdict> {
  const verdict: ExportVerdict = { ok: false, playerId: null, rows: 0, head: null, algorithm: null, problems: [] };
  const heads = { contains: options.contains, found: null as number | null };
  let underCheckpoint = 0;
  let checkpointHead: string | null = null;
  const problem = (message: string) => {
    if (verdict.problems.length < MAX_REPORTED_PROBLEMS) verdict.problems.push(message);
    else if (verdict.problems.length === MAX_REPORTED_PROBLEMS) verdict.problems.push("… more problems not listed");
  };
  let header: z.infer<typeof headerSchema> | null = null;
  let verifier: ChainVerifier | null = null;
  let end: z.infer<typeof endSchema> | null = null;
  let lastId = 0;
  let lastVersion = 0;
  const state: Record<string, StateValue> = {};
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problem(`line ${lineNumber}: not JSON`);
      continue;
    }
    if (!header) {
      const parsed = headerSchema.safeParse(json);
      if (!parsed.success) {
        problem(`line ${lineNumber}: not a ${EXPORT_FORMAT} header (${parsed.error.issues[0]?.message ?? "invalid"})`);
        return verdict;
      }
      header = parsed.data;
      verdict.playerId = header.player.id;
      verdict.algorithm = header.algorithm;
      const cp = header.checkpoint ?? null;
      verifier = new ChainVerifier(header.algorithm, header.base?.chainHead ?? GENESIS, (head, lastEventId) => {
        if (heads.contains === head && heads.found === null) heads.found = lastEventId;
        if (cp && lastEventId === cp.lastEventId) checkpointHead = head;
      });
      if (heads.contains !== undefined && heads.contains === (header.base?.chainHead ?? GENESIS)) heads.found = header.base?.throughEventId ?? 0;
      if (options.signer) checkAnchors(header, options.signer, problem);
      Object.assign(state, header.base?.state ?? {});
      lastId = header.base?.throughEventId ?? 0;
      lastVersion = header.base?.version ?? 0;
      continue;
    }
    if (end) {
      problem(`line ${lineNumber}: content after the end line`);
      continue;
    }
    const parsedEnd = endSchema.safeParse(json);
    if (parsedEnd.success) {
      end = parsedEnd.data;
      continue;
    }
    const parsed = rowSchema.safeParse(json);
    if (!parsed.success) {
      problem(`line ${lineNumber}: not a ledger row (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`);
      continue;
    }
    const { type: _type, ...row } = parsed.data;
    verdict.rows += 1;
    if (row.playerId !== header.player.id) problem(`event ${row.id}: belongs to player ${row.playerId}, not ${header.player.id}`);
    if (row.id <= lastId) problem(`event ${row.id}: out of order (after event ${lastId})`);
    if (row.playerVersion < lastVersion) problem(`event ${row.id}: version ${row.playerVersion} goes back from ${lastVersion}`);
    lastId = Math.max(lastId, row.id);
    lastVersion = Math.max(lastVersion, row.playerVersion);
    replay(state, row, problem);
    if (header.checkpoint && row.id <= header.checkpoint.lastEventId) underCheckpoint += 1;
    verifier!.push(row as ChainRow);
  }
  if (!header) {
    problem("the file is empty");
    return verdict;
  }
  const chain = verifier!.finish();
  for (const found of chain.problems) {
    problem(
      found.problem === "unchained_after_chain"
        ? `event ${found.eventId}: no hash, though rows before it are chained`
        : `event ${found.eventId}: does not match its hash (edited, or a row before it was removed or inserted)`,
    );
  }
  verdict.head = chain.head;
  if (!end) problem("the end line is missing: the file is truncated");
  else {
    if (end.rows !== verdict.rows) problem(`the end line counts ${end.rows} rows, the file has ${verdict.rows}`);
    if (end.head !== chain.head) problem(`the end line's chain head ${end.head} is not the head the rows give, ${chain.head}`);
  }
  if (options.expectedHead !== undefined && options.expectedHead !== chain.head) problem(`the chain head is ${chain.head}, not the expected ${options.expectedHead}`);
  if (options.contains !== undefined) {
    verdict.contains = heads.found;
    if (heads.found === null) problem(`the head ${options.contains} is not in this chain: the history it named was changed or removed`);
  }
  const cp = header.checkpoint;
  if (cp && cp.lastEventId > (header.base?.throughEventId ?? 0)) {
    // The signed checkpoint still stands on its rows: all of them, and its write's head.
    const expected = cp.rowsThrough !== null ? cp.rowsThrough - (header.base?.prunedRows ?? 0) : null;
    if (expected !== null && underCheckpoint !== expected) problem(`${expected} rows were signed through event ${cp.lastEventId}, the file has ${underCheckpoint}: rows under the signed checkpoint were ${underCheckpoint < expected ? "removed" : "added"}`);
    else if (checkpointHead !== cp.chainHead) problem(`the chain head at event ${cp.lastEventId} is ${checkpointHead ?? "missing"}, not the signed checkpoint's ${cp.chainHead}`);
  }
  for (const [field, value] of Object.entries(state)) {
    if (field in header.player.state && header.player.state[field] !== value) problem(`${field}: the rows replay to ${JSON.stringify(value)}, the stored state is ${JSON.stringify(header.player.state[field])}`);
  }
  if (verdict.rows > 0 && lastVersion !== header.player.version) problem(`the last row is version ${lastVersion}, the stored player is version ${header.player.version}`);
  verdict.ok = verdict.problems.length === 0;
  return verdict;
}

/** The base and the checkpoint must carry this key's signature (a forged or moved one does not). */
function checkAnchors(header: z.infer<typeof headerSchema>, signer: LedgerSigner, problem: (message: string) => void) {
  if (header.keyId !== undefined && header.keyId !== signer.keyId) problem(`the export names signing key ${header.keyId}, this key is ${signer.keyId}`);
  const base = header.base;
  if (base) {
    const signed =
      base.prunedRows !== undefined &&
      base.prunedAt !== undefined &&
      signer.verify(baseMessage({ playerId: header.player.id, throughEventId: base.throughEventId, version: base.version, chainHead: base.chainHead, state: base.state, prunedRows: base.prunedRows, prunedAt: new Date(base.prunedAt) }), base.signature ?? null);
    if (!signed) problem(`the prune base through event ${base.throughEventId} is not signed by this key: it was written or moved outside Pnakotic, and rows before it may have been removed`);
  }
  const cp = header.checkpoint;
  if (cp) {
    const signed = signer.verify(checkpointMessage({ playerId: header.player.id, ...cp, verifiedAt: new Date(cp.verifiedAt) }), cp.signature);
    if (!signed) problem(`the checkpoint at event ${cp.lastEventId} is not signed by this key: it was edited or moved outside Pnakotic`);
  }
}

/** Each field's chain of values: a row starts where the previous one of its field ended. */
function replay(state: Record<string, StateValue>, row: Omit<ChainRow, "hash"> & { hash: string | null }, problem: (message: string) => void) {
  if (row.field === "version") return;
  const text = row.field in textFields || (jsonLedgerFields as readonly string[]).includes(row.field);
  const before = text ? row.beforeText : row.before;
  const after = text ? row.afterText : row.after;
  if (row.field in state && state[row.field] !== before) problem(`event ${row.id}: ${row.field} starts at ${JSON.stringify(before)}, but the previous value was ${JSON.stringify(state[row.field])}`);
  state[row.field] = after;
}

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";

/**
 * Pnakotic's signature on what it verified (issue 20): each checkpoint the integrity check stores and
 * each base a prune leaves is signed with an Ed25519 key that lives in a file or an environment
 * variable, never in the database. Someone with database access but without the key can still edit
 * rows, but cannot make a checkpoint or base that verifies: a forged base, a checkpoint moved
 * forward, or rows deleted under a signed checkpoint are reported (lib/integrity/, `ledger verify`).
 *
 * Messages are line-separated fields with a type tag, so a checkpoint's signature can never pass for
 * a base's. The state is signed as the SHA-256 of its canonical JSON (sorted keys).
 */
export interface LedgerSigner {
  /** Base64 Ed25519 signature of the message. */
  sign(message: string): string;
  verify(message: string, signature: string | null): boolean;
  /** SHA-256 of the public key (hex, first 16): names the key in findings and exports. */
  keyId: string;
}

export interface SigningKeySource {
  /** The private key as PEM (PKCS#8), e.g. from a secret store. Wins over the file. */
  LEDGER_SIGNING_KEY?: string | undefined;
  /** Where the private key is read from, or generated on first start when missing. */
  LEDGER_SIGNING_KEY_FILE: string;
}

/**
 * The signer for this process. A key that cannot be read or created (a file the process may not
 * read, a read-only directory) must not take the whole server down with it: writes, reads and health
 * do not need the key. The failure is logged at ERROR (so it is in the error log) and every signature
 * or verification then answers 503 ledger_key_unavailable, so an integrity run or a prune fails
 * loudly instead of writing unsigned anchors or reporting genuine ones as forged.
 */
export function loadLedgerSigner(source: SigningKeySource, logger?: Logger): LedgerSigner {
  try {
    return signerFromKey(createPrivateKey(source.LEDGER_SIGNING_KEY ?? readOrCreateKeyFile(source.LEDGER_SIGNING_KEY_FILE, logger)));
  } catch (error) {
    const where = source.LEDGER_SIGNING_KEY !== undefined ? "LEDGER_SIGNING_KEY" : source.LEDGER_SIGNING_KEY_FILE;
    logger?.error({ module: "ledger", err: error, key: where }, "the ledger signing key could not be loaded: checkpoints and prune bases can be neither signed nor verified until it is fixed and the process restarted");
    return unavailableSigner(where, error);
  }
}

function unavailableSigner(where: string, cause: unknown): LedgerSigner {
  const refuse = (): never => {
    throw new AppError("ledger_key_unavailable", `The ledger signing key (${where}) could not be loaded: ${(cause as Error)?.message ?? String(cause)}`);
  };
  return { keyId: "unavailable", sign: refuse, verify: refuse };
}

export function signerFromKey(privateKey: KeyObject): LedgerSigner {
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex").slice(0, 16);
  return {
    keyId,
    sign: (message) => sign(null, Buffer.from(message, "utf8"), privateKey).toString("base64"),
    verify: (message, signature) => {
      if (signature === null || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
      return verify(null, Buffer.from(message, "utf8"), publicKey, Buffer.from(signature, "base64"));
    },
  };
}

/**
 * Reads the key file, or creates it (mode 0600) when missing. Several processes may start at once
 * (instances, test workers): the key is written to a temporary file and linked into place, which
 * fails if another process got there first, so every process ends up with the same key.
 */
function readOrCreateKeyFile(file: string, logger?: Logger): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, pem, { mode: 0o600 });
  try {
    linkSync(temporary, file);
    logger?.warn(
      { module: "ledger", file },
      "generated a new ledger signing key: back it up, and keep it away from the database (LEDGER_SIGNING_KEY_FILE or LEDGER_SIGNING_KEY); without it, checkpoints and prune bases cannot be verified",
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return readFileSync(file, "utf8");
}

/** SHA-256 of the state's canonical JSON (keys sorted). */
export function stateHash(state: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(state).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

export interface SignedCheckpoint {
  playerId: string;
  lastEventId: number;
  version: number;
  chainHead: string | null;
  state: Record<string, unknown>;
  rowsThrough: number | null;
  verifiedAt: Date;
}

export const checkpointMessage = (c: SignedCheckpoint) =>
  ["pnakotic-checkpoint/1", c.playerId, c.lastEventId, c.version, c.chainHead ?? "-", stateHash(c.state), c.rowsThrough ?? "-", c.verifiedAt.toISOString()].join("\n");

export interface SignedBase {
  playerId: string;
  throughEventId: number;
  version: number;
  chainHead: string;
  state: Record<string, unknown>;
  prunedRows: number;
  prunedAt: Date;
}

export const baseMessage = (b: SignedBase) =>
  ["pnakotic-base/1", b.playerId, b.throughEventId, b.version, b.chainHead, stateHash(b.state), b.prunedRows, b.prunedAt.toISOString()].join("\n");

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error.ts";
import { loadLedgerSigner } from "../../lib/ledger/ledger-signing.ts";

describe("the ledger signing key", () => {
  it("is generated on first use, and the same file gives the same key", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-key-"));
    try {
      const file = path.join(dir, "key.pem");
      const first = loadLedgerSigner({ LEDGER_SIGNING_KEY_FILE: file });
      const again = loadLedgerSigner({ LEDGER_SIGNING_KEY_FILE: file });
      expect(again.keyId).toBe(first.keyId);
      expect(again.verify("checkpoint", first.sign("checkpoint"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("that cannot be loaded leaves a signer that refuses with 503 ledger_key_unavailable, logged, instead of failing the process", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-key-"));
    try {
      // A directory where the file should be: unreadable as a key whoever runs the test (root included).
      const errors: unknown[] = [];
      const logger = { error: (...args: unknown[]) => errors.push(args), warn: () => undefined } as unknown as Parameters<typeof loadLedgerSigner>[1];
      const signer = loadLedgerSigner({ LEDGER_SIGNING_KEY_FILE: dir }, logger);
      expect(errors).toHaveLength(1);
      for (const use of [() => signer.sign("checkpoint"), () => signer.verify("checkpoint", null)]) {
        expect(use).toThrow(AppError);
        try {
          use();
        } catch (error) {
          expect((error as AppError).code).toBe("ledger_key_unavailable");
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

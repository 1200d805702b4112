-- More ledger reasons, added once for this round's features so that no later migration has to
-- rebuild the table again: 'transfer' (a conserved stat moved between two players in one change),
-- 'import' (a player brought in from another game's store) and 'archive' (a player archived or
-- brought back). lib/persistence/player-record.ts's ledgerReasons is the same list; the test
-- tests/integration/migrations.test.ts ties them together.
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt exactly as it was (the implicit
-- DELETE of DROP TABLE fires no trigger, and the rows are copied unchanged, ids and hashes included).
-- The PostgreSQL twin is prisma/postgres/migrations/20261204090000_ledger_reasons.
CREATE TABLE "new_PlayerEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "playerId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "field" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "before" INTEGER NOT NULL,
    "after" INTEGER NOT NULL,
    "beforeText" TEXT,
    "afterText" TEXT,
    "reason" TEXT NOT NULL,
    "detail" JSONB,
    "actor" TEXT NOT NULL,
    "requestId" TEXT,
    "changeId" TEXT NOT NULL,
    "playerVersion" INTEGER NOT NULL,
    "hash" TEXT,
    CONSTRAINT "PlayerEvent_delta_matches" CHECK ("after" - "before" = "delta"),
    CONSTRAINT "PlayerEvent_field_shape" CHECK (length("field") BETWEEN 1 AND 64),
    CONSTRAINT "PlayerEvent_reason_known" CHECK ("reason" IN ('damage', 'heal', 'experience', 'correction', 'respawn', 'save', 'stat', 'restore', 'revert', 'external', 'transfer', 'import', 'archive')),
    CONSTRAINT "PlayerEvent_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_PlayerEvent" ("id", "playerId", "at", "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion", "hash")
    SELECT "id", "playerId", "at", "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion", "hash" FROM "PlayerEvent";
-- The trigger "Player_ledger" on "Player" names "PlayerEvent"; between the DROP and the RENAME that
-- table does not exist, and SQLite's modern RENAME re-checks every trigger's body, so the rename uses
-- the legacy rule (check nothing) and the setting is put back at once.
DROP TABLE "PlayerEvent";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "new_PlayerEvent" RENAME TO "PlayerEvent";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "PlayerEvent_playerId_id_idx" ON "PlayerEvent"("playerId", "id");
CREATE INDEX "PlayerEvent_playerId_at_idx" ON "PlayerEvent"("playerId", "at");
CREATE INDEX "PlayerEvent_changeId_idx" ON "PlayerEvent"("changeId");
CREATE INDEX "PlayerEvent_requestId_idx" ON "PlayerEvent"("requestId");
CREATE INDEX "PlayerEvent_reason_at_idx" ON "PlayerEvent"("reason", "at");
CREATE INDEX "PlayerEvent_playerId_field_id_idx" ON "PlayerEvent"("playerId", "field", "id");
CREATE TRIGGER "PlayerEvent_no_update" BEFORE UPDATE ON "PlayerEvent"
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only');
END;
CREATE TRIGGER "PlayerEvent_no_delete" BEFORE DELETE ON "PlayerEvent"
WHEN NOT EXISTS (SELECT 1 FROM "LedgerBase" b WHERE b."playerId" = OLD."playerId" AND OLD."id" <= b."throughEventId")
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only (rows are removed only by a prune, after LedgerBase sums them up)');
END;

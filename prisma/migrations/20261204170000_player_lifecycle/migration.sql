-- Player lifecycle (issue 24): archiving, test players and their purge, scoped tokens.
-- The PostgreSQL twin is prisma/postgres/migrations/20261204170000_player_lifecycle.
-- archivedAt: the write statement refuses archived players in its WHERE (lib/persistence/player-update.ts).
-- testTag: players a test suite created; only these can be purged (lib/persistence/purge-test-player.ts).
ALTER TABLE "Player" ADD COLUMN "archivedAt" DATETIME;
ALTER TABLE "Player" ADD COLUMN "testTag" TEXT;
CREATE INDEX "Player_testTag_idx" ON "Player"("testTag");
ALTER TABLE "ApiToken" ADD COLUMN "scope" TEXT;

-- A purged test player's tombstone, written in the purge's own transaction before any row goes.
CREATE TABLE "PlayerPurge" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "playerId" TEXT NOT NULL,
    "playerName" TEXT NOT NULL,
    "testTag" TEXT NOT NULL,
    "ledgerRows" INTEGER NOT NULL,
    "lastEventHash" TEXT,
    "purgedAt" DATETIME NOT NULL,
    "purgedBy" TEXT NOT NULL,
    "requestId" TEXT
);
CREATE INDEX "PlayerPurge_purgedAt_idx" ON "PlayerPurge"("purgedAt");
CREATE INDEX "PlayerPurge_playerId_idx" ON "PlayerPurge"("playerId");
CREATE TRIGGER "PlayerPurge_append_only" BEFORE UPDATE ON "PlayerPurge"
BEGIN
    SELECT RAISE(ABORT, 'PlayerPurge is append-only');
END;
CREATE TRIGGER "PlayerPurge_no_delete" BEFORE DELETE ON "PlayerPurge"
BEGIN
    SELECT RAISE(ABORT, 'PlayerPurge is append-only');
END;

-- Ledger rows go only when a prune summed them up in "LedgerBase", or when their player is a test
-- player whose purge is recorded (the tombstone above); a real player's ledger cannot be purged.
DROP TRIGGER "PlayerEvent_no_delete";
CREATE TRIGGER "PlayerEvent_no_delete" BEFORE DELETE ON "PlayerEvent"
WHEN NOT EXISTS (SELECT 1 FROM "LedgerBase" b WHERE b."playerId" = OLD."playerId" AND OLD."id" <= b."throughEventId")
 AND NOT EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only (rows are removed only by a prune, after LedgerBase sums them up, or with a purged test player)');
END;
DROP TRIGGER "LedgerBase_no_delete";
CREATE TRIGGER "LedgerBase_no_delete" BEFORE DELETE ON "LedgerBase"
WHEN NOT EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'LedgerBase is kept for as long as the player');
END;

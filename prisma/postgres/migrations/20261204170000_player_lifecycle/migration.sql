-- Player lifecycle (issue 24): archiving, test players and their purge, scoped tokens.
-- The SQLite twin is prisma/migrations/20261204170000_player_lifecycle (it explains the columns).
ALTER TABLE "Player" ADD COLUMN "archivedAt" TIMESTAMP(3);
ALTER TABLE "Player" ADD COLUMN "testTag" TEXT;
CREATE INDEX "Player_testTag_idx" ON "Player"("testTag");
ALTER TABLE "ApiToken" ADD COLUMN "scope" TEXT;

CREATE TABLE "PlayerPurge" (
    "id" SERIAL NOT NULL,
    "playerId" TEXT NOT NULL,
    "playerName" TEXT NOT NULL,
    "testTag" TEXT NOT NULL,
    "ledgerRows" INTEGER NOT NULL,
    "lastEventHash" TEXT,
    "purgedAt" TIMESTAMP(3) NOT NULL,
    "purgedBy" TEXT NOT NULL,
    "requestId" TEXT,
    CONSTRAINT "PlayerPurge_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "PlayerPurge_purgedAt_idx" ON "PlayerPurge"("purgedAt");
CREATE INDEX "PlayerPurge_playerId_idx" ON "PlayerPurge"("playerId");
CREATE FUNCTION "PlayerPurge_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  RAISE EXCEPTION ''PlayerPurge is append-only''\073
END\073';
CREATE TRIGGER "PlayerPurge_append_only" BEFORE UPDATE OR DELETE ON "PlayerPurge"
    FOR EACH ROW EXECUTE FUNCTION "PlayerPurge_append_only"();

-- Ledger rows go only when a prune summed them up in "LedgerBase", or when their player is a test
-- player whose purge is recorded: a real player's ledger cannot be purged.
CREATE OR REPLACE FUNCTION "PlayerEvent_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  IF TG_OP = ''DELETE'' AND EXISTS (SELECT 1 FROM "LedgerBase" b WHERE b."playerId" = OLD."playerId" AND OLD."id" <= b."throughEventId") THEN
    RETURN OLD\073
  END IF\073
  IF TG_OP = ''DELETE'' AND EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL) THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''PlayerEvent is append-only (rows are removed only by a prune, after LedgerBase sums them up, or with a purged test player)''\073
END\073';
CREATE OR REPLACE FUNCTION "LedgerBase_forward_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  IF TG_OP = ''DELETE'' THEN
    IF EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL) THEN
      RETURN OLD\073
    END IF\073
    RAISE EXCEPTION ''LedgerBase is kept for as long as the player''\073
  END IF\073
  IF NEW."throughEventId" < OLD."throughEventId" OR NEW."playerId" IS DISTINCT FROM OLD."playerId" THEN
    RAISE EXCEPTION ''LedgerBase only moves forward''\073
  END IF\073
  RETURN NEW\073
END\073';

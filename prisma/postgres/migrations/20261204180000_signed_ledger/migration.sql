-- Tamper evidence that does not trust the database (issue 20, PostgreSQL twin of
-- prisma/migrations/20261204180000_signed_ledger). Checkpoints and prune bases are signed by
-- Pnakotic (Ed25519, lib/ledger/ledger-signing.ts, the key never enters the database) and become
-- append-only: each verification and each prune adds a row, and triggers refuse UPDATE and DELETE
-- on them and on "AuditEntry". A superseded checkpoint may be deleted (compaction), the latest one
-- never. Function bodies use octal 073 for each semicolon (Prisma's pg adapter splits at every one).

ALTER TABLE "LedgerCheckpoint" DROP CONSTRAINT "LedgerCheckpoint_pkey";
ALTER TABLE "LedgerCheckpoint" ADD COLUMN "id" SERIAL NOT NULL;
ALTER TABLE "LedgerCheckpoint" ADD CONSTRAINT "LedgerCheckpoint_pkey" PRIMARY KEY ("id");
ALTER TABLE "LedgerCheckpoint" ADD COLUMN "rowsThrough" INTEGER;
ALTER TABLE "LedgerCheckpoint" ADD COLUMN "signature" TEXT;
CREATE INDEX "LedgerCheckpoint_playerId_lastEventId_idx" ON "LedgerCheckpoint"("playerId", "lastEventId");

-- "LedgerBase_append_only" below replaces 20261204170000_player_lifecycle's "LedgerBase_forward_only"
-- and keeps its purge condition: a recorded purge of a tagged test player is the only delete, of a
-- base or of a checkpoint.
DROP TRIGGER "LedgerBase_forward_only" ON "LedgerBase";
DROP FUNCTION "LedgerBase_forward_only"();
ALTER TABLE "LedgerBase" DROP CONSTRAINT "LedgerBase_pkey";
ALTER TABLE "LedgerBase" ADD COLUMN "id" SERIAL NOT NULL;
ALTER TABLE "LedgerBase" ADD CONSTRAINT "LedgerBase_pkey" PRIMARY KEY ("id");
ALTER TABLE "LedgerBase" ADD COLUMN "signature" TEXT;
CREATE INDEX "LedgerBase_playerId_throughEventId_idx" ON "LedgerBase"("playerId", "throughEventId");

CREATE FUNCTION "LedgerBase_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  IF TG_OP = ''DELETE'' THEN
    IF EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL) THEN
      RETURN OLD\073
    END IF\073
    RAISE EXCEPTION ''LedgerBase is kept for as long as the player''\073
  END IF\073
  IF TG_OP = ''UPDATE'' THEN
    RAISE EXCEPTION ''LedgerBase is append-only: a prune adds a new base''\073
  END IF\073
  IF EXISTS (SELECT 1 FROM "LedgerBase" b WHERE b."playerId" = NEW."playerId" AND b."throughEventId" > NEW."throughEventId") THEN
    RAISE EXCEPTION ''LedgerBase only moves forward''\073
  END IF\073
  RETURN NEW\073
END\073';
CREATE TRIGGER "LedgerBase_append_only" BEFORE INSERT OR UPDATE OR DELETE ON "LedgerBase"
    FOR EACH ROW EXECUTE FUNCTION "LedgerBase_append_only"();

CREATE FUNCTION "LedgerCheckpoint_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  IF TG_OP = ''DELETE'' AND EXISTS (SELECT 1 FROM "LedgerCheckpoint" c WHERE c."playerId" = OLD."playerId" AND c."id" > OLD."id") THEN
    RETURN OLD\073
  END IF\073
  IF TG_OP = ''DELETE'' AND EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL) THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''LedgerCheckpoint is append-only: a check adds a new checkpoint, and only a superseded one may be deleted''\073
END\073';
CREATE TRIGGER "LedgerCheckpoint_append_only" BEFORE UPDATE OR DELETE ON "LedgerCheckpoint"
    FOR EACH ROW EXECUTE FUNCTION "LedgerCheckpoint_append_only"();

CREATE FUNCTION "AuditEntry_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  RAISE EXCEPTION ''AuditEntry is append-only''\073
END\073';
CREATE TRIGGER "AuditEntry_append_only" BEFORE UPDATE OR DELETE ON "AuditEntry"
    FOR EACH ROW EXECUTE FUNCTION "AuditEntry_append_only"();

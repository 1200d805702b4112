-- The database keeps the ledger (PostgreSQL twin of prisma/migrations/20261125120000_database_ledger,
-- tests/integration/database-ledger.test.ts runs the same behaviour checks against both).
-- Every change of a tracked Player column is appended to "PlayerEvent" by the BEFORE UPDATE trigger
-- "Player_ledger", whoever writes: the app, the CLI, a migration, or a person in psql. Pnakotic's
-- writes name themselves through the "change*" columns they set in the same UPDATE, an UPDATE that
-- leaves "changeId" as it was is ledgered as reason 'external' with the database user as actor, and
-- gets a version bump (so caches and the integrity check see it).
-- Function bodies use octal 073 for each semicolon: Prisma's pg adapter splits migration scripts at
-- every semicolon, even inside quotes.

ALTER TABLE "Player" ADD COLUMN "stats" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "Player" ADD COLUMN "nameKey" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeId" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeReason" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeActor" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeActorKind" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeRequestId" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeDetail" JSONB;
ALTER TABLE "Player" ADD COLUMN "changeAt" TIMESTAMP(3);
ALTER TABLE "Player" ADD COLUMN "changeTouched" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeAudit" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeNote" TEXT;
UPDATE "Player" SET "nameKey" = lower("name") || CASE
    WHEN EXISTS (SELECT 1 FROM "Player" p2 WHERE lower(p2."name") = lower("Player"."name") AND p2."id" < "Player"."id") THEN '#' || "id"
    ELSE '' END;
CREATE UNIQUE INDEX "Player_nameKey_key" ON "Player"("nameKey");

ALTER TABLE "PlayerEvent" ADD COLUMN "beforeText" TEXT;
ALTER TABLE "PlayerEvent" ADD COLUMN "afterText" TEXT;
ALTER TABLE "PlayerEvent" DROP CONSTRAINT "PlayerEvent_field_known";
ALTER TABLE "PlayerEvent" DROP CONSTRAINT "PlayerEvent_reason_known";
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_field_shape" CHECK (length("field") BETWEEN 1 AND 64);
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_reason_known" CHECK ("reason" IN ('damage', 'heal', 'experience', 'correction', 'respawn', 'save', 'stat', 'restore', 'revert', 'external'));
CREATE INDEX "PlayerEvent_requestId_idx" ON "PlayerEvent"("requestId");
CREATE INDEX "PlayerEvent_reason_at_idx" ON "PlayerEvent"("reason", "at");
-- State at a moment: the latest row of each field up to an event is one index seek.
CREATE INDEX "PlayerEvent_playerId_field_id_idx" ON "PlayerEvent"("playerId", "field", "id");

CREATE TABLE "StatDefinition" (
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "min" INTEGER NOT NULL,
    "max" INTEGER,
    "maxStat" TEXT,
    "default" INTEGER NOT NULL,
    "ledgered" BOOLEAN NOT NULL DEFAULT true,
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StatDefinition_pkey" PRIMARY KEY ("key"),
    CONSTRAINT "StatDefinition_key_shape" CHECK (length("key") BETWEEN 1 AND 32),
    CONSTRAINT "StatDefinition_one_upper_bound" CHECK ("max" IS NULL OR "maxStat" IS NULL)
);
INSERT INTO "StatDefinition" ("key", "label", "min", "max", "maxStat", "default", "ledgered", "builtin", "position") VALUES
    ('health', 'Health', -10, NULL, 'maxHealth', 100, true, true, 0),
    ('maxHealth', 'Max health', 1, 1000000, NULL, 100, true, true, 1),
    ('experience', 'Experience', 0, 2000000000, NULL, 0, true, true, 2),
    ('level', 'Level', 1, 100, NULL, 1, true, true, 3);

CREATE TABLE "LedgerCheckpoint" (
    "playerId" TEXT NOT NULL,
    "lastEventId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LedgerCheckpoint_pkey" PRIMARY KEY ("playerId")
);

CREATE FUNCTION "Player_ledger"() RETURNS trigger LANGUAGE plpgsql
    AS E'DECLARE
  ledger_at timestamp(3)\073
BEGIN
  IF NEW."changeId" IS NOT DISTINCT FROM OLD."changeId" THEN
    IF NEW."version" = OLD."version"
       AND NEW."health" IS NOT DISTINCT FROM OLD."health" AND NEW."maxHealth" IS NOT DISTINCT FROM OLD."maxHealth"
       AND NEW."experiencePoints" IS NOT DISTINCT FROM OLD."experiencePoints" AND NEW."level" IS NOT DISTINCT FROM OLD."level"
       AND NEW."stats" IS NOT DISTINCT FROM OLD."stats" AND NEW."name" IS NOT DISTINCT FROM OLD."name"
       AND NEW."currentRoomId" IS NOT DISTINCT FROM OLD."currentRoomId" AND NEW."professionId" IS NOT DISTINCT FROM OLD."professionId" THEN
      RETURN NEW\073
    END IF\073
    NEW."changeId" := ''external-'' || replace(gen_random_uuid()::text, ''-'', '''')\073
    NEW."changeReason" := ''external''\073
    NEW."changeActor" := current_user\073
    NEW."changeActorKind" := ''external''\073
    NEW."changeRequestId" := NULL\073
    NEW."changeDetail" := NULL\073
    NEW."changeAt" := NULL\073
    NEW."changeTouched" := NULL\073
    NEW."changeAudit" := ''player.external_change''\073
    NEW."changeNote" := NULL\073
    IF NEW."version" = OLD."version" THEN
      NEW."version" := OLD."version" + 1\073
    END IF\073
  END IF\073
  ledger_at := COALESCE(NEW."changeAt", (statement_timestamp() AT TIME ZONE ''UTC'')::timestamp(3))\073

  INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
  SELECT NEW."id", ledger_at, c.field, c.after - c.before, c.before, c.after, c.before_text, c.after_text,
         NEW."changeReason", NEW."changeDetail", NEW."changeActor", NEW."changeRequestId", NEW."changeId", NEW."version"
  FROM (
    SELECT ''health'' AS field, OLD."health" AS before, NEW."health" AS after, NULL::text AS before_text, NULL::text AS after_text
    UNION ALL SELECT ''maxHealth'', OLD."maxHealth", NEW."maxHealth", NULL, NULL
    UNION ALL SELECT ''experience'', OLD."experiencePoints", NEW."experiencePoints", NULL, NULL
    UNION ALL SELECT ''level'', OLD."level", NEW."level", NULL, NULL
    UNION ALL SELECT ''name'', 0, 0, OLD."name", NEW."name"
    UNION ALL SELECT ''room'', 0, 0, OLD."currentRoomId", NEW."currentRoomId"
    UNION ALL SELECT ''profession'', 0, 0, OLD."professionId", NEW."professionId"
    UNION ALL SELECT d."key",
           COALESCE((OLD."stats" ->> d."key")::integer, d."default"),
           COALESCE((NEW."stats" ->> d."key")::integer, d."default"), NULL, NULL
      FROM "StatDefinition" d
      WHERE NOT d."builtin" AND d."ledgered" AND (NEW."stats" IS DISTINCT FROM OLD."stats" OR position('','' || d."key" || '','' IN COALESCE(NEW."changeTouched", '''')) > 0)
  ) c
  WHERE c.before IS DISTINCT FROM c.after OR c.before_text IS DISTINCT FROM c.after_text
     OR position('','' || c.field || '','' IN COALESCE(NEW."changeTouched", '''')) > 0\073

  IF NEW."version" IS DISTINCT FROM OLD."version" AND NOT EXISTS (SELECT 1 FROM "PlayerEvent" e WHERE e."changeId" = NEW."changeId") THEN
    INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
    VALUES (NEW."id", ledger_at, ''version'', NEW."version" - OLD."version", OLD."version", NEW."version",
            NEW."changeReason", NEW."changeDetail", NEW."changeActor", NEW."changeRequestId", NEW."changeId", NEW."version")\073
  END IF\073

  IF NEW."changeActorKind" IN (''staff'', ''external'') THEN
    INSERT INTO "AuditEntry" ("at", "actor", "action", "playerId", "before", "after", "reason", "requestId")
    SELECT ledger_at, NEW."changeActor", COALESCE(NEW."changeAudit", ''player.'' || NEW."changeReason"), NEW."id",
           jsonb_object_agg(e."field", CASE WHEN e."field" IN (''name'', ''room'', ''profession'') THEN to_jsonb(e."beforeText") ELSE to_jsonb(e."before") END),
           jsonb_object_agg(e."field", CASE WHEN e."field" IN (''name'', ''room'', ''profession'') THEN to_jsonb(e."afterText") ELSE to_jsonb(e."after") END),
           NEW."changeNote", NEW."changeRequestId"
    FROM "PlayerEvent" e WHERE e."changeId" = NEW."changeId"\073
  END IF\073
  RETURN NEW\073
END\073';

CREATE TRIGGER "Player_ledger" BEFORE UPDATE ON "Player"
    FOR EACH ROW EXECUTE FUNCTION "Player_ledger"();

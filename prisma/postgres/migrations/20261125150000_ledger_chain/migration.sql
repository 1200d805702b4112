-- A tamper-evident ledger, and retention that keeps it verifiable (PostgreSQL twin of
-- prisma/migrations/20261125150000_ledger_chain). The chain's rules are written once in
-- lib/ledger/chain.ts, which the integrity check and `ledger verify` use:
--   row hash = H(head before the write || canonical(row)), head = H(the write's row hashes in id order)
-- H is SHA-256 (built in). Rows written before this migration keep a NULL hash.
-- Function bodies use octal 073 for each semicolon: Prisma's pg adapter splits migration scripts at
-- every semicolon, even inside quotes.

ALTER TABLE "PlayerEvent" ADD COLUMN "hash" TEXT;
ALTER TABLE "LedgerCheckpoint" ADD COLUMN "chainHead" TEXT;
-- The chain head after the player's last write, set by the trigger: the next write needs no lookup.
ALTER TABLE "Player" ADD COLUMN "ledgerHead" TEXT;

-- What a prune removed, summed up: the state right after the last pruned event and the chain head
-- there, so state-at-a-moment, restore and verification keep working on what remains.
CREATE TABLE "LedgerBase" (
    "playerId" TEXT NOT NULL,
    "throughEventId" INTEGER NOT NULL,
    "throughAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "chainHead" TEXT NOT NULL,
    "prunedRows" INTEGER NOT NULL,
    "prunedAt" TIMESTAMP(3) NOT NULL,
    "prunedBy" TEXT NOT NULL,
    CONSTRAINT "LedgerBase_pkey" PRIMARY KEY ("playerId")
);
ALTER TABLE "LedgerBase" ADD CONSTRAINT "LedgerBase_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION "LedgerBase_forward_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  IF TG_OP = ''DELETE'' THEN
    RAISE EXCEPTION ''LedgerBase is kept for as long as the player''\073
  END IF\073
  IF NEW."throughEventId" < OLD."throughEventId" OR NEW."playerId" IS DISTINCT FROM OLD."playerId" THEN
    RAISE EXCEPTION ''LedgerBase only moves forward''\073
  END IF\073
  RETURN NEW\073
END\073';
CREATE TRIGGER "LedgerBase_forward_only" BEFORE UPDATE OR DELETE ON "LedgerBase"
    FOR EACH ROW EXECUTE FUNCTION "LedgerBase_forward_only"();

-- Rows are deleted only once a prune has summed them up in "LedgerBase".
CREATE OR REPLACE FUNCTION "PlayerEvent_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN
  IF TG_OP = ''DELETE'' AND EXISTS (SELECT 1 FROM "LedgerBase" b WHERE b."playerId" = OLD."playerId" AND OLD."id" <= b."throughEventId") THEN
    RETURN OLD\073
  END IF\073
  RAISE EXCEPTION ''PlayerEvent is append-only (rows are removed only by a prune, after LedgerBase sums them up)''\073
END\073';

-- One field of a ledger row as hashed: length:value, or - for NULL (lib/ledger/chain.ts).
CREATE FUNCTION "PlayerEvent_field"(value text) RETURNS text LANGUAGE sql IMMUTABLE
    AS E'SELECT CASE WHEN value IS NULL THEN ''-'' ELSE length(value) || '':'' || value END';
CREATE FUNCTION "PlayerEvent_canonical"(player_id text, field text, before text, after text, before_text text, after_text text,
        reason text, detail text, actor text, request_id text, change_id text, player_version text, at_text text)
    RETURNS text LANGUAGE sql IMMUTABLE
    AS E'SELECT "PlayerEvent_field"(player_id) || "PlayerEvent_field"(field) || "PlayerEvent_field"(before) || "PlayerEvent_field"(after)
        || "PlayerEvent_field"(before_text) || "PlayerEvent_field"(after_text) || "PlayerEvent_field"(reason) || "PlayerEvent_field"(detail)
        || "PlayerEvent_field"(actor) || "PlayerEvent_field"(request_id) || "PlayerEvent_field"(change_id) || "PlayerEvent_field"(player_version)
        || "PlayerEvent_field"(at_text)';

-- The ledger trigger of 20261125120000_database_ledger, plus the hash of every row. External writes
-- now get their own change time.
CREATE OR REPLACE FUNCTION "Player_ledger"() RETURNS trigger LANGUAGE plpgsql
    AS E'DECLARE
  ledger_at timestamp(3)\073
  at_text text\073
  head text\073
  write_hashes text\073
  written integer\073
BEGIN
  IF NEW."changeId" IS NOT DISTINCT FROM OLD."changeId" THEN
    IF NEW."version" = OLD."version"
       AND NEW."health" IS NOT DISTINCT FROM OLD."health" AND NEW."maxHealth" IS NOT DISTINCT FROM OLD."maxHealth"
       AND NEW."experiencePoints" IS NOT DISTINCT FROM OLD."experiencePoints" AND NEW."level" IS NOT DISTINCT FROM OLD."level"
       AND NEW."stats" IS NOT DISTINCT FROM OLD."stats" AND NEW."name" IS NOT DISTINCT FROM OLD."name"
       AND NEW."currentRoomId" IS NOT DISTINCT FROM OLD."currentRoomId" AND NEW."professionId" IS NOT DISTINCT FROM OLD."professionId" THEN
      NEW."ledgerHead" := OLD."ledgerHead"\073
      RETURN NEW\073
    END IF\073
    NEW."changeId" := ''external-'' || replace(gen_random_uuid()::text, ''-'', '''')\073
    NEW."changeReason" := ''external''\073
    NEW."changeActor" := current_user\073
    NEW."changeActorKind" := ''external''\073
    NEW."changeRequestId" := NULL\073
    NEW."changeDetail" := NULL\073
    NEW."changeAt" := (statement_timestamp() AT TIME ZONE ''UTC'')::timestamp(3)\073
    NEW."changeTouched" := NULL\073
    NEW."changeAudit" := ''player.external_change''\073
    NEW."changeNote" := NULL\073
    IF NEW."version" = OLD."version" THEN
      NEW."version" := OLD."version" + 1\073
    END IF\073
  END IF\073
  ledger_at := COALESCE(NEW."changeAt", (statement_timestamp() AT TIME ZONE ''UTC'')::timestamp(3))\073
  at_text := to_char(ledger_at, ''YYYY-MM-DD"T"HH24:MI:SS.MS'')\073

  -- The head after the player''s previous write, kept on the row itself: no lookup per write.
  head := COALESCE(OLD."ledgerHead", repeat(''0'', 64))\073

  WITH inserted AS (
  INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion", "hash")
  SELECT NEW."id", ledger_at, c.field, c.after - c.before, c.before, c.after, c.before_text, c.after_text,
         NEW."changeReason", NEW."changeDetail", NEW."changeActor", NEW."changeRequestId", NEW."changeId", NEW."version",
         encode(sha256(convert_to(head || "PlayerEvent_canonical"(NEW."id", c.field, c.before::text, c.after::text, c.before_text, c.after_text,
             NEW."changeReason", NEW."changeDetail"::text, NEW."changeActor", NEW."changeRequestId", NEW."changeId", NEW."version"::text, at_text), ''UTF8'')), ''hex'')
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
     OR position('','' || c.field || '','' IN COALESCE(NEW."changeTouched", '''')) > 0
  RETURNING "id", "hash")
  SELECT string_agg(inserted."hash", '''' ORDER BY inserted."id"), count(*) INTO write_hashes, written FROM inserted\073

  IF written = 0 AND NEW."version" IS DISTINCT FROM OLD."version" THEN
    INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion", "hash")
    VALUES (NEW."id", ledger_at, ''version'', NEW."version" - OLD."version", OLD."version", NEW."version",
            NEW."changeReason", NEW."changeDetail", NEW."changeActor", NEW."changeRequestId", NEW."changeId", NEW."version",
            encode(sha256(convert_to(head || "PlayerEvent_canonical"(NEW."id", ''version'', OLD."version"::text, NEW."version"::text, NULL, NULL,
                NEW."changeReason", NEW."changeDetail"::text, NEW."changeActor", NEW."changeRequestId", NEW."changeId", NEW."version"::text, at_text), ''UTF8'')), ''hex''))
    RETURNING "hash" INTO write_hashes\073
    written := 1\073
  END IF\073
  IF written > 0 THEN
    NEW."ledgerHead" := encode(sha256(convert_to(write_hashes, ''UTF8'')), ''hex'')\073
  ELSE
    NEW."ledgerHead" := OLD."ledgerHead"\073
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

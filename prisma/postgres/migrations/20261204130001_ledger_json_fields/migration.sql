-- Every column of a player is tracked (issue 20 #7, issue 21): attributes, inventory and
-- statusEffects changes are versioned, ledgered as JSON text diffs (beforeText/afterText, jsonb's
-- text form), audited when staff or external, and so merged or refused by whole saves like the rest.
-- The function is 20261125150000_ledger_chain's, with the three JSON columns added to the
-- "nothing changed" test, the changed-field rows and the audit's text fields, and the row hash is
-- unchanged: the chain verifies across this change. The trigger itself (BEFORE UPDATE, from
-- 20261125120000_database_ledger) calls the function by name and stays.
-- The SQLite twin is prisma/migrations/20261204130001_ledger_json_fields. Semicolons inside the
-- body are octal 073 (Prisma's pg adapter splits scripts at every semicolon).
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
       AND NEW."currentRoomId" IS NOT DISTINCT FROM OLD."currentRoomId" AND NEW."professionId" IS NOT DISTINCT FROM OLD."professionId"
       AND NEW."attributes" IS NOT DISTINCT FROM OLD."attributes" AND NEW."inventory" IS NOT DISTINCT FROM OLD."inventory"
       AND NEW."statusEffects" IS NOT DISTINCT FROM OLD."statusEffects" THEN
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
    UNION ALL SELECT ''attributes'', 0, 0, OLD."attributes"::text, NEW."attributes"::text
    UNION ALL SELECT ''inventory'', 0, 0, OLD."inventory"::text, NEW."inventory"::text
    UNION ALL SELECT ''statusEffects'', 0, 0, OLD."statusEffects"::text, NEW."statusEffects"::text
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
           jsonb_object_agg(e."field", CASE WHEN e."field" IN (''name'', ''room'', ''profession'', ''attributes'', ''inventory'', ''statusEffects'') THEN to_jsonb(e."beforeText") ELSE to_jsonb(e."before") END),
           jsonb_object_agg(e."field", CASE WHEN e."field" IN (''name'', ''room'', ''profession'', ''attributes'', ''inventory'', ''statusEffects'') THEN to_jsonb(e."afterText") ELSE to_jsonb(e."after") END),
           NEW."changeNote", NEW."changeRequestId"
    FROM "PlayerEvent" e WHERE e."changeId" = NEW."changeId"\073
  END IF\073
  RETURN NEW\073
END\073';

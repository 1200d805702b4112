-- Every column of a player is tracked (issue 20 #7, issue 21): attributes, inventory and
-- statusEffects changes are versioned, ledgered as JSON text diffs (beforeText/afterText, minified
-- with json()), audited when staff or external, and so merged or refused by whole saves like the
-- rest. Before this, `UPDATE "Player" SET "inventory" = …` got no version, no ledger row and no
-- audit, and a stale whole save silently undid it.
-- The trigger is 20261125150000_ledger_chain's, with the three JSON fields added to its WHEN
-- clause, its changed-field rows and its audit's text fields; the row hash is unchanged (the JSON
-- text is hashed as beforeText/afterText, like a name), so the chain verifies across this change.
-- The PostgreSQL twin is prisma/postgres/migrations/20261204130001_ledger_json_fields.
DROP TRIGGER "Player_ledger";
CREATE TRIGGER "Player_ledger" AFTER UPDATE ON "Player"
WHEN NEW."changeId" IS NOT OLD."changeId" OR NEW."version" IS NOT OLD."version"
    OR NEW."health" IS NOT OLD."health" OR NEW."maxHealth" IS NOT OLD."maxHealth"
    OR NEW."experiencePoints" IS NOT OLD."experiencePoints" OR NEW."level" IS NOT OLD."level"
    OR NEW."stats" IS NOT OLD."stats" OR NEW."name" IS NOT OLD."name"
    OR NEW."currentRoomId" IS NOT OLD."currentRoomId" OR NEW."professionId" IS NOT OLD."professionId"
    OR json(NEW."attributes") IS NOT json(OLD."attributes") OR json(NEW."inventory") IS NOT json(OLD."inventory")
    OR json(NEW."statusEffects") IS NOT json(OLD."statusEffects")
BEGIN
    UPDATE "Player" SET
        "changeId" = 'external-' || lower(hex(randomblob(16))),
        "changeReason" = 'external', "changeActor" = 'database', "changeActorKind" = 'external',
        "changeRequestId" = NULL, "changeDetail" = NULL, "changeAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), "changeTouched" = NULL,
        "changeAudit" = 'player.external_change', "changeNote" = NULL,
        "version" = CASE WHEN NEW."version" IS OLD."version" THEN OLD."version" + 1 ELSE NEW."version" END
    WHERE "id" = NEW."id" AND NEW."changeId" IS OLD."changeId";

    INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion", "hash")
    SELECT p."id", w."at", c."field", c."after" - c."before", c."before", c."after",
           c."beforeText", c."afterText", p."changeReason", p."changeDetail", p."changeActor", p."changeRequestId", p."changeId", p."version",
           lower(hex(sha3(w."head"
               || length(p."id") || ':' || p."id"
               || length(c."field") || ':' || c."field"
               || length(c."before") || ':' || c."before"
               || length(c."after") || ':' || c."after"
               || CASE WHEN c."beforeText" IS NULL THEN '-' ELSE length(c."beforeText") || ':' || c."beforeText" END
               || CASE WHEN c."afterText" IS NULL THEN '-' ELSE length(c."afterText") || ':' || c."afterText" END
               || CASE WHEN p."changeReason" IS NULL THEN '-' ELSE length(p."changeReason") || ':' || p."changeReason" END
               || CASE WHEN p."changeDetail" IS NULL THEN '-' ELSE length(CAST(p."changeDetail" AS TEXT)) || ':' || CAST(p."changeDetail" AS TEXT) END
               || CASE WHEN p."changeActor" IS NULL THEN '-' ELSE length(p."changeActor") || ':' || p."changeActor" END
               || CASE WHEN p."changeRequestId" IS NULL THEN '-' ELSE length(p."changeRequestId") || ':' || p."changeRequestId" END
               || length(p."changeId") || ':' || p."changeId"
               || length(p."version") || ':' || p."version"
               || length(CAST(w."at" AS TEXT)) || ':' || CAST(w."at" AS TEXT), 256)))
    FROM "Player" p, (
        SELECT COALESCE(q."changeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) AS "at",
               COALESCE(
                   (SELECT CASE WHEN count(h."hash") > 0 THEN lower(hex(sha3(group_concat(h."hash", ''), 256))) END
                      FROM (SELECT e."hash" FROM "PlayerEvent" e
                             WHERE e."changeId" = (SELECT l."changeId" FROM "PlayerEvent" l WHERE l."playerId" = NEW."id" ORDER BY l."id" DESC LIMIT 1)
                             ORDER BY e."id") h),
                   (SELECT b."chainHead" FROM "LedgerBase" b WHERE b."playerId" = NEW."id"),
                   '0000000000000000000000000000000000000000000000000000000000000000') AS "head"
        FROM "Player" q WHERE q."id" = NEW."id"
    ) w, (
        SELECT 'health' AS "field", OLD."health" AS "before", NEW."health" AS "after", NULL AS "beforeText", NULL AS "afterText"
        UNION ALL SELECT 'maxHealth', OLD."maxHealth", NEW."maxHealth", NULL, NULL
        UNION ALL SELECT 'experience', OLD."experiencePoints", NEW."experiencePoints", NULL, NULL
        UNION ALL SELECT 'level', OLD."level", NEW."level", NULL, NULL
        UNION ALL SELECT 'name', 0, 0, OLD."name", NEW."name"
        UNION ALL SELECT 'room', 0, 0, OLD."currentRoomId", NEW."currentRoomId"
        UNION ALL SELECT 'profession', 0, 0, OLD."professionId", NEW."professionId"
        -- The JSON columns as minified JSON text: a diff a reader (and a merge's base) can use.
        UNION ALL SELECT 'attributes', 0, 0, json(OLD."attributes"), json(NEW."attributes")
        UNION ALL SELECT 'inventory', 0, 0, json(OLD."inventory"), json(NEW."inventory")
        UNION ALL SELECT 'statusEffects', 0, 0, json(OLD."statusEffects"), json(NEW."statusEffects")
        -- CAST: a stat the app computed in SQL may be stored in the JSON as 90.0; it is hashed as 90.
        UNION ALL SELECT d."key",
                CAST(COALESCE(json_extract(OLD."stats", '$."' || d."key" || '"'), d."default") AS INTEGER),
                CAST(COALESCE(json_extract(NEW."stats", '$."' || d."key" || '"'), d."default") AS INTEGER), NULL, NULL
            FROM "StatDefinition" d
            -- Only when the stats changed, or this stat was addressed: a damage reads no stat JSON.
            WHERE NOT d."builtin" AND d."ledgered" AND (NEW."stats" IS NOT OLD."stats" OR instr(COALESCE(NEW."changeTouched", ''), ',' || d."key" || ',') > 0)
    ) c
    WHERE p."id" = NEW."id"
      AND (c."before" IS NOT c."after" OR c."beforeText" IS NOT c."afterText"
           OR instr(COALESCE(p."changeTouched", ''), ',' || c."field" || ',') > 0);

    INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion", "hash")
    SELECT p."id", w."at", 'version', p."version" - OLD."version", OLD."version", p."version",
           p."changeReason", p."changeDetail", p."changeActor", p."changeRequestId", p."changeId", p."version",
           lower(hex(sha3(w."head"
               || length(p."id") || ':' || p."id"
               || '7:version'
               || length(OLD."version") || ':' || OLD."version"
               || length(p."version") || ':' || p."version"
               || '--'
               || CASE WHEN p."changeReason" IS NULL THEN '-' ELSE length(p."changeReason") || ':' || p."changeReason" END
               || CASE WHEN p."changeDetail" IS NULL THEN '-' ELSE length(CAST(p."changeDetail" AS TEXT)) || ':' || CAST(p."changeDetail" AS TEXT) END
               || CASE WHEN p."changeActor" IS NULL THEN '-' ELSE length(p."changeActor") || ':' || p."changeActor" END
               || CASE WHEN p."changeRequestId" IS NULL THEN '-' ELSE length(p."changeRequestId") || ':' || p."changeRequestId" END
               || length(p."changeId") || ':' || p."changeId"
               || length(p."version") || ':' || p."version"
               || length(CAST(w."at" AS TEXT)) || ':' || CAST(w."at" AS TEXT), 256)))
    FROM "Player" p, (
        SELECT COALESCE(q."changeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) AS "at",
               COALESCE(
                   (SELECT CASE WHEN count(h."hash") > 0 THEN lower(hex(sha3(group_concat(h."hash", ''), 256))) END
                      FROM (SELECT e."hash" FROM "PlayerEvent" e
                             WHERE e."changeId" = (SELECT l."changeId" FROM "PlayerEvent" l WHERE l."playerId" = NEW."id" ORDER BY l."id" DESC LIMIT 1)
                             ORDER BY e."id") h),
                   (SELECT b."chainHead" FROM "LedgerBase" b WHERE b."playerId" = NEW."id"),
                   '0000000000000000000000000000000000000000000000000000000000000000') AS "head"
        FROM "Player" q WHERE q."id" = NEW."id"
    ) w
    WHERE p."id" = NEW."id" AND p."version" IS NOT OLD."version"
      AND NOT EXISTS (SELECT 1 FROM "PlayerEvent" e WHERE e."changeId" = p."changeId");

    INSERT INTO "AuditEntry" ("at", "actor", "action", "playerId", "before", "after", "reason", "requestId")
    SELECT COALESCE(p."changeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), p."changeActor", COALESCE(p."changeAudit", 'player.' || p."changeReason"), p."id",
           (SELECT json_group_object(e."field", CASE WHEN e."field" IN ('name', 'room', 'profession', 'attributes', 'inventory', 'statusEffects') THEN e."beforeText" ELSE e."before" END)
              FROM "PlayerEvent" e WHERE e."changeId" = p."changeId"),
           (SELECT json_group_object(e."field", CASE WHEN e."field" IN ('name', 'room', 'profession', 'attributes', 'inventory', 'statusEffects') THEN e."afterText" ELSE e."after" END)
              FROM "PlayerEvent" e WHERE e."changeId" = p."changeId"),
           p."changeNote", p."changeRequestId"
    FROM "Player" p
    WHERE p."id" = NEW."id" AND p."changeActorKind" IN ('staff', 'external');
END;

-- Tamper evidence that does not trust the database (issue 20). Checkpoints and prune bases are
-- signed by Pnakotic (Ed25519, lib/ledger/ledger-signing.ts; the key never enters the database) and
-- become append-only: each verification and each prune adds a row, and triggers refuse UPDATE and
-- DELETE on them and on "AuditEntry". A superseded checkpoint may be deleted (compaction), the
-- latest one never. The PostgreSQL twin is prisma/postgres/migrations/20261204180000_signed_ledger.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;

-- Triggers name these tables; SQLite's modern RENAME re-checks every trigger's body while a table
-- is missing, so the renames use the legacy rule (check nothing) and the setting is put back at once.
CREATE TABLE "new_LedgerCheckpoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "playerId" TEXT NOT NULL,
    "lastEventId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "verifiedAt" DATETIME NOT NULL,
    "chainHead" TEXT,
    "rowsThrough" INTEGER,
    "signature" TEXT
);
INSERT INTO "new_LedgerCheckpoint" ("playerId", "lastEventId", "version", "state", "verifiedAt", "chainHead")
SELECT "playerId", "lastEventId", "version", "state", "verifiedAt", "chainHead" FROM "LedgerCheckpoint";
DROP TABLE "LedgerCheckpoint";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "new_LedgerCheckpoint" RENAME TO "LedgerCheckpoint";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "LedgerCheckpoint_playerId_lastEventId_idx" ON "LedgerCheckpoint"("playerId", "lastEventId");

CREATE TABLE "new_LedgerBase" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "playerId" TEXT NOT NULL,
    "throughEventId" INTEGER NOT NULL,
    "throughAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "chainHead" TEXT NOT NULL,
    "prunedRows" INTEGER NOT NULL,
    "prunedAt" DATETIME NOT NULL,
    "prunedBy" TEXT NOT NULL,
    "signature" TEXT,
    CONSTRAINT "LedgerBase_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_LedgerBase" ("playerId", "throughEventId", "throughAt", "version", "state", "chainHead", "prunedRows", "prunedAt", "prunedBy")
SELECT "playerId", "throughEventId", "throughAt", "version", "state", "chainHead", "prunedRows", "prunedAt", "prunedBy" FROM "LedgerBase";
DROP TABLE "LedgerBase";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "new_LedgerBase" RENAME TO "LedgerBase";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "LedgerBase_playerId_throughEventId_idx" ON "LedgerBase"("playerId", "throughEventId");

PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

CREATE TRIGGER "LedgerBase_append_only" BEFORE UPDATE ON "LedgerBase"
BEGIN
    SELECT RAISE(ABORT, 'LedgerBase is append-only: a prune adds a new base');
END;
-- Rebuilding the table dropped 20261204170000_player_lifecycle's delete trigger: it comes back with
-- the same purge condition (a recorded purge of a tagged test player is the only delete).
CREATE TRIGGER "LedgerBase_no_delete" BEFORE DELETE ON "LedgerBase"
WHEN NOT EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'LedgerBase is kept for as long as the player');
END;
CREATE TRIGGER "LedgerBase_forward_only" BEFORE INSERT ON "LedgerBase"
WHEN EXISTS (SELECT 1 FROM "LedgerBase" b WHERE b."playerId" = NEW."playerId" AND b."throughEventId" > NEW."throughEventId")
BEGIN
    SELECT RAISE(ABORT, 'LedgerBase only moves forward');
END;
CREATE TRIGGER "LedgerCheckpoint_append_only" BEFORE UPDATE ON "LedgerCheckpoint"
BEGIN
    SELECT RAISE(ABORT, 'LedgerCheckpoint is append-only: a check adds a new checkpoint');
END;
CREATE TRIGGER "LedgerCheckpoint_no_delete" BEFORE DELETE ON "LedgerCheckpoint"
WHEN NOT EXISTS (SELECT 1 FROM "LedgerCheckpoint" c WHERE c."playerId" = OLD."playerId" AND c."id" > OLD."id")
 AND NOT EXISTS (SELECT 1 FROM "PlayerPurge" u JOIN "Player" p ON p."id" = u."playerId" WHERE u."playerId" = OLD."playerId" AND p."testTag" IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'LedgerCheckpoint: only a superseded checkpoint may be deleted');
END;
CREATE TRIGGER "AuditEntry_append_only" BEFORE UPDATE ON "AuditEntry"
BEGIN
    SELECT RAISE(ABORT, 'AuditEntry is append-only');
END;
CREATE TRIGGER "AuditEntry_no_delete" BEFORE DELETE ON "AuditEntry"
BEGIN
    SELECT RAISE(ABORT, 'AuditEntry is append-only');
END;

-- The ledger trigger of 20261204130001_ledger_json_fields, unchanged but for the prune base it
-- chains onto when a player has no rows left: now the latest of the player's bases.
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
                   (SELECT b."chainHead" FROM "LedgerBase" b WHERE b."playerId" = NEW."id" ORDER BY b."throughEventId" DESC, b."id" DESC LIMIT 1),
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
                   (SELECT b."chainHead" FROM "LedgerBase" b WHERE b."playerId" = NEW."id" ORDER BY b."throughEventId" DESC, b."id" DESC LIMIT 1),
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

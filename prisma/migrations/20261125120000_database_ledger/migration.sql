-- The database keeps the ledger (SQLite). Every change of a tracked Player column is appended to
-- "PlayerEvent" by the trigger "Player_ledger", whoever writes: the app, the CLI, a migration or a
-- person in sqlite3. Pnakotic's writes name themselves through the "change*" columns they set in the
-- same UPDATE; an UPDATE that leaves "changeId" as it was is ledgered as reason 'external'.
-- The PostgreSQL twin of this file is prisma/postgres/migrations/20261125120000_database_ledger;
-- tests/integration/database-ledger.test.ts runs the same behaviour checks against both.

-- Player: declared stats, case-insensitive names, write context.
ALTER TABLE "Player" ADD COLUMN "stats" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "Player" ADD COLUMN "nameKey" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeId" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeReason" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeActor" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeActorKind" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeRequestId" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeDetail" JSONB;
ALTER TABLE "Player" ADD COLUMN "changeAt" DATETIME;
ALTER TABLE "Player" ADD COLUMN "changeTouched" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeAudit" TEXT;
ALTER TABLE "Player" ADD COLUMN "changeNote" TEXT;
-- Existing names that differ only by case keep working: the later one gets a suffixed key.
UPDATE "Player" SET "nameKey" = lower("name") || CASE
    WHEN EXISTS (SELECT 1 FROM "Player" p2 WHERE lower(p2."name") = lower("Player"."name") AND p2."id" < "Player"."id") THEN '#' || "id"
    ELSE '' END;
CREATE UNIQUE INDEX "Player_nameKey_key" ON "Player"("nameKey");

-- PlayerEvent: any stat key as field, text values for name/room/profession, more reasons.
-- SQLite cannot drop a CHECK constraint, so the table is rebuilt (the implicit DELETE of DROP TABLE
-- fires no trigger, and the rows are copied unchanged, ids included).
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
    CONSTRAINT "PlayerEvent_delta_matches" CHECK ("after" - "before" = "delta"),
    CONSTRAINT "PlayerEvent_field_shape" CHECK (length("field") BETWEEN 1 AND 64),
    CONSTRAINT "PlayerEvent_reason_known" CHECK ("reason" IN ('damage', 'heal', 'experience', 'correction', 'respawn', 'save', 'stat', 'restore', 'revert', 'external')),
    CONSTRAINT "PlayerEvent_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_PlayerEvent" ("id", "playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
    SELECT "id", "playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion" FROM "PlayerEvent";
DROP TABLE "PlayerEvent";
ALTER TABLE "new_PlayerEvent" RENAME TO "PlayerEvent";
CREATE INDEX "PlayerEvent_playerId_id_idx" ON "PlayerEvent"("playerId", "id");
CREATE INDEX "PlayerEvent_playerId_at_idx" ON "PlayerEvent"("playerId", "at");
CREATE INDEX "PlayerEvent_changeId_idx" ON "PlayerEvent"("changeId");
CREATE INDEX "PlayerEvent_requestId_idx" ON "PlayerEvent"("requestId");
CREATE INDEX "PlayerEvent_reason_at_idx" ON "PlayerEvent"("reason", "at");
-- State at a moment: the latest row of each field up to an event is one index seek.
CREATE INDEX "PlayerEvent_playerId_field_id_idx" ON "PlayerEvent"("playerId", "field", "id");
CREATE TRIGGER "PlayerEvent_no_update" BEFORE UPDATE ON "PlayerEvent"
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only');
END;
CREATE TRIGGER "PlayerEvent_no_delete" BEFORE DELETE ON "PlayerEvent"
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only');
END;

-- Declared stats. The built-ins are columns of "Player"; health's lower bound is HEALTH_FLOOR at runtime.
CREATE TABLE "StatDefinition" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "label" TEXT NOT NULL,
    "min" INTEGER NOT NULL,
    "max" INTEGER,
    "maxStat" TEXT,
    "default" INTEGER NOT NULL,
    "ledgered" BOOLEAN NOT NULL DEFAULT true,
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StatDefinition_key_shape" CHECK (length("key") BETWEEN 1 AND 32),
    CONSTRAINT "StatDefinition_one_upper_bound" CHECK ("max" IS NULL OR "maxStat" IS NULL)
);
INSERT INTO "StatDefinition" ("key", "label", "min", "max", "maxStat", "default", "ledgered", "builtin", "position") VALUES
    ('health', 'Health', -10, NULL, 'maxHealth', 100, true, true, 0),
    ('maxHealth', 'Max health', 1, 1000000, NULL, 100, true, true, 1),
    ('experience', 'Experience', 0, 2000000000, NULL, 0, true, true, 2),
    ('level', 'Level', 1, 100, NULL, 1, true, true, 3);

CREATE TABLE "LedgerCheckpoint" (
    "playerId" TEXT NOT NULL PRIMARY KEY,
    "lastEventId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "state" JSONB NOT NULL,
    "verifiedAt" DATETIME NOT NULL
);

-- The ledger trigger. Steps: (1) an UPDATE that did not set a new changeId did not come through
-- Pnakotic: give it its own change id, bump the version if the writer did not (so caches and the
-- integrity check see it) and mark it external — recursive_triggers is off, so this nested UPDATE
-- does not fire the trigger again; (2) one ledger row per tracked field that changed or that the
-- operation addressed ("changeTouched"); (3) a "version" row when a write changed no tracked field,
-- so every version is explained; (4) an audit row for staff and external writes.
CREATE TRIGGER "Player_ledger" AFTER UPDATE ON "Player"
WHEN NEW."changeId" IS NOT OLD."changeId" OR NEW."version" IS NOT OLD."version"
    OR NEW."health" IS NOT OLD."health" OR NEW."maxHealth" IS NOT OLD."maxHealth"
    OR NEW."experiencePoints" IS NOT OLD."experiencePoints" OR NEW."level" IS NOT OLD."level"
    OR NEW."stats" IS NOT OLD."stats" OR NEW."name" IS NOT OLD."name"
    OR NEW."currentRoomId" IS NOT OLD."currentRoomId" OR NEW."professionId" IS NOT OLD."professionId"
BEGIN
    UPDATE "Player" SET
        "changeId" = 'external-' || lower(hex(randomblob(16))),
        "changeReason" = 'external', "changeActor" = 'database', "changeActorKind" = 'external',
        "changeRequestId" = NULL, "changeDetail" = NULL, "changeAt" = NULL, "changeTouched" = NULL,
        "changeAudit" = 'player.external_change', "changeNote" = NULL,
        "version" = CASE WHEN NEW."version" IS OLD."version" THEN OLD."version" + 1 ELSE NEW."version" END
    WHERE "id" = NEW."id" AND NEW."changeId" IS OLD."changeId";

    INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
    SELECT p."id", COALESCE(p."changeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), c."field", c."after" - c."before", c."before", c."after",
           c."beforeText", c."afterText", p."changeReason", p."changeDetail", p."changeActor", p."changeRequestId", p."changeId", p."version"
    FROM "Player" p, (
        SELECT 'health' AS "field", OLD."health" AS "before", NEW."health" AS "after", NULL AS "beforeText", NULL AS "afterText"
        UNION ALL SELECT 'maxHealth', OLD."maxHealth", NEW."maxHealth", NULL, NULL
        UNION ALL SELECT 'experience', OLD."experiencePoints", NEW."experiencePoints", NULL, NULL
        UNION ALL SELECT 'level', OLD."level", NEW."level", NULL, NULL
        UNION ALL SELECT 'name', 0, 0, OLD."name", NEW."name"
        UNION ALL SELECT 'room', 0, 0, OLD."currentRoomId", NEW."currentRoomId"
        UNION ALL SELECT 'profession', 0, 0, OLD."professionId", NEW."professionId"
        UNION ALL SELECT d."key",
                COALESCE(json_extract(OLD."stats", '$."' || d."key" || '"'), d."default"),
                COALESCE(json_extract(NEW."stats", '$."' || d."key" || '"'), d."default"), NULL, NULL
            FROM "StatDefinition" d
            -- Only when the stats changed, or this stat was addressed: a damage reads no stat JSON.
            WHERE NOT d."builtin" AND d."ledgered" AND (NEW."stats" IS NOT OLD."stats" OR instr(COALESCE(NEW."changeTouched", ''), ',' || d."key" || ',') > 0)
    ) c
    WHERE p."id" = NEW."id"
      AND (c."before" IS NOT c."after" OR c."beforeText" IS NOT c."afterText"
           OR instr(COALESCE(p."changeTouched", ''), ',' || c."field" || ',') > 0);

    INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
    SELECT p."id", COALESCE(p."changeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), 'version', p."version" - OLD."version", OLD."version", p."version",
           p."changeReason", p."changeDetail", p."changeActor", p."changeRequestId", p."changeId", p."version"
    FROM "Player" p
    WHERE p."id" = NEW."id" AND p."version" IS NOT OLD."version"
      AND NOT EXISTS (SELECT 1 FROM "PlayerEvent" e WHERE e."changeId" = p."changeId");

    INSERT INTO "AuditEntry" ("at", "actor", "action", "playerId", "before", "after", "reason", "requestId")
    SELECT COALESCE(p."changeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')), p."changeActor", COALESCE(p."changeAudit", 'player.' || p."changeReason"), p."id",
           (SELECT json_group_object(e."field", CASE WHEN e."field" IN ('name', 'room', 'profession') THEN e."beforeText" ELSE e."before" END)
              FROM "PlayerEvent" e WHERE e."changeId" = p."changeId"),
           (SELECT json_group_object(e."field", CASE WHEN e."field" IN ('name', 'room', 'profession') THEN e."afterText" ELSE e."after" END)
              FROM "PlayerEvent" e WHERE e."changeId" = p."changeId"),
           p."changeNote", p."changeRequestId"
    FROM "Player" p
    WHERE p."id" = NEW."id" AND p."changeActorKind" IN ('staff', 'external');
END;

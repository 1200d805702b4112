-- Whole saves that merge (issue 21). The PostgreSQL twin is prisma/postgres/migrations/20261204130000_merge_saves.
-- Each stat's merge rule, used when a stale whole save and another write both changed it:
-- 'add' (both deltas count), 'reject' (a 409 field conflict) or 'last' (the save wins).
ALTER TABLE "StatDefinition" ADD COLUMN "merge" TEXT NOT NULL DEFAULT 'add' CHECK ("merge" IN ('add', 'reject', 'last'));

-- One row per whole-save attempt: applied, merged or refused, pruned to a bounded size by the app.
CREATE TABLE "SaveAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "playerId" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "currentVersion" INTEGER,
    "resultVersion" INTEGER,
    "outcome" TEXT NOT NULL CHECK ("outcome" IN ('applied', 'merged', 'refused')),
    "code" TEXT,
    "fields" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "requestId" TEXT
);
CREATE INDEX "SaveAttempt_playerId_id_idx" ON "SaveAttempt"("playerId", "id");
CREATE INDEX "SaveAttempt_outcome_id_idx" ON "SaveAttempt"("outcome", "id");
CREATE INDEX "SaveAttempt_at_idx" ON "SaveAttempt"("at");

-- Whole saves that merge (issue 21). The SQLite twin is prisma/migrations/20261204130000_merge_saves.
-- Each stat's merge rule, used when a stale whole save and another write both changed it:
-- 'add' (both deltas count), 'reject' (a 409 field conflict) or 'last' (the save wins).
ALTER TABLE "StatDefinition" ADD COLUMN "merge" TEXT NOT NULL DEFAULT 'add';
ALTER TABLE "StatDefinition" ADD CONSTRAINT "StatDefinition_merge_known" CHECK ("merge" IN ('add', 'reject', 'last'));

-- One row per whole-save attempt: applied, merged or refused, pruned to a bounded size by the app.
CREATE TABLE "SaveAttempt" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "playerId" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "currentVersion" INTEGER,
    "resultVersion" INTEGER,
    "outcome" TEXT NOT NULL,
    "code" TEXT,
    "fields" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "requestId" TEXT,

    CONSTRAINT "SaveAttempt_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SaveAttempt_outcome_known" CHECK ("outcome" IN ('applied', 'merged', 'refused'))
);
CREATE INDEX "SaveAttempt_playerId_id_idx" ON "SaveAttempt"("playerId", "id");
CREATE INDEX "SaveAttempt_outcome_id_idx" ON "SaveAttempt"("outcome", "id");
CREATE INDEX "SaveAttempt_at_idx" ON "SaveAttempt"("at");

-- An integrity run is recorded when it starts and reports its progress while it works (issue 20):
-- a check over a long backlog runs in the background with a time budget, so a run can be running,
-- finished, stopped by its budget (the next run resumes from the checkpoints it saved) or failed.
-- SQLite cannot drop NOT NULL from a column, so the table is rebuilt (findings keep their run).
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IntegrityRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trigger" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'incremental',
    "status" TEXT NOT NULL DEFAULT 'finished',
    "startedAt" DATETIME NOT NULL,
    "progressAt" DATETIME,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "playersTotal" INTEGER NOT NULL DEFAULT 0,
    "playersScanned" INTEGER NOT NULL,
    "eventsScanned" INTEGER NOT NULL,
    "eventsResampled" INTEGER NOT NULL DEFAULT 0,
    "findingCount" INTEGER NOT NULL,
    "note" TEXT
);
INSERT INTO "new_IntegrityRun" ("id", "trigger", "actor", "startedAt", "progressAt", "finishedAt", "durationMs", "playersTotal", "playersScanned", "eventsScanned", "findingCount")
SELECT "id", "trigger", "actor", "startedAt", "finishedAt", "finishedAt", "durationMs", "playersScanned", "playersScanned", "eventsScanned", "findingCount" FROM "IntegrityRun";
DROP TABLE "IntegrityRun";
ALTER TABLE "new_IntegrityRun" RENAME TO "IntegrityRun";
CREATE INDEX "IntegrityRun_startedAt_idx" ON "IntegrityRun"("startedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

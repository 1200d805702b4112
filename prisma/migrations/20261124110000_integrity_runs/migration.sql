-- CreateTable
CREATE TABLE "IntegrityRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trigger" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "playersScanned" INTEGER NOT NULL,
    "eventsScanned" INTEGER NOT NULL,
    "findingCount" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "IntegrityFinding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "playerName" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "eventIds" JSONB NOT NULL,
    CONSTRAINT "IntegrityFinding_runId_fkey" FOREIGN KEY ("runId") REFERENCES "IntegrityRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "IntegrityRun_startedAt_idx" ON "IntegrityRun"("startedAt");

-- CreateIndex
CREATE INDEX "IntegrityFinding_runId_idx" ON "IntegrityFinding"("runId");

-- CreateIndex
CREATE INDEX "IntegrityFinding_playerId_idx" ON "IntegrityFinding"("playerId");


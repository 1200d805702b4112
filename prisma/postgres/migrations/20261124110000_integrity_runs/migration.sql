-- CreateTable
CREATE TABLE "IntegrityRun" (
    "id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "playersScanned" INTEGER NOT NULL,
    "eventsScanned" INTEGER NOT NULL,
    "findingCount" INTEGER NOT NULL,

    CONSTRAINT "IntegrityRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrityFinding" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "playerName" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "eventIds" JSONB NOT NULL,

    CONSTRAINT "IntegrityFinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IntegrityRun_startedAt_idx" ON "IntegrityRun"("startedAt");

-- CreateIndex
CREATE INDEX "IntegrityFinding_runId_idx" ON "IntegrityFinding"("runId");

-- CreateIndex
CREATE INDEX "IntegrityFinding_playerId_idx" ON "IntegrityFinding"("playerId");

-- AddForeignKey
ALTER TABLE "IntegrityFinding" ADD CONSTRAINT "IntegrityFinding_runId_fkey" FOREIGN KEY ("runId") REFERENCES "IntegrityRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;


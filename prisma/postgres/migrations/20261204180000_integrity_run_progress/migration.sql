-- An integrity run is recorded when it starts and reports its progress while it works (issue 20):
-- a check over a long backlog runs in the background with a time budget, so a run can be running,
-- finished, stopped by its budget (the next run resumes from the checkpoints it saved) or failed.
ALTER TABLE "IntegrityRun" ALTER COLUMN "finishedAt" DROP NOT NULL;
ALTER TABLE "IntegrityRun" ALTER COLUMN "durationMs" DROP NOT NULL;
ALTER TABLE "IntegrityRun" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'incremental';
ALTER TABLE "IntegrityRun" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'finished';
ALTER TABLE "IntegrityRun" ADD COLUMN "progressAt" TIMESTAMP(3);
ALTER TABLE "IntegrityRun" ADD COLUMN "playersTotal" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "IntegrityRun" ADD COLUMN "eventsResampled" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "IntegrityRun" ADD COLUMN "note" TEXT;
UPDATE "IntegrityRun" SET "progressAt" = "finishedAt", "playersTotal" = "playersScanned";

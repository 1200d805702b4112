-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "ownerRequestId" TEXT;

-- Existing reservations get a lease that has already run out: one left "in progress" by a crash
-- can be taken over at once.
UPDATE "IdempotencyRecord" SET "leaseExpiresAt" = "createdAt";

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMP(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SignInThrottle_expire_idx" ON "SignInThrottle"("expire");

-- PlayerEvent_requestId_idx: created by 20261125120000_database_ledger.

-- CreateIndex
CREATE INDEX "AuditEntry_requestId_idx" ON "AuditEntry"("requestId");


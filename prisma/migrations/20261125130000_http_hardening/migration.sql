-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL,
    "expire" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IdempotencyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "responseBody" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ownerRequestId" TEXT,
    "leaseExpiresAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Existing reservations get a lease that has already run out: one left "in progress" by a crash
-- can be taken over at once.
INSERT INTO "new_IdempotencyRecord" ("actor", "createdAt", "headers", "id", "key", "requestHash", "responseBody", "status", "leaseExpiresAt") SELECT "actor", "createdAt", "headers", "id", "key", "requestHash", "responseBody", "status", "createdAt" FROM "IdempotencyRecord";
DROP TABLE "IdempotencyRecord";
ALTER TABLE "new_IdempotencyRecord" RENAME TO "IdempotencyRecord";
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");
CREATE UNIQUE INDEX "IdempotencyRecord_actor_key_key" ON "IdempotencyRecord"("actor", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SignInThrottle_expire_idx" ON "SignInThrottle"("expire");

-- PlayerEvent_requestId_idx: created by 20261125120000_database_ledger.

-- CreateIndex
CREATE INDEX "AuditEntry_requestId_idx" ON "AuditEntry"("requestId");


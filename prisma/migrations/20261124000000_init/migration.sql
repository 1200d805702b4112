-- CreateTable
CREATE TABLE "Player" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "currentRoomId" TEXT,
    "professionId" TEXT,
    "level" INTEGER NOT NULL DEFAULT 1,
    "experiencePoints" INTEGER NOT NULL DEFAULT 0,
    "health" INTEGER NOT NULL DEFAULT 100,
    "maxHealth" INTEGER NOT NULL DEFAULT 100,
    "attributes" JSONB NOT NULL,
    "inventory" JSONB NOT NULL,
    "statusEffects" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastActiveAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Hand-added: the health rules hold even against a buggy writer.
    CONSTRAINT "Player_health_at_most_max" CHECK ("health" <= "maxHealth"),
    CONSTRAINT "Player_max_health_positive" CHECK ("maxHealth" > 0),
    CONSTRAINT "Player_experience_not_negative" CHECK ("experiencePoints" >= 0),
    CONSTRAINT "Player_version_positive" CHECK ("version" >= 1)
);

-- CreateTable
CREATE TABLE "PlayerEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "playerId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "field" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "before" INTEGER NOT NULL,
    "after" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" JSONB,
    "actor" TEXT NOT NULL,
    "requestId" TEXT,
    "changeId" TEXT NOT NULL,
    "playerVersion" INTEGER NOT NULL,
    -- Hand-added: a ledger row is internally consistent and uses the known vocabulary.
    CONSTRAINT "PlayerEvent_delta_matches" CHECK ("after" - "before" = "delta"),
    CONSTRAINT "PlayerEvent_field_known" CHECK ("field" IN ('health', 'experience', 'level')),
    CONSTRAINT "PlayerEvent_reason_known" CHECK ("reason" IN ('damage', 'heal', 'experience', 'correction', 'respawn', 'save')),
    CONSTRAINT "PlayerEvent_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ErrorLogEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "module" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "context" JSONB,
    "stack" TEXT,
    "requestId" TEXT
);

-- CreateTable
CREATE TABLE "CacheMetricSample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "instanceId" TEXT NOT NULL,
    "intervalMs" INTEGER NOT NULL,
    "hits" INTEGER NOT NULL,
    "misses" INTEGER NOT NULL,
    "invalidationsWrite" INTEGER NOT NULL,
    "invalidationsTtl" INTEGER NOT NULL,
    "invalidationsEvent" INTEGER NOT NULL,
    "invalidationsManual" INTEGER NOT NULL,
    "evictions" INTEGER NOT NULL,
    "entries" INTEGER NOT NULL,
    "staleSavesRefused" INTEGER NOT NULL,
    "persistenceErrors" INTEGER NOT NULL,
    "writes" INTEGER NOT NULL,
    "writeLatencyP50Ms" REAL,
    "writeLatencyP99Ms" REAL
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" DATETIME
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "responseBody" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "playerId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "requestId" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Player_name_key" ON "Player"("name");

-- CreateIndex
CREATE INDEX "Player_updatedAt_idx" ON "Player"("updatedAt");

-- CreateIndex
CREATE INDEX "PlayerEvent_playerId_id_idx" ON "PlayerEvent"("playerId", "id");

-- CreateIndex
CREATE INDEX "PlayerEvent_playerId_at_idx" ON "PlayerEvent"("playerId", "at");

-- CreateIndex
CREATE INDEX "PlayerEvent_changeId_idx" ON "PlayerEvent"("changeId");

-- CreateIndex
CREATE INDEX "ErrorLogEntry_at_idx" ON "ErrorLogEntry"("at");

-- CreateIndex
CREATE INDEX "ErrorLogEntry_module_at_idx" ON "ErrorLogEntry"("module", "at");

-- CreateIndex
CREATE INDEX "CacheMetricSample_at_idx" ON "CacheMetricSample"("at");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_actor_key_key" ON "IdempotencyRecord"("actor", "key");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_actor_at_idx" ON "AuditEntry"("actor", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_playerId_idx" ON "AuditEntry"("playerId");

-- Hand-added: the ledger is append-only. No code path updates or deletes it; these make sure.
CREATE TRIGGER "PlayerEvent_no_update" BEFORE UPDATE ON "PlayerEvent"
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only');
END;

CREATE TRIGGER "PlayerEvent_no_delete" BEFORE DELETE ON "PlayerEvent"
BEGIN
    SELECT RAISE(ABORT, 'PlayerEvent is append-only');
END;

-- CreateTable
CREATE TABLE "Player" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Player_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlayerEvent" (
    "id" SERIAL NOT NULL,
    "playerId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
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

    CONSTRAINT "PlayerEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErrorLogEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "module" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "context" JSONB,
    "stack" TEXT,
    "requestId" TEXT,

    CONSTRAINT "ErrorLogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CacheMetricSample" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "writeLatencyP50Ms" DOUBLE PRECISION,
    "writeLatencyP99Ms" DOUBLE PRECISION,

    CONSTRAINT "CacheMetricSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "responseBody" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "playerId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "requestId" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-added: the health rules hold even against a buggy writer (same as the SQLite migration).
ALTER TABLE "Player" ADD CONSTRAINT "Player_health_at_most_max" CHECK ("health" <= "maxHealth");
ALTER TABLE "Player" ADD CONSTRAINT "Player_max_health_positive" CHECK ("maxHealth" > 0);
ALTER TABLE "Player" ADD CONSTRAINT "Player_experience_not_negative" CHECK ("experiencePoints" >= 0);
ALTER TABLE "Player" ADD CONSTRAINT "Player_version_positive" CHECK ("version" >= 1);
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_delta_matches" CHECK ("after" - "before" = "delta");
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_field_known" CHECK ("field" IN ('health', 'experience', 'level'));
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_reason_known" CHECK ("reason" IN ('damage', 'heal', 'experience', 'correction', 'respawn', 'save'));

-- Hand-added: the ledger is append-only.
-- The function body is an E-string with octal 073 for each semicolon, because Prisma's pg adapter
-- splits migration scripts at every semicolon, even inside dollar quotes and comments.
CREATE FUNCTION "PlayerEvent_append_only"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN RAISE EXCEPTION ''PlayerEvent is append-only''\073 END\073';

CREATE TRIGGER "PlayerEvent_no_update" BEFORE UPDATE OR DELETE ON "PlayerEvent"
    FOR EACH ROW EXECUTE FUNCTION "PlayerEvent_append_only"();

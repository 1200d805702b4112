-- CreateIndex
CREATE INDEX "Player_health_idx" ON "Player"("health");

-- CreateIndex
CREATE INDEX "Player_lastActiveAt_idx" ON "Player"("lastActiveAt");


-- Hand-added (Prisma cannot express an index on an expression): "sort by health" orders by the
-- share of maxHealth (lib/players/health-share-order.ts), and this index serves that ORDER BY … LIMIT.
-- The expression must stay textually identical to the query's.
CREATE INDEX "Player_health_share_idx" ON "Player" ((CAST("health" AS DOUBLE PRECISION) / "maxHealth"), "id");

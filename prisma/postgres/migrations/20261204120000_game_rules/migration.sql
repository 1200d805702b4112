-- Where a stat's ledger history restarts after ledgering was turned back on (see StatDefinition).
ALTER TABLE "StatDefinition" ADD COLUMN "ledgeredFromEventId" INTEGER;

-- The game's own rules, one row per declaration, the highest id in force (see GameRuleSet).
CREATE TABLE "GameRuleSet" (
    "id" SERIAL NOT NULL,
    "rules" JSONB NOT NULL,
    "fromEventId" INTEGER NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "declaredBy" TEXT NOT NULL,

    CONSTRAINT "GameRuleSet_pkey" PRIMARY KEY ("id")
);

-- Where a stat's ledger history restarts after ledgering was turned back on (see StatDefinition).
ALTER TABLE "StatDefinition" ADD COLUMN "ledgeredFromEventId" INTEGER;

-- The game's own rules, one row per declaration, the highest id in force (see GameRuleSet).
CREATE TABLE "GameRuleSet" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rules" JSONB NOT NULL,
    "fromEventId" INTEGER NOT NULL,
    "declaredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "declaredBy" TEXT NOT NULL
);

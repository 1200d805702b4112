-- Conserved stats (issue 22): a conserved stat changes only by transfer, or by the reasons the
-- operator declares as sources (it enters the game: loot) and sinks (it leaves: shop, tax).
-- The lists are JSON arrays of labels matched against a stat change's "source".
ALTER TABLE "StatDefinition" ADD COLUMN "conserved" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "StatDefinition" ADD COLUMN "sources" JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE "StatDefinition" ADD COLUMN "sinks" JSONB NOT NULL DEFAULT '[]'::jsonb;

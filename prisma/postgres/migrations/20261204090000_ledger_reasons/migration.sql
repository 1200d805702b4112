-- More ledger reasons, added once for this round's features: 'transfer' (a conserved stat moved
-- between two players in one change), 'import' (a player brought in from another game's store) and
-- 'archive' (a player archived or brought back). The SQLite twin is
-- prisma/migrations/20261204090000_ledger_reasons, and lib/persistence/player-record.ts's ledgerReasons
-- is the same list.
ALTER TABLE "PlayerEvent" DROP CONSTRAINT "PlayerEvent_reason_known";
ALTER TABLE "PlayerEvent" ADD CONSTRAINT "PlayerEvent_reason_known" CHECK ("reason" IN ('damage', 'heal', 'experience', 'correction', 'respawn', 'save', 'stat', 'restore', 'revert', 'external', 'transfer', 'import', 'archive'));

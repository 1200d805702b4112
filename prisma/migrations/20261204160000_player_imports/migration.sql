-- Where imported players came from (npm run admin -- import): one row per imported player, keyed by
-- the source label and the id the player had there, so a re-run skips what is already in. The
-- PostgreSQL twin is prisma/postgres/migrations/20261204160000_player_imports.
-- CreateTable
CREATE TABLE "PlayerImport" (
    "source" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("source", "sourceId"),
    CONSTRAINT "PlayerImport_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "PlayerImport_playerId_key" ON "PlayerImport"("playerId");


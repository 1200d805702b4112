-- Where imported players came from (npm run admin -- import). The SQLite twin is
-- prisma/migrations/20261204160000_player_imports. No semicolons in comments: the pg adapter splits at each.
CREATE TABLE "PlayerImport" (
    "source" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "playerId" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlayerImport_pkey" PRIMARY KEY ("source", "sourceId")
);
CREATE UNIQUE INDEX "PlayerImport_playerId_key" ON "PlayerImport"("playerId");
ALTER TABLE "PlayerImport" ADD CONSTRAINT "PlayerImport_playerId_fkey" FOREIGN KEY ("playerId") REFERENCES "Player"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

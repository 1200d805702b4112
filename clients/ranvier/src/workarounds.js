'use strict';

/**
 * ranvier@3.0.6 bugs that get in the way of any DataSource, and what to call instead. Each is a
 * plain function the game calls (nothing in Ranvier is patched):
 * - `PlayerManager.saveAll()` throws after the first player (`playerCallback is not defined`):
 *   use `saveAll(playerManager)`.
 * - `PlayerManager.loadPlayer(state, account, "Name")` stores players under the lower-cased name but
 *   checks the name as given, so every call with capitals builds a new Player (a second copy whose
 *   save is stale): use `loadPlayer(playerManager, state, account, name)`.
 * - `PlayerManager.exists(name)` reads data/player/*.json directly, bypassing the DataSource: use
 *   `exists(name)` (asks Pnakotic).
 * - `Account.save()` writes data/account/*.json directly: accounts (and passwords) stay in Ranvier's
 *   files; Pnakotic keeps players only, and never stores a password.
 */
function createWorkarounds(dataSource) {
  return {
    async saveAll(playerManager) {
      for (const player of playerManager.players.values()) await playerManager.save(player);
    },
    loadPlayer(playerManager, state, account, name, force) {
      return playerManager.loadPlayer(state, account, name.toLowerCase(), force);
    },
    exists: (name) => dataSource.exists(name),
  };
}

module.exports = { createWorkarounds };

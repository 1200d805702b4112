'use strict';
/*
 * The concurrent fight: several players, each fought by its own NPC loop, all at once in one real
 * ranvier@3.0.6 process. Ranvier changes health and mana synchronously; @pnakotic/ranvier queues
 * each change per player. At the end every player's Pnakotic state must equal Ranvier's model.
 *   node concurrent-fight.cjs <baseUrl> <serviceToken> <namePrefix> <players> <rounds>
 */
const { Damage, Heal } = require('ranvier');
const { createGame } = require('./game-state.cjs');

const [baseUrl, token, prefix, playerCount, roundCount] = process.argv.slice(2);
const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String((reason && reason.stack) || reason)));

// A small deterministic generator: the same fight on every run.
let seed = 23;
const random = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

async function main() {
  const { players, pnakotic, refusals, newCharacter, npc: ghoul } = createGame({ baseUrl, token, attributes: { health: 100, mana: 50 }, rooms: ['crypt'], attributeMap: { health: 'health', stats: { mana: 'mana' } } });
  const fighters = [];
  for (let i = 0; i < Number(playerCount); i += 1) fighters.push(await newCharacter(`${prefix}${i}`, { attributes: { health: { base: 100 }, mana: { base: 50 } }, room: 'arkham:crypt' }));
  const npc = (i) => ghoul(`ghoul-${i}`);

  // Each player's NPC loop takes turns with the others, one event-loop turn per round, so the
  // writes of all players are in flight together while each player's own stay in order.
  const loops = fighters.map((player, i) => (async () => {
    for (let round = 0; round < Number(roundCount); round += 1) {
      const health = player.getAttribute('health');
      const roll = random(10);
      if (roll < 5 && health > 15) new Damage('health', 1 + random(15), npc(i)).commit(player);
      else if (roll < 8) new Heal('health', 1 + random(20), npc(i)).commit(player);
      else if (roll === 8 && player.getAttribute('mana') > 10) player.lowerAttribute('mana', 1 + random(10));
      else player.raiseAttribute('mana', 1 + random(10));
      if (round % 10 === 9) {
        player.experience += 2;
        player.emit('experience', 2);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })());
  await Promise.all(loops);
  await pnakotic.workarounds.saveAll(players);
  await pnakotic.idle();
  const model = fighters.map((player) => ({ id: pnakotic.recordOf(player).id, health: player.getAttribute('health'), maxHealth: player.getMaxAttribute('health'), mana: player.getAttribute('mana'), experience: player.experience }));
  console.log(JSON.stringify({ model, refusals, unhandled }));
}

main().catch((error) => {
  console.error((error && error.stack) || error);
  process.exitCode = 1;
});

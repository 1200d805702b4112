'use strict';
/*
 * The game process killed mid-fight, and restarted.
 *   node kill-restart.cjs fight <baseUrl> <serviceToken> <namePrefix> <players>
 *     creates the players, prints {"ready":[…]}, then fights without end, printing one {"ack":…}
 *     line per write Pnakotic acknowledged — until the test kills it (SIGKILL, mid-write).
 *   node kill-restart.cjs restart <baseUrl> <serviceToken> <namePrefix> <players>
 *     a fresh game process: logs every player in from Pnakotic, prints what Ranvier loaded, lands
 *     one more hit each, and prints the state after it.
 */
const { Damage, Heal } = require('ranvier');
const { createGame } = require('./game-state.cjs');

const [mode, baseUrl, token, prefix, playerCount] = process.argv.slice(2);
const names = Array.from({ length: Number(playerCount) }, (_, i) => `${prefix}${i}`);
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function fight() {
  const { pnakotic, newCharacter, npc } = createGame({ baseUrl, token, attributes: { health: 100 }, rooms: ['crypt'] });
  const fighters = [];
  for (const name of names) fighters.push(await newCharacter(name, { attributes: { health: { base: 100 } }, room: 'arkham:crypt' }));
  pnakotic.events.on('written', (ack) => print({ ack: { playerId: ack.playerId, version: ack.version } }));
  print({ ready: fighters.map((player) => pnakotic.recordOf(player).id) });
  for (let round = 0; ; round += 1) {
    for (const [i, player] of fighters.entries()) {
      if (player.getAttribute('health') > 20 && (round + i) % 3 !== 0) new Damage('health', 1 + ((round * 7 + i) % 9), npc(`ghoul-${i}`)).commit(player);
      else new Heal('health', 1 + ((round * 5 + i) % 12), npc(`ghoul-${i}`)).commit(player);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function restart() {
  const { pnakotic, login, npc } = createGame({ baseUrl, token, attributes: { health: 100 }, rooms: ['crypt'] });
  const loaded = [];
  for (const name of names) loaded.push(await login(name));
  const snapshot = (player) => ({ id: pnakotic.recordOf(player).id, health: player.getAttribute('health'), max: player.getMaxAttribute('health') });
  const before = loaded.map(snapshot);
  for (const player of loaded) new Damage('health', 1, npc('ghoul')).commit(player);
  await pnakotic.idle();
  print({ loaded: before, afterHit: loaded.map(snapshot) });
}

(mode === 'fight' ? fight() : restart()).catch((error) => {
  console.error((error && error.stack) || error);
  process.exitCode = 1;
});

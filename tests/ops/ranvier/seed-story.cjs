'use strict';
/*
 * A real ranvier@3.0.6 game (no mocks of Ranvier): its GameState pieces, PlayerManager, EntityLoader,
 * Player, Damage and Heal, with @pnakotic/ranvier as the players' DataSource and bundle listeners.
 * Run by tests/ops/ranvier-package.test.ts from a folder where both packages were installed from
 * their tarballs. Prints one JSON line of what happened; the test checks Pnakotic's side.
 *   node seed-story.cjs <baseUrl> <serviceToken> <name>
 */
const { Damage, Logger } = require('ranvier');
const { createGame } = require('./game-state.cjs');

const [baseUrl, token, name] = process.argv.slice(2);
const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String((reason && reason.stack) || reason)));
if (Logger.setLevel) Logger.setLevel('error');

async function main() {
  const { state, pnakotic, players, refusals, newCharacter, npc } = createGame({ baseUrl, token, attributes: { health: 100 }, rooms: ['library', 'sanitarium'] });
  const states = {};
  const snapshot = (player) => ({ health: player.getAttribute('health'), max: player.getMaxAttribute('health'), experience: player.experience, room: player.room && player.room.entityReference });

  // 13:40:23 login: a new character created through PlayerManager.save, then loaded from Pnakotic.
  const ithaqua = await newCharacter(name, { attributes: { health: { base: 100, delta: 0 } }, experience: 554, room: 'arkham:library' });
  states.loaded = snapshot(ithaqua);
  const morgan = npc('dr-francis-morgan');
  for (let hit = 0; hit < 3; hit += 1) new Damage('health', 10, morgan).commit(ithaqua); // 13:40:48, 13:41:00, 13:41:12
  // 13:41:19 Morgan dies: the kill's experience, the way the example bundle awards it.
  ithaqua.experience += 1;
  ithaqua.emit('experience', 1);
  await players.save(ithaqua); // Ranvier's own whole save, unchanged
  await pnakotic.idle();
  states.afterSeed = snapshot(ithaqua);

  // Ranvier's bug: loadPlayer("Name", force) builds a second copy. It is current now; the first copy
  // then takes a hit, so the second copy's whole save is stale and must not restore its health.
  const copy = await players.loadPlayer(state, ithaqua.account, name, true);
  copy.hydrate(state);
  new Damage('health', 5, morgan).commit(ithaqua);
  copy.moveTo(state.RoomManager.getRoom('arkham:sanitarium'));
  const staleSave = await pnakotic.dataSource.update({}, copy.name, copy.serialize());
  await pnakotic.idle();
  states.staleSave = staleSave.ok ? 'saved' : staleSave.refused ? staleSave.refused.code : 'failed';
  players.removePlayer(copy);
  players.addPlayer(ithaqua);

  // Death and respawn: the last hit takes everything; the game brings the player back at full health.
  new Damage('health', ithaqua.getAttribute('health'), morgan).commit(ithaqua);
  await pnakotic.idle();
  states.dead = snapshot(ithaqua);
  ithaqua.setAttributeToMax('health');
  await pnakotic.idle();
  states.respawned = snapshot(ithaqua);

  // A buff (a real Effect with an attribute modifier) raises the max by 20; a hit lands while it
  // lasts; when it ends the max drops back and the current value with it (Ranvier keeps the delta).
  state.EffectFactory.add('elder-sign', { config: { name: 'Elder Sign', type: 'elder-sign', duration: Infinity }, modifiers: { attributes: { health: (current) => current + 20 } } }, state);
  const ward = state.EffectFactory.create('elder-sign');
  ithaqua.addEffect(ward);
  await pnakotic.idle();
  states.buffed = snapshot(ithaqua);
  new Damage('health', 30, morgan).commit(ithaqua);
  ward.remove();
  await pnakotic.idle();
  states.buffEnded = snapshot(ithaqua);
  await pnakotic.workarounds.saveAll(players);
  await pnakotic.idle();

  const id = pnakotic.recordOf(ithaqua).id;
  console.log(JSON.stringify({ id, states, refusals: refusals.map((r) => ({ what: r.what.replace(/ at version \d+/, ''), code: r.code })), unhandled }));
}

main().catch((error) => {
  console.error(error && error.stack || error);
  process.exitCode = 1;
});

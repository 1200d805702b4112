'use strict';
/*
 * The pieces of a real ranvier@3.0.6 GameState these scripts need (one area, its rooms, the
 * attribute definitions, the player manager), with @pnakotic/ranvier as the players' DataSource and
 * its listeners registered the way BundleManager registers a bundle's player-events.
 */
const { Account, AccountManager, Area, AreaManager, AttributeFactory, Config, EffectFactory, EntityLoader, ItemFactory, ItemManager, Player, PlayerManager, Room, RoomManager } = require('ranvier');
const { createPnakoticRanvier } = require('@pnakotic/ranvier');

function createGame({ baseUrl, token, attributes, rooms, attributeMap }) {
  Config.load({}); // Config.get throws before load (3.0.6)
  const state = { AccountManager: new AccountManager(), AreaManager: new AreaManager(), AttributeFactory: new AttributeFactory(), EffectFactory: new EffectFactory(), ItemFactory: new ItemFactory(), ItemManager: new ItemManager(), PlayerManager: new PlayerManager(), RoomManager: new RoomManager() };
  for (const [name, base] of Object.entries(attributes)) state.AttributeFactory.add(name, base);
  const area = new Area('miskatonic', 'arkham', { title: 'Arkham' });
  state.AreaManager.addArea(area);
  for (const id of rooms) {
    const room = new Room(area, { id, title: id, description: id });
    area.addRoom(room);
    state.RoomManager.addRoom(room);
  }
  const pnakotic = createPnakoticRanvier({ baseUrl, token, attributeMap, logger: { warn: () => {}, error: (line) => console.error(line) } });
  const refusals = [];
  pnakotic.events.on('refused', (detail) => refusals.push(detail));
  const players = state.PlayerManager;
  players.setLoader(new EntityLoader(pnakotic.dataSource, {}));
  for (const [event, listener] of Object.entries(pnakotic.bundle.listeners)) players.addListener(event, listener(state));

  /** A new character as a login flow makes one (built, hydrated, saved → created in Pnakotic), then loaded back. */
  async function newCharacter(name, data) {
    const account = new Account({ username: name.toLowerCase(), password: 'not-sent-to-pnakotic' });
    state.AccountManager.addAccount(account);
    const fresh = new Player(Object.assign({ name, account }, data));
    fresh.hydrate(state);
    await players.save(fresh);
    players.removePlayer(fresh);
    return login(name, account);
  }

  /** Login: loaded from Pnakotic through the workaround for loadPlayer's capital-letter bug. */
  async function login(name, account) {
    if (!account) {
      account = new Account({ username: name.toLowerCase() });
      state.AccountManager.addAccount(account);
    }
    const player = await pnakotic.workarounds.loadPlayer(players, state, account, name);
    player.hydrate(state);
    return player;
  }

  const npc = (name) => ({ name, evaluateOutgoingDamage: (_damage, amount) => amount, emit: () => {} });
  return { state, pnakotic, players, refusals, newCharacter, login, npc };
}

module.exports = { createGame };

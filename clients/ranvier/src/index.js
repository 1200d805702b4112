'use strict';

/*
 * Ranvier (ranvier@3.0.x) on Pnakotic. Ranvier changes a player's state synchronously in memory and
 * saves the whole object later (PlayerManager.save → DataSource.update(name, player.serialize())).
 * This package turns each in-memory change into the matching atomic Pnakotic write as it happens,
 * queued per player so the writes land in the order Ranvier made them, and makes the later whole
 * save carry the version that very object read — so a stale copy can never overwrite newer state.
 */

const { EventEmitter } = require('node:events');
const { PnakoticApiError, StaleDataError, createOrderedQueue, createPnakoticClient, newIdempotencyKey } = require('@pnakotic/client');
const { normalizeAttributeMap } = require('./attribute-map');

/**
 * Where each Ranvier object keeps what it knows about its Pnakotic row: the player's id, the version
 * this object read (or last wrote itself), and the health/max it last sent. It lives on the object's
 * `metadata` under a Symbol: Ranvier hands the same metadata object to the Player it builds and back
 * in `serialize()`, so the version travels with the object through `update(name, data)` — while
 * JSON.stringify (Ranvier's own file DataSource, logs) never sees a Symbol key. Two in-memory copies
 * of one player (see loadPlayer below) each keep their own.
 */
const PNAKOTIC = Symbol.for('pnakotic.ranvier.record');

/** The Pnakotic attribute that holds everything of a Ranvier player Pnakotic has no column for. */
const RANVIER_BLOB = 'ranvier';

function createPnakoticRanvier(options) {
  const client = options.client || createPnakoticClient({ baseUrl: options.baseUrl, token: options.token });
  const attributeMap = normalizeAttributeMap(options.attributeMap);
  const logger = options.logger || console;
  const events = new EventEmitter();
  const lanes = createOrderedQueue();

  /** A refusal is an answer, not a crash: it is logged and emitted, and the promise resolves. */
  function refused(what, player, error) {
    const detail = { what, name: player && player.name, playerId: player && player.id, status: error.status, code: error.code, message: error.message };
    logger.warn(`pnakotic: ${what} refused: ${error.message}`);
    events.emit('refused', detail);
    return { ok: false, refused: detail };
  }

  /** The numbers of a player as Pnakotic stored them at one version. */
  function numbersOf(player) {
    return { health: player.health, maxHealth: player.maxHealth, experiencePoints: player.experiencePoints };
  }

  /** This object is current at the stored player's version (nobody else wrote in between). */
  function rebase(record, stored) {
    record.version = stored.version;
    record.base = numbersOf(stored);
  }

  /** Runs one write in the player's lane; never rejects (every failure is logged and emitted). */
  function write(record, what, send) {
    return lanes.run(record.id, async () => {
      try {
        const result = await send();
        const stored = result.player;
        // Only when nobody else wrote in between is this object still current at the new version.
        if (stored.version === record.version + 1) rebase(record, stored);
        events.emit('written', { what, playerId: record.id, version: stored.version, health: stored.health });
        return { ok: true, player: stored };
      } catch (error) {
        if (error instanceof PnakoticApiError) return refused(what, { name: record.name, id: record.id }, error);
        logger.error(`pnakotic: ${what} failed: ${error && error.message}`);
        events.emit('failed', { what, playerId: record.id, error });
        return { ok: false, error };
      }
    });
  }

  async function findByName(name) {
    const key = name.normalize('NFC').toLowerCase();
    const page = client.unwrap(await client.api.GET('/api/v1/players', { params: { query: { search: name, limit: 100 } } }), `find player ${name}`);
    const match = page.items.find((item) => item.name.normalize('NFC').toLowerCase() === key);
    return match ? client.getPlayer(match.id) : null;
  }

  function recordOf(target) {
    return target && target.metadata ? target.metadata[PNAKOTIC] : undefined;
  }

  /** Ranvier's data for a Pnakotic player (what a file DataSource would have returned). */
  function toRanvier(player) {
    const blob = (player.attributes && player.attributes[RANVIER_BLOB]) || {};
    const attributes = Object.assign({}, blob.attributes || {});
    attributes[attributeMap.health] = { base: player.maxHealth, delta: Math.min(0, player.health - player.maxHealth) };
    for (const [attribute, stat] of Object.entries(attributeMap.stats)) {
      const current = player.stats ? player.stats[stat] : undefined;
      if (current === undefined) continue;
      const base = attributes[attribute] ? attributes[attribute].base : current;
      attributes[attribute] = { base, delta: Math.min(0, current - base) };
    }
    const metadata = Object.assign({}, blob.metadata || {});
    Object.defineProperty(metadata, PNAKOTIC, {
      value: { id: player.id, name: player.name, version: player.version, health: player.health, max: player.maxHealth, dead: player.status === 'dead', base: numbersOf(player) },
      enumerable: false,
      writable: true,
    });
    return Object.assign({}, blob, { name: player.name, level: player.level, experience: player.experiencePoints, room: player.currentRoomId, attributes, metadata });
  }

  /** A whole save's body from `player.serialize()` (the password stays with Ranvier's account). */
  function toSave(data, record) {
    const health = data.attributes && data.attributes[attributeMap.health];
    const max = record ? record.max : health ? health.base : 100;
    const current = record ? record.health : health ? health.base + health.delta : max;
    const { password: _password, name, experience, room, ...rest } = data;
    return {
      body: {
        // loadPlayer sets data.name to the lower-cased key it was given: keep the name's own case.
        name: record && record.name.toLowerCase() === String(name).toLowerCase() ? record.name : name,
        health: current,
        maxHealth: max,
        experiencePoints: experience || 0,
        currentRoomId: room || null,
        attributes: { [RANVIER_BLOB]: JSON.parse(JSON.stringify(rest)) },
        inventory: [],
        statusEffects: [],
      },
      level: data.level,
    };
  }

  /**
   * The DataSource for ranvier.json's "players" entity loader. `fetch` builds Ranvier's data from
   * Pnakotic; `update` is PlayerManager.save's whole save: a name Pnakotic does not know yet is
   * created, any other is saved with the version this object read (If-Match). A stale object is
   * merged field by field by a server that merges, or refused (409): logged, emitted as
   * "refused", resolved — never an unhandled rejection.
   */
  const dataSource = {
    name: 'PnakoticPlayerDataSource',
    hasData: () => Promise.resolve(true),
    async fetch(_config, name) {
      const player = await findByName(name);
      if (!player) throw new Error(`pnakotic: no player named ${name}`);
      return toRanvier(player);
    },
    async exists(name) {
      return (await findByName(name)) !== null;
    },
    async update(_config, name, data) {
      const record = recordOf(data);
      const { body } = toSave(data, record);
      if (!record) {
        try {
          const existing = await findByName(name);
          if (existing) return refused(`create player ${name}`, { name }, new PnakoticApiError(409, { code: 'already_exists', detail: `a player named ${name} exists; load it before saving` }, `create player ${name}`));
          const created = await client.createPlayer(body, { idempotencyKey: newIdempotencyKey() });
          Object.defineProperty(data.metadata || (data.metadata = {}), PNAKOTIC, {
            value: { id: created.id, name: created.name, version: created.version, health: created.health, max: created.maxHealth, dead: created.status === 'dead', base: numbersOf(created) },
            enumerable: false,
            writable: true,
          });
          events.emit('written', { what: `create player ${name}`, playerId: created.id, version: created.version, health: created.health });
          return { ok: true, player: created };
        } catch (error) {
          if (error instanceof PnakoticApiError) return refused(`create player ${name}`, { name }, error);
          logger.error(`pnakotic: create player ${name} failed: ${error && error.message}`);
          events.emit('failed', { what: `create player ${name}`, error });
          return { ok: false, error };
        }
      }
      return write(record, `save player ${name} at version ${record.version}`, async () => {
        // The numbers travel as atomic writes (the listeners, queued ahead of this save in the same
        // lane); the save carries them as they were at the version it names, read here in the lane
        // where version and numbers agree, so a merge never counts this object's own changes twice.
        const answer = await client.savePlayer(record.id, { ...body, ...record.base }, record.version);
        // A plain save leaves this object current at the version it wrote. A merged one does not:
        // the server kept newer fields this object has not seen, so it stays at its old version.
        if (answer.merge) events.emit('merged', { playerId: record.id, merge: answer.merge });
        else rebase(record, answer.player);
        return answer;
      });
    },
  };

  /** Several stats set in one atomic, ledgered write (POST …/stats). */
  async function setStats(record, changes, source) {
    const result = await client.api.POST('/api/v1/players/{id}/stats', { params: { path: { id: record.id }, header: { 'Idempotency-Key': newIdempotencyKey() } }, body: { changes, source } });
    return client.unwrap(result, `update stats of ${record.name}`);
  }

  /**
   * Bundle player-event listeners (Ranvier's `listeners` export shape: event → state → function,
   * `this` being the player). Each change is computed synchronously, from the values this object
   * last sent, and queued; the write itself happens in the player's lane.
   */
  function onAttributeUpdate(attribute) {
    const player = this;
    const record = recordOf(player);
    if (!record) return;
    if (attribute === attributeMap.health) {
      const current = player.getAttribute(attribute);
      const max = player.getMaxAttribute(attribute);
      const intent = { source: undefined };
      record.pendingIntent = intent;
      if (max !== record.max) {
        record.max = max;
        record.health = current;
        write(record, `set max health of ${record.name}`, () => setStats(record, [{ stat: 'maxHealth', op: 'set', value: max }, { stat: 'health', op: 'set', value: current }], 'ranvier:effect'));
        return;
      }
      const diff = current - record.health;
      if (diff === 0) return;
      record.health = current;
      if (diff < 0) {
        record.dead = current <= 0;
        write(record, `damage ${record.name}`, () => client.damagePlayer(record.id, withSource({ amount: -diff }, intent)));
      } else if (record.dead) {
        record.dead = false;
        write(record, `respawn ${record.name}`, async () => {
          const answer = client.unwrap(await client.api.POST('/api/v1/players/{id}/respawn', { params: { path: { id: record.id }, header: { 'Idempotency-Key': newIdempotencyKey() } }, body: {} }), `respawn ${record.name}`);
          // Respawn restores maxHealth; Ranvier may have brought the player back to less.
          if (current < answer.player.health) return client.damagePlayer(record.id, { amount: answer.player.health - current, damageType: 'respawn', source: 'ranvier:respawn' });
          return answer;
        });
      } else {
        write(record, `heal ${record.name}`, () => client.healPlayer(record.id, withSource({ amount: diff }, intent)));
      }
      return;
    }
    const stat = attributeMap.stats[attribute];
    if (stat === undefined) return;
    const value = player.getAttribute(attribute);
    write(record, `set ${stat} of ${record.name}`, () => setStats(record, [{ stat, op: 'set', value }], 'ranvier:attribute'));
  }

  /** Damage/Heal emit attributeUpdate first and damaged/healed right after, in the same tick: the queued write picks up who did it. */
  function onDamagedOrHealed(damage) {
    const record = recordOf(this);
    if (!record || !record.pendingIntent || !damage) return;
    const who = damage.attacker ? damage.attacker.name : damage.source && damage.source.name;
    if (who) record.pendingIntent.source = `ranvier:${String(who).slice(0, 90)}`;
  }

  function onExperience(amount) {
    const record = recordOf(this);
    if (!record || !(amount > 0)) return;
    write(record, `add experience to ${record.name}`, () => client.gainExperience(record.id, { amount, source: 'ranvier:experience' }));
  }

  /**
   * An effect's attribute modifiers change the max without any attributeUpdate: a buff raises the
   * max (and, delta being kept, the current value); when it ends both drop again. Re-read them.
   */
  function onEffectChange() {
    onAttributeUpdate.call(this, attributeMap.health);
    for (const attribute of Object.keys(attributeMap.stats)) if (this.hasAttribute(attribute)) onAttributeUpdate.call(this, attribute);
  }

  const bundle = {
    listeners: {
      attributeUpdate: () => onAttributeUpdate,
      effectAdded: () => onEffectChange,
      effectRemoved: () => onEffectChange,
      damaged: () => onDamagedOrHealed,
      healed: () => onDamagedOrHealed,
      experience: () => onExperience,
    },
  };

  return {
    client,
    dataSource,
    bundle,
    events,
    /** Resolves once every write queued so far (for one player, or all) has settled. */
    idle: (player) => lanes.idle(player ? (recordOf(player) || {}).id : undefined),
    recordOf,
    workarounds: require('./workarounds').createWorkarounds(dataSource),
  };
}

function withSource(body, intent) {
  return intent.source ? Object.assign(body, { source: intent.source }) : body;
}

module.exports = { createPnakoticRanvier, PNAKOTIC, StaleDataError };

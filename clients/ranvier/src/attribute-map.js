'use strict';

/**
 * Which Ranvier attribute feeds which Pnakotic field. Ranvier keeps an attribute as
 * { base, delta } with delta ≤ 0: the current value is max + delta, where max is the base after
 * effects. `health` (by default the attribute named "health") becomes Pnakotic's health/maxHealth;
 * every attribute in `stats` becomes the declared stat of that key (its current value).
 */
const DEFAULT_ATTRIBUTE_MAP = Object.freeze({ health: 'health', stats: Object.freeze({}) });

function normalizeAttributeMap(map = {}) {
  const health = map.health === undefined ? DEFAULT_ATTRIBUTE_MAP.health : map.health;
  if (typeof health !== 'string' || health.length === 0) throw new TypeError('attributeMap.health must name a Ranvier attribute');
  const stats = Object.assign({}, map.stats || {});
  for (const [attribute, stat] of Object.entries(stats)) {
    if (!/^[a-z][a-zA-Z0-9_]{0,39}$/.test(stat)) throw new TypeError(`attributeMap.stats.${attribute}: "${stat}" is not a Pnakotic stat key`);
    if (attribute === health) throw new TypeError(`attributeMap.stats.${attribute}: the health attribute maps to health already`);
  }
  return { health, stats };
}

module.exports = { DEFAULT_ATTRIBUTE_MAP, normalizeAttributeMap };

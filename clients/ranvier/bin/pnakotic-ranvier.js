#!/usr/bin/env node
'use strict';

/*
 * pnakotic-ranvier stats <bundle>/attributes.js|.json [--map attribute-map.json] [--max N]
 *
 * Declares the game's stats from its Ranvier attribute definitions: prints the stats file that
 * `npm run admin -- stats apply <file>` (Pnakotic's CLI) takes, and the attribute map to give
 * createPnakoticRanvier. Health is Pnakotic's built-in; every other attribute becomes a stat with
 * its base as the default (or only those the --map file's "stats" names, under its keys).
 */
const path = require('node:path');
const { parseArgs } = require('node:util');
const { normalizeAttributeMap } = require('../src/attribute-map');

function fail(message) {
  console.error(`pnakotic-ranvier: ${message}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { map: { type: 'string' }, max: { type: 'string' } } });
const [command, file] = positionals;
if (command !== 'stats' || !file) fail('usage: pnakotic-ranvier stats <attributes.js|attributes.json> [--map attribute-map.json] [--max N]');
let definitions;
try {
  definitions = require(path.resolve(file));
} catch (error) {
  fail(`cannot load ${file}: ${error.message}`);
}
if (!Array.isArray(definitions)) fail(`${file} must export an array of { name, base } (a Ranvier bundle's attributes.js)`);
const max = values.max === undefined ? 10000 : Number(values.max);
if (!Number.isInteger(max) || max < 1) fail('--max must be a whole number ≥ 1');
let map;
try {
  map = normalizeAttributeMap(values.map ? require(path.resolve(values.map)) : {});
} catch (error) {
  fail(error.message);
}
const named = Object.keys(map.stats).length > 0;
const stats = [];
for (const definition of definitions) {
  if (!definition || typeof definition.name !== 'string' || typeof definition.base !== 'number') fail(`every attribute needs a name and a numeric base: ${JSON.stringify(definition)}`);
  if (definition.name === map.health) continue;
  const key = named ? map.stats[definition.name] : definition.name;
  if (key === undefined) continue;
  if (!/^[a-z][a-zA-Z0-9_]{0,39}$/.test(key)) fail(`attribute ${definition.name}: "${key}" is not a stat key; name it in --map's "stats"`);
  if (!named) map.stats[definition.name] = key;
  stats.push({ key, label: definition.name, min: 0, max: Math.max(max, definition.base), default: Math.min(Math.max(definition.base, 0), Math.max(max, definition.base)) });
}
console.log(JSON.stringify({ stats }, null, 2));
console.error(`attribute map for createPnakoticRanvier: ${JSON.stringify(map)}`);

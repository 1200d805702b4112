import type { Prisma } from "./generated/client.ts";
import { statusForHealth } from "../players/health-rules.ts";
import type { PlayerStatus } from "../players/health-rules.ts";

export const playerSelect = {
  id: true,
  name: true,
  currentRoomId: true,
  professionId: true,
  level: true,
  experiencePoints: true,
  health: true,
  maxHealth: true,
  attributes: true,
  inventory: true,
  statusEffects: true,
  stats: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  lastActiveAt: true,
  archivedAt: true,
  testTag: true,
} satisfies Prisma.PlayerSelect;

type PlayerRow = Prisma.PlayerGetPayload<{ select: typeof playerSelect }>;

export type JsonObject = { [key: string]: Prisma.JsonValue };

/** A player as the service hands it out: the stored row plus its derived status. */
export interface Player extends Omit<PlayerRow, "attributes" | "inventory" | "statusEffects" | "stats"> {
  attributes: JsonObject;
  inventory: Prisma.JsonValue[];
  statusEffects: Prisma.JsonValue[];
  /** Declared stats other than the built-in columns, as stored (a missing key has the stat's default). */
  stats: Record<string, number>;
  status: PlayerStatus;
}

export function toPlayer(row: PlayerRow, healthFloor: number): Player {
  return {
    ...row,
    attributes: isJsonObject(row.attributes) ? row.attributes : {},
    inventory: Array.isArray(row.inventory) ? row.inventory : [],
    statusEffects: Array.isArray(row.statusEffects) ? row.statusEffects : [],
    stats: statValues(row.stats),
    status: statusForHealth(row.health, healthFloor),
  };
}

/** Only integer members count as stat values; anything else in the column is ignored. */
export function statValues(value: Prisma.JsonValue): Record<string, number> {
  if (!isJsonObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => Number.isInteger(entry[1])));
}

function isJsonObject(value: Prisma.JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A ledger row's field: a stat key (health, maxHealth, experience, level, or a declared stat),
 * name | room | profession (text values in beforeText/afterText), or "version" for a write that
 * changed no tracked field.
 */
export type LedgerField = string;
export const textLedgerFields = ["name", "room", "profession"] as const;
/** The Player column behind each text ledger field. */
export const textLedgerColumns = { name: "name", room: "currentRoomId", profession: "professionId" } as const satisfies Record<(typeof textLedgerFields)[number], string>;
/**
 * The JSON columns, ledgered since migration 20261204130001_ledger_json_fields as text rows (their
 * JSON in beforeText/afterText, before = after = 0), like the text fields.
 */
export const jsonLedgerFields = ["attributes", "inventory", "statusEffects"] as const;
export type JsonLedgerField = (typeof jsonLedgerFields)[number];
export const ledgerReasons = ["damage", "heal", "experience", "correction", "respawn", "save", "stat", "restore", "revert", "external", "transfer", "import", "archive"] as const;
export type LedgerReason = (typeof ledgerReasons)[number];

export const playerEventSelect = {
  id: true,
  playerId: true,
  at: true,
  field: true,
  delta: true,
  before: true,
  after: true,
  beforeText: true,
  afterText: true,
  reason: true,
  detail: true,
  actor: true,
  requestId: true,
  changeId: true,
  playerVersion: true,
} satisfies Prisma.PlayerEventSelect;

type PlayerEventRow = Prisma.PlayerEventGetPayload<{ select: typeof playerEventSelect }>;

/** One ledger row: a single field's change, with the true before and after. */
export interface PlayerEvent extends Omit<PlayerEventRow, "reason"> {
  reason: LedgerReason;
}

export function toPlayerEvent(row: PlayerEventRow): PlayerEvent {
  // The migration's CHECK constraints guarantee the vocabulary; the cast records that guarantee.
  return row as PlayerEvent;
}

import type { PlayerRead } from "../persistence/get-player.ts";
import type { Player } from "../persistence/player-record.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import type { ChangeOutcome } from "../persistence/run-change-batch.ts";
import { problemBody } from "./problem.ts";

const noStore = { "Cache-Control": "no-store" };

export function jsonResponse(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...noStore, ...headers } });
}

export function etagFor(player: Pick<Player, "version">): string {
  return `"${player.version}"`;
}

/** A player with `ETag: "<version>"` (send it back as If-Match) and `X-Cache: hit|miss`. */
export function playerResponse(read: PlayerRead): Response {
  return jsonResponse(read.player, 200, { ETag: etagFor(read.player), "X-Cache": read.cache });
}

/** `{ player, event, events }` with the new ETag. */
export function mutationResponse(result: MutationResult, status = 200): Response {
  return jsonResponse(result, status, { ETag: etagFor(result.player) });
}

/** A batch's answer: each change's result in order — its players and ledger rows, or its problem. */
export function changeBatchResponse(outcomes: ChangeOutcome[], requestId: string): Response {
  return jsonResponse({
    results: outcomes.map((outcome, index) =>
      outcome.applied
        ? { index, status: 200, player: outcome.players[0], players: outcome.players, events: outcome.events }
        : { index, status: outcome.error.status, problem: problemBody(outcome.error, requestId) },
    ),
  });
}

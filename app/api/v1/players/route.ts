import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { createPlayer } from "@/lib/player-operations/create-player";
import { listPlayers } from "@/lib/persistence/list-players";

export const GET = defineRoute(routes.listPlayers, async ({ app, query }) => jsonResponse(await listPlayers(app.persistence, query)));

export const POST = defineRoute(routes.createPlayer, async ({ app, body, write }) => {
  const player = await createPlayer(app.persistence, body, write);
  return jsonResponse(player, 201, { ETag: `"${player.version}"`, Location: `/api/v1/players/${player.id}` });
});

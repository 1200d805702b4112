import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { respawnPlayer } from "@/lib/player-operations/respawn-player";

export const POST = defineRoute(routes.respawnPlayer, async ({ app, params, body, write }) =>
  mutationResponse(await respawnPlayer(app.persistence, params.id, { ...write, reason: body.reason })),
);

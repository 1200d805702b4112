import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { restorePlayer } from "@/lib/player-operations/restore-player";

export const POST = defineRoute(routes.restorePlayer, async ({ app, params, body, ifMatch, write }) =>
  mutationResponse(await restorePlayer(app.persistence, params.id, body.at ? { at: body.at } : { event: body.event }, { ...write, reason: body.reason, expectedVersion: ifMatch! })),
);

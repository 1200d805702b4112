import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { updateStats } from "@/lib/player-operations/update-stats";

export const POST = defineRoute(routes.updatePlayerStats, async ({ app, params, body, ifMatch, write }) =>
  mutationResponse(await updateStats(app.persistence, params.id, body, { ...write, expectedVersion: ifMatch })),
);

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { playerTimeline } from "@/lib/players/player-timeline";

export const GET = defineRoute(routes.playerTimeline, async ({ app, params, query }) => jsonResponse(await playerTimeline(app.persistence, params.id, query)));

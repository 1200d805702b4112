import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { playerStateAt } from "@/lib/history/player-state-at";

export const GET = defineRoute(routes.getPlayerStateAt, async ({ app, params, query }) => Response.json(await playerStateAt(app.persistence, params.id, query)));

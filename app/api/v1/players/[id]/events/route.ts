import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listPlayerEvents } from "@/lib/persistence/list-player-events";

export const GET = defineRoute(routes.listPlayerEvents, async ({ app, params, query }) =>
  jsonResponse(await listPlayerEvents(app.persistence, params.id, query)),
);

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listActivity } from "@/lib/persistence/list-activity";

export const GET = defineRoute(routes.listActivity, async ({ app, query }) =>
  jsonResponse(await listActivity(app.persistence, { ...query, playerIds: query.players })),
);

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listSaveAttempts } from "@/lib/persistence/save-attempts";

export const GET = defineRoute(routes.listPlayerSaves, async ({ app, params, query }) =>
  jsonResponse(await listSaveAttempts(app.persistence, { ...query, playerId: params.id })),
);

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const GET = defineRoute(routes.integrityReport, async ({ app, query }) => jsonResponse(await app.integrity.report(query.playerId)));

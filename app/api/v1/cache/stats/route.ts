import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { cacheStatsHistory } from "@/lib/metrics/cache-stats-history";

export const GET = defineRoute(routes.cacheStats, async ({ app, query }) => jsonResponse(await cacheStatsHistory(app.persistence, query)));

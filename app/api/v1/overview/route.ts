import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { overviewSummary } from "@/lib/metrics/overview-summary";

export const GET = defineRoute(routes.overview, async ({ app }) => jsonResponse(await overviewSummary(app.persistence)));

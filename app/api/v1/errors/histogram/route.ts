import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { errorHistogram } from "@/lib/errors/error-histogram";

export const GET = defineRoute(routes.errorHistogram, async ({ app, query }) => jsonResponse(await errorHistogram(app.persistence, query)));

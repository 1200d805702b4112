import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listErrorLog } from "@/lib/errors/list-error-log";

export const GET = defineRoute(routes.listErrors, async ({ app, query }) => jsonResponse(await listErrorLog(app.persistence.db, query)));

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listSaveAttempts } from "@/lib/persistence/save-attempts";

export const GET = defineRoute(routes.listSaves, async ({ app, query }) => jsonResponse(await listSaveAttempts(app.persistence, query)));

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { purgeTestPlayer } from "@/lib/persistence/purge-test-player";

export const POST = defineRoute(routes.purgeTestPlayer, async ({ app, params, write }) => jsonResponse(await purgeTestPlayer(app.persistence, params.id, write)));

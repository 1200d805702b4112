import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { previewRevert } from "@/lib/player-operations/restore-player";

export const GET = defineRoute(routes.previewRevert, async ({ app, params, query }) => Response.json(await previewRevert(app.persistence, params.id, query)));

import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { previewRestore } from "@/lib/player-operations/restore-player";

export const GET = defineRoute(routes.previewRestore, async ({ app, params, query }) => Response.json(await previewRestore(app.persistence, params.id, query)));

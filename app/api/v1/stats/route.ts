import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.listStats, async ({ app }) => Response.json({ items: await app.persistence.stats.list() }));

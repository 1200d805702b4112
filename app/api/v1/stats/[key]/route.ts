import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { declareStats } from "@/lib/stats/declare-stats";

export const PUT = defineRoute(routes.declareStat, async ({ app, params, body, write }) =>
  Response.json({ items: await declareStats(app.persistence, [{ ...body, key: params.key }], write) }),
);

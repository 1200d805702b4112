import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { flushPlayerCacheEntry } from "@/lib/cache/flush-player-cache-entry";

export const DELETE = defineRoute(routes.flushPlayerCache, async ({ app, params, write }) => {
  await flushPlayerCacheEntry(app.persistence, params.id, write);
  return new Response(null, { status: 204 });
});

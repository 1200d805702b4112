import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.metrics, async ({ app }) => {
  const { registry } = app.prometheus;
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
});

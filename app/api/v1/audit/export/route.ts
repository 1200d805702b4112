import { routes } from "@/lib/api/routes";
import { exportResponse } from "@/lib/export/export-stream";
import { exportAudit } from "@/lib/export/staff-exports";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.exportAudit, async ({ app, caller, query }) =>
  exportResponse(await app.exports.start(caller, (ctx) => exportAudit(ctx, query)), query.format, "audit"),
);

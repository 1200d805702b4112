import { routes } from "@/lib/api/routes";
import { exportResponse } from "@/lib/export/export-stream";
import { exportErrors } from "@/lib/export/staff-exports";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.exportErrors, async ({ app, caller, query }) =>
  exportResponse(await app.exports.start(caller, (ctx) => exportErrors(ctx, query, caller)), query.format, "errors"),
);

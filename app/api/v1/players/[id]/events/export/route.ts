import { routes } from "@/lib/api/routes";
import { exportResponse } from "@/lib/export/export-stream";
import { exportLedger } from "@/lib/export/staff-exports";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.exportPlayerEvents, async ({ app, caller, params, query }) =>
  exportResponse(await app.exports.start(caller, (ctx) => exportLedger(ctx, params.id, query)), query.format, `ledger-${params.id}`),
);

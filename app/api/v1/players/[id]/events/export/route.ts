import { routes } from "@/lib/api/routes";
import { exportResponse } from "@/lib/export/export-stream";
import { exportLedger } from "@/lib/export/staff-exports";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.exportPlayerEvents, async ({ app, params, query }) =>
  exportResponse(await exportLedger(app.persistence, params.id, query), query.format, `ledger-${params.id}`),
);

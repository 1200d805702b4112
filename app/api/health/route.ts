import { getAppContext } from "@/lib/runtime/app-context";
import { checkHealth } from "@/lib/runtime/check-health";

export const dynamic = "force-dynamic";

/** Liveness/readiness for load balancers: public, no secrets, 503 when the database is unreachable. */
export async function GET() {
  const report = await checkHealth(getAppContext());
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

/**
 * The benchmark's baseline: the cheapest possible handler in this server (same Next.js, same
 * proxy), so HTTP results can be reported as a ratio to the framework's own ceiling. Exists only
 * when PNAKOTIC_BENCH_ROUTES=1 (set by `npm run bench`); otherwise 404.
 */
export const dynamic = "force-dynamic";

const body = JSON.stringify({ ok: true });

export async function GET() {
  if (process.env.PNAKOTIC_BENCH_ROUTES !== "1") return new Response(null, { status: 404 });
  return new Response(body, { headers: { "Content-Type": "application/json" } });
}

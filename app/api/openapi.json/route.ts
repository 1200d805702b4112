import { buildOpenApiDocument } from "@/lib/api/openapi";

let document: Record<string, unknown> | undefined;

export async function GET() {
  document ??= buildOpenApiDocument();
  return Response.json(document, { headers: { "Cache-Control": "public, max-age=300" } });
}

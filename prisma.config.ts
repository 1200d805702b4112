// Prisma CLI configuration. The JS/Wasm engines plus a driver adapter let `prisma migrate deploy`
// run fully offline (Prisma 7's native schema engine cannot be downloaded here; see README).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const DEFAULT_DATABASE_URL = "file:./data/pnakotic.db";
// The schema's datasource reads env("DATABASE_URL"); without a value the CLI would try to
// download a native engine, so give it the same default the app uses.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

function sqliteFileFromUrl(url: string): string {
  if (!url.startsWith("file:")) {
    throw new Error(`prisma.config.ts handles SQLite (file:…) URLs; got ${url.split(":")[0]}:…`);
  }
  return path.resolve(url.slice("file:".length));
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const file = sqliteFileFromUrl(process.env.DATABASE_URL!);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url: `file:${file}` });
  },
});

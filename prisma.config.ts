// Prisma CLI configuration for both databases; DATABASE_URL picks which:
//   file:…                      → SQLite, prisma/schema.prisma, prisma/migrations
//   postgres:// / postgresql:// → PostgreSQL, prisma/postgres/schema.prisma, prisma/postgres/migrations
// The JS/Wasm engines plus a driver adapter let `prisma migrate deploy` run fully offline
// (Prisma 7's native schema engine cannot be downloaded here; see README).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { postgresPoolConfig } from "./lib/persistence/postgres-pool-config.ts";
import { ensurePrivateDatabaseFile } from "./lib/persistence/private-database-file.ts";
import { withLedgerFunctions } from "./lib/persistence/sqlite-functions.ts";

const DEFAULT_DATABASE_URL = "file:./data/pnakotic.db";
// The schema's datasource reads env("DATABASE_URL"); without a value the CLI would try to
// download a native engine, so give it the same default the app uses.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;
const url = process.env.DATABASE_URL;
const postgres = /^postgres(ql)?:\/\//.test(url);
if (!postgres && !url.startsWith("file:")) {
  throw new Error(`DATABASE_URL must start with file: or postgres(ql)://; got ${url.split(":")[0]}:…`);
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  async adapter() {
    // allowExitOnIdle: an idle pool must not keep the CLI alive for its 30 s idle timeout.
    if (postgres) return new PrismaPg({ ...postgresPoolConfig(url, { max: 2 }), allowExitOnIdle: true });
    const file = path.resolve(url.slice("file:".length));
    ensurePrivateDatabaseFile(file);
    // Migrations that update "Player" fire the ledger trigger, which needs sha3().
    return withLedgerFunctions(new PrismaBetterSQLite3({ url: `file:${file}` }));
  },
});

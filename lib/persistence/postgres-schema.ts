/**
 * The PostgreSQL Prisma schema is generated from the SQLite one (prisma/schema.prisma), so the
 * two data models cannot drift: `npm run db:generate-postgres-schema` writes it, and a unit test
 * fails when the committed file differs from what the generator produces.
 */
export const POSTGRES_SCHEMA_PATH = "prisma/postgres/schema.prisma";

export function postgresSchemaFrom(sqliteSchema: string): string {
  const replaced = sqliteSchema
    .replace('output       = "../lib/persistence/generated"', 'output       = "../../lib/persistence/generated-pg"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  if (!replaced.includes("generated-pg") || !replaced.includes('provider = "postgresql"')) {
    throw new Error("prisma/schema.prisma no longer has the generator output / provider lines the PostgreSQL generator rewrites");
  }
  return `// GENERATED from prisma/schema.prisma by \`npm run db:generate-postgres-schema\`. Do not edit.\n${replaced}`;
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA_PATH, postgresSchemaFrom } from "../../lib/persistence/postgres-schema.ts";

describe("the PostgreSQL Prisma schema", () => {
  it("is exactly what the generator makes from prisma/schema.prisma (run `npm run db:generate-postgres-schema`)", () => {
    expect(readFileSync(POSTGRES_SCHEMA_PATH, "utf8")).toBe(postgresSchemaFrom(readFileSync("prisma/schema.prisma", "utf8")));
  });

  it("has a migration folder for every SQLite migration (same names, so the histories stay in step)", async () => {
    const { readdirSync } = await import("node:fs");
    const folders = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(folders("prisma/postgres/migrations")).toEqual(folders("prisma/migrations"));
  });
});

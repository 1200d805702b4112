/** Writes prisma/postgres/schema.prisma from prisma/schema.prisma (see lib/persistence/postgres-schema.ts). */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { POSTGRES_SCHEMA_PATH, postgresSchemaFrom } from "../lib/persistence/postgres-schema.ts";

const output = postgresSchemaFrom(readFileSync("prisma/schema.prisma", "utf8"));
mkdirSync(path.dirname(POSTGRES_SCHEMA_PATH), { recursive: true });
writeFileSync(POSTGRES_SCHEMA_PATH, output);
console.log(`wrote ${POSTGRES_SCHEMA_PATH}; if the model changed, add a migration under prisma/postgres/migrations too`);

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { generateClientSchema } from "../../clients/typescript/scripts/generate-schema.ts";

const committed = (file: string) => readFileSync(fileURLToPath(new URL(`../../clients/typescript/${file}`, import.meta.url)), "utf8");

it("the TypeScript client's committed document and types equal a fresh generation (run `npm run client:generate`)", async () => {
  const fresh = await generateClientSchema();
  expect(committed("openapi.json"), "clients/typescript/openapi.json is stale: npm run client:generate").toBe(fresh.document);
  expect(committed("src/schema.ts"), "clients/typescript/src/schema.ts is stale: npm run client:generate").toBe(fresh.types);
  // The package's version is the contract's version: a changed document ships as a new package.
  expect((JSON.parse(committed("package.json")) as { version: string }).version, "clients/typescript/package.json version differs from the document's: npm run client:generate").toBe(fresh.version);
  // Generation loads openapi-typescript and the whole route table: seconds on a busy shared machine.
}, 60_000);

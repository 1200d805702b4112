import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateClientSchema } from "./generate-schema.ts";

// `npm run client:generate`: writes the document and its types next to the client.
const { document, types } = await generateClientSchema();
writeFileSync(fileURLToPath(new URL("../openapi.json", import.meta.url)), document);
writeFileSync(fileURLToPath(new URL("../src/schema.ts", import.meta.url)), types);
console.log("client:generate: wrote clients/typescript/openapi.json and clients/typescript/src/schema.ts");

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateClientSchema } from "./generate-schema.ts";

// `npm run client:generate`: writes the document and its types next to the client, and gives the
// package the document's version (the package is the contract's client, so they move together).
const { document, types, version } = await generateClientSchema();
const at = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));
writeFileSync(at("openapi.json"), document);
writeFileSync(at("src/schema.ts"), types);
const manifest = JSON.parse(readFileSync(at("package.json"), "utf8")) as { version: string };
if (manifest.version !== version) writeFileSync(at("package.json"), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
console.log(`client:generate: wrote clients/typescript/openapi.json and clients/typescript/src/schema.ts (version ${version})`);

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runTool } from "./external-tool.ts";

/**
 * A package as a user gets it: `npm pack` (which runs its prepack build) into a fresh, empty folder
 * outside the repository, then `npm install` of those tarballs there — so nothing resolves through
 * the repository's own node_modules, and a file missing from the package's "files" fails the test.
 * `registryPackages` ("name@version") come from the registry by name, as a user's would.
 */
export async function installPackedPackages(packageDirs: string[], registryPackages: string[] = []): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-consumer-"));
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "consumer", version: "0.0.0", private: true })}\n`);
  const tarballs: string[] = [];
  for (const packageDir of packageDirs) {
    const before = new Set(readdirSync(dir));
    const pack = await runTool("npm", ["pack", packageDir, "--pack-destination", dir], { timeoutMs: 180_000 });
    if (pack.code !== 0) throw new Error(`npm pack ${packageDir} failed:\n${pack.stdout}\n${pack.stderr}`);
    const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz") && !before.has(file));
    if (!tarball) throw new Error(`npm pack ${packageDir} wrote no tarball:\n${pack.stdout}`);
    tarballs.push(`./${tarball}`);
  }
  const install = await runTool("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs, ...registryPackages], { cwd: dir, timeoutMs: 300_000 });
  if (install.code !== 0) throw new Error(`npm install in ${dir} failed:\n${install.stdout}\n${install.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, inject, it } from "vitest";
import { runTool } from "../helpers/external-tool.ts";

const env = inject("ops");
const PACKAGE = fileURLToPath(new URL("../../clients/typescript/", import.meta.url));

it("@pnakotic/client builds to plain JavaScript (its install step) and that build talks to the real server", async () => {
  const dist = path.join(PACKAGE, "dist");
  rmSync(dist, { recursive: true, force: true });
  const build = await runTool(path.join(PACKAGE, "../../node_modules/.bin/tsc"), ["-p", path.join(PACKAGE, "tsconfig.json")], { timeoutMs: 90_000 });
  expect(build.code, build.stdout + build.stderr).toBe(0);
  expect(existsSync(path.join(dist, "client.d.ts"))).toBe(true);

  const built = (await import(pathToFileURL(path.join(dist, "client.js")).href)) as typeof import("../../clients/typescript/src/client.ts");
  const client = built.createPnakoticClient({ baseUrl: env.baseUrl, token: env.serviceToken });
  const player = await client.createPlayer({ name: `package-${Date.now()}` });
  const { player: damaged } = await client.damagePlayer(player.id, { amount: 10 });
  expect(damaged.health).toBe(90);
  await expect(client.savePlayer(player.id, { name: player.name, health: 100, maxHealth: 100, experiencePoints: 0, attributes: {}, inventory: [], statusEffects: [] }, player.version, { merge: false })).rejects.toBeInstanceOf(built.StaleDataError);
  expect((await client.getPlayer(player.id)).health).toBe(90);
});

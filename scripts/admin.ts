/**
 * Operator CLI. Usage (from the project folder):
 *   npm run admin -- user create <username> <viewer|support|admin> [--password <pw>]   (prints a generated password if omitted)
 *   npm run admin -- user list
 *   npm run admin -- user disable <username>
 *   npm run admin -- token create <name> [--role service|viewer|support|admin]          (prints the token once)
 *   npm run admin -- token list
 *   npm run admin -- token revoke <name>
 *   npm run admin -- stats list
 *   npm run admin -- stats apply <file.json>                                               ({ "stats": [ … ] }; see README "Declaring your game's stats")
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { getConfig } from "../lib/config.ts";
import { createApiToken, createStaffUser, revokeApiToken } from "../lib/auth/staff-users.ts";
import { randomPassword } from "../lib/auth/secrets.ts";
import { roles, staffRoles } from "../lib/auth/roles.ts";
import { AppError } from "../lib/errors/app-error.ts";
import { createPrismaClient } from "../lib/persistence/prisma-client.ts";
import { parseInput } from "../lib/validation/parse-input.ts";
import { readFileSync } from "node:fs";
import { createPersistenceContext } from "../lib/runtime/create-persistence-context.ts";
import type { PersistenceContext } from "../lib/persistence/persistence-context.ts";
import { declareStats } from "../lib/stats/declare-stats.ts";
import { statsFileSchema } from "../lib/stats/stat-definition.ts";

const USAGE = `usage:
  npm run admin -- user create <username> <viewer|support|admin> [--password <pw>]
  npm run admin -- user list
  npm run admin -- user disable <username>
  npm run admin -- token create <name> [--role service|viewer|support|admin]
  npm run admin -- token list
  npm run admin -- token revoke <name>
  npm run admin -- stats list
  npm run admin -- stats apply <file.json>`;

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { password: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } },
});

const db = createPrismaClient(getConfig());
/** The persistence context, for commands that go through the domain layer (opened on first use). */
let persistence: PersistenceContext | undefined;
const domain = () => (persistence ??= createPersistenceContext(getConfig(), { instanceId: "admin-cli" }));
const operator = { actor: { name: `cli:${process.env.USER ?? "operator"}`, kind: "staff" as const } };

async function main(): Promise<void> {
  const [noun, verb, ...rest] = positionals;
  const command = `${noun ?? ""} ${verb ?? ""}`;
  if (values.help || !noun) {
    console.log(USAGE);
    return;
  }
  switch (command) {
    case "user create": {
      const [username, role] = rest;
      if (!username || !role) throw new AppError("invalid_input", "user create needs <username> and <role>");
      const password = values.password ?? randomPassword();
      const user = await createStaffUser(db, { username, password, role: parseInput(z.enum(staffRoles), role, "role") });
      console.log(`created ${user.role} "${user.username}"${values.password ? "" : ` with password: ${password}`}`);
      return;
    }
    case "user list": {
      const users = await db.user.findMany({ orderBy: { username: "asc" }, select: { username: true, role: true, createdAt: true, disabledAt: true } });
      for (const user of users) console.log(`${user.username.padEnd(24)} ${user.role.padEnd(8)} created ${user.createdAt.toISOString()}${user.disabledAt ? "  DISABLED" : ""}`);
      if (users.length === 0) console.log("no users yet: npm run admin -- user create <username> admin");
      return;
    }
    case "user disable": {
      const [username] = rest;
      const result = await db.user.updateMany({ where: { username: username ?? "", disabledAt: null }, data: { disabledAt: new Date() } });
      if (result.count === 0) throw new AppError("not_found", `no active user named "${username}"`);
      await db.session.deleteMany({ where: { user: { username: username ?? "" } } });
      console.log(`disabled "${username}" and ended their sessions`);
      return;
    }
    case "token create": {
      const [name] = rest;
      if (!name) throw new AppError("invalid_input", "token create needs <name>");
      const role = parseInput(z.enum(roles), values.role ?? "service", "role");
      const token = await createApiToken(db, { name, role });
      console.log(`created ${token.role} token "${token.name}". It is shown once; store it now:\n${token.token}`);
      return;
    }
    case "token list": {
      const tokens = await db.apiToken.findMany({ orderBy: { name: "asc" } });
      for (const token of tokens) {
        console.log(`${token.name.padEnd(28)} ${token.role.padEnd(8)} last used ${token.lastUsedAt?.toISOString() ?? "never"}${token.revokedAt ? "  REVOKED" : ""}`);
      }
      if (tokens.length === 0) console.log("no tokens yet: npm run admin -- token create <name>");
      return;
    }
    case "token revoke": {
      const [name] = rest;
      await revokeApiToken(db, name ?? "");
      console.log(`revoked "${name}"`);
      return;
    }
    case "stats list": {
      for (const stat of await domain().stats.list()) {
        const upper = stat.maxStat ?? String(stat.max);
        console.log(`${stat.key.padEnd(16)} ${stat.label.padEnd(16)} [${stat.min}, ${upper}] default ${stat.default}${stat.ledgered ? "" : "  (not ledgered)"}${stat.builtin ? "  built-in" : ""}`);
      }
      return;
    }
    case "stats apply": {
      const [file] = rest;
      if (!file) throw new AppError("invalid_input", "stats apply needs <file.json>");
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new AppError("invalid_input", `cannot read ${file}: ${(error as Error).message}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new AppError("invalid_input", `${file} is not JSON: ${(error as Error).message}`);
      }
      const { stats } = parseInput(statsFileSchema, json, file);
      console.log(`declaring ${stats.length} stats from ${file}…`);
      const all = await declareStats(domain(), stats, operator);
      console.log(`done: ${all.length} stats (${all.filter((stat) => !stat.builtin).length} declared). Running instances pick them up within 2 s.`);
      return;
    }
    default:
      throw new AppError("invalid_input", `unknown command "${positionals.join(" ")}"\n${USAGE}`);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof AppError ? `admin: ${error.message}` : error);
    process.exitCode = error instanceof AppError ? 2 : 1;
  })
  .finally(async () => {
    await db.$disconnect();
    if (persistence) {
      await persistence.bus.close();
      await persistence.writer.close();
      await persistence.db.$disconnect();
    }
  });

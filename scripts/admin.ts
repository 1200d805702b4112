/**
 * Operator CLI. Usage (from the project folder):
 *   npm run admin -- user create <username> <viewer|support|admin> [--password <pw>]   (prints a generated password if omitted)
 *   npm run admin -- user list
 *   npm run admin -- user disable <username>
 *   npm run admin -- token create <name> [--role service|viewer|support|admin]          (prints the token once)
 *   npm run admin -- token list
 *   npm run admin -- token revoke <name>
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { getConfig } from "../lib/config.ts";
import { createApiToken, createStaffUser, revokeApiToken } from "../lib/auth/staff-users.ts";
import { randomPassword } from "../lib/auth/secrets.ts";
import { roles, staffRoles } from "../lib/auth/roles.ts";
import { AppError } from "../lib/errors/app-error.ts";
import { createPrismaClient } from "../lib/persistence/prisma-client.ts";
import { parseInput } from "../lib/persistence/player-inputs.ts";

const USAGE = `usage:
  npm run admin -- user create <username> <viewer|support|admin> [--password <pw>]
  npm run admin -- user list
  npm run admin -- user disable <username>
  npm run admin -- token create <name> [--role service|viewer|support|admin]
  npm run admin -- token list
  npm run admin -- token revoke <name>`;

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { password: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } },
});

const db = createPrismaClient(getConfig());

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
  });

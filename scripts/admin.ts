/**
 * Operator CLI. Usage (from the project folder):
 *   npm run admin -- user create <username> <viewer|support|admin> [--password <pw>]   (prints a generated password if omitted)
 *   npm run admin -- user list
 *   npm run admin -- user disable <username>
 *   npm run admin -- token create <name> [--role service|viewer|support|admin] [--scope test-players]  (prints the token once)
 *   npm run admin -- token list
 *   npm run admin -- token revoke <name>
 *   npm run admin -- stats list
 *   npm run admin -- stats apply <file.json>                                               ({ "stats": [ … ] }; see README "Declaring your game's stats")
 *   npm run admin -- ledger export <player id or name> [--out <file.jsonl>]               (JSON Lines with the chain head; stdout without --out)
 *   npm run admin -- ledger verify <file.jsonl> [--head <hash>] [--contains <hash>]        (offline, with the signing key; exit 1 if anything does not verify)
 *   npm run admin -- ledger prune --older-than <N>d [--apply]                              (shows the plan; --apply carries it out)
 *   npm run admin -- integrity check [--full]                                             (runs the check here; --full re-verifies all history; exit 1 on findings)
 *   npm run admin -- import sqlite <players.db> [--mapping <file.json>] [--apply] [--report <file.json>]
 *   npm run admin -- import ranvier <data/player> [--mapping <file.json>] [--apply] [--report <file.json>]
 *                                                                                          (dry run unless --apply; see README "Importing existing players")
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
import { createReadStream, createWriteStream, openSync, readFileSync, writeFileSync } from "node:fs";
import { access } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { exportPlayerLedger, verifyLedgerExport } from "../lib/ledger/ledger-export.ts";
import { loadLedgerSigner } from "../lib/ledger/ledger-signing.ts";
import { runIntegrityCheck } from "../lib/integrity/run-integrity-check.ts";
import { applyPrune, parseRetention, planPrune } from "../lib/ledger/prune-ledger.ts";
import { createPersistenceContext } from "../lib/runtime/create-persistence-context.ts";
import type { PersistenceContext } from "../lib/persistence/persistence-context.ts";
import { tokenScopes } from "../lib/auth/token-scope.ts";
import { declareStats } from "../lib/stats/declare-stats.ts";
import { declareGameRules, getGameRules } from "../lib/stats/declare-game-rules.ts";
import { statsFileSchema } from "../lib/stats/stats-file.ts";
import { appendixCDefaultMapping, importMappingSchema, ranvierDefaultMapping } from "../lib/import/import-mapping.ts";
import { runImport } from "../lib/import/run-import.ts";
import { appendixCRecords, ranvierRecords } from "../lib/import/source-records.ts";
import { printImportReport } from "../lib/import/print-import-report.ts";

const USAGE = `usage:
  npm run admin -- user create <username> <viewer|support|admin> [--password <pw>]
  npm run admin -- user list
  npm run admin -- user disable <username>
  npm run admin -- token create <name> [--role service|viewer|support|admin] [--scope test-players]
  npm run admin -- token list
  npm run admin -- token revoke <name>
  npm run admin -- stats list
  npm run admin -- stats apply <file.json>                ({ "stats": [ … ], "rules": { … } }; rules optional)
  npm run admin -- ledger export <player id or name> [--out <file.jsonl>]
  npm run admin -- ledger verify <file.jsonl> [--head <hash>] [--contains <old head>]
  npm run admin -- ledger prune --older-than <N>d [--apply]
  npm run admin -- integrity check [--full]
  npm run admin -- import sqlite <players.db> [--mapping <file.json>] [--apply] [--report <file.json>]
  npm run admin -- import ranvier <data/player> [--mapping <file.json>] [--apply] [--report <file.json>]`;

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    password: { type: "string" },
    role: { type: "string" },
    scope: { type: "string" },
    out: { type: "string" },
    head: { type: "string" },
    contains: { type: "string" },
    full: { type: "boolean" },
    "older-than": { type: "string" },
    apply: { type: "boolean" },
    mapping: { type: "string" },
    report: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
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
      const scope = values.scope === undefined ? null : parseInput(z.enum(tokenScopes), values.scope, "scope");
      const token = await createApiToken(db, { name, role, scope });
      console.log(`created ${token.role} token "${token.name}"${scope ? ` (scope ${scope})` : ""}. It is shown once; store it now:\n${token.token}`);
      return;
    }
    case "token list": {
      const tokens = await db.apiToken.findMany({ orderBy: { name: "asc" } });
      for (const token of tokens) {
        console.log(`${token.name.padEnd(28)} ${token.role.padEnd(8)} ${(token.scope ?? "").padEnd(13)} last used ${token.lastUsedAt?.toISOString() ?? "never"}${token.revokedAt ? "  REVOKED" : ""}`);
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
      console.log(`rules: ${JSON.stringify((await getGameRules(domain())).inForce)}`);
      return;
    }
    case "stats apply": {
      const [file] = rest;
      if (!file) throw new AppError("invalid_input", "stats apply needs <file.json>");
      const { stats, rules } = parseInput(statsFileSchema, readJsonFile(file), file);
      console.log(`declaring ${stats.length} stats${rules ? " and the game's rules" : ""} from ${file}…`);
      const all = await declareStats(domain(), stats, operator);
      if (rules) console.log(`rules in force: ${JSON.stringify((await declareGameRules(domain(), rules, operator)).inForce)}`);
      console.log(`done: ${all.length} stats (${all.filter((stat) => !stat.builtin).length} declared). Running instances pick them up within 2 s.`);
      return;
    }
    case "ledger export": {
      const [player] = rest;
      if (!player) throw new AppError("invalid_input", "ledger export needs <player id or name>");
      let out: NodeJS.WritableStream & { end: (callback: (error?: Error | null) => void) => void } = process.stdout;
      if (values.out) {
        try {
          // Never overwrites: an old export may be the evidence.
          out = createWriteStream("", { fd: openSync(values.out, "wx", 0o600) });
        } catch (error) {
          throw new AppError("invalid_input", `cannot create ${values.out}: ${(error as Error).message}`);
        }
      }
      const progress = (rows: number) => values.out && rows % 50_000 === 0 && console.error(`… ${rows.toLocaleString("en")} rows`);
      let head = "";
      try {
        for await (const line of exportPlayerLedger(domain(), player, progress)) {
          if (line.startsWith('{"type":"end"')) head = (JSON.parse(line) as { head: string }).head;
          if (!out.write(`${line}\n`)) await once(out, "drain");
        }
      } finally {
        if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      }
      if (values.out) console.error(`wrote ${values.out}; chain head ${head}\nKeep the head somewhere else: \`ledger verify ${values.out} --head ${head}\` proves the file unchanged later.`);
      return;
    }
    case "ledger verify": {
      const [file] = rest;
      if (!file) throw new AppError("invalid_input", "ledger verify needs <file.jsonl>");
      let input: ReturnType<typeof createInterface>;
      try {
        await access(file);
        input = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
      } catch (error) {
        throw new AppError("invalid_input", `cannot read ${file}: ${(error as Error).message}`);
      }
      // The signing key checks the export's prune base and checkpoint (never read from the database).
      const signer = loadLedgerSigner(getConfig());
      const verdict = await verifyLedgerExport(input, { expectedHead: values.head, contains: values.contains, signer });
      if (verdict.ok) {
        console.log(`ok: ${verdict.rows.toLocaleString("en")} rows of player ${verdict.playerId} verify (${verdict.algorithm}, key ${signer.keyId}); chain head ${verdict.head}`);
        if (values.contains !== undefined) console.log(`contains ${values.contains}: the chain passes through it after event ${verdict.contains}`);
        return;
      }
      console.log(`NOT VERIFIED: ${file}`);
      for (const line of verdict.problems) console.log(`  - ${line}`);
      process.exitCode = 1;
      return;
    }
    case "integrity check": {
      // The whole check in this process, to its end (no time budget); --full re-verifies all history.
      const report = await runIntegrityCheck(domain(), { trigger: "manual", actor: operator.actor.name, scope: values.full ? "full" : "incremental" });
      const run = report.run!;
      console.log(`${run.status}: ${run.playersScanned} players, ${run.eventsScanned} new rows, ${run.eventsResampled} re-verified, ${run.findingCount} findings (${run.durationMs} ms)`);
      for (const finding of report.findings) console.log(`  - [${finding.kind}] ${finding.playerName}: ${finding.message}`);
      if (run.findingCount > 0) process.exitCode = 1;
      return;
    }
    case "ledger prune": {
      if (!values["older-than"]) throw new AppError("invalid_input", "ledger prune needs --older-than <N>d, like --older-than 90d");
      const days = parseRetention(values["older-than"]);
      const cutoff = new Date(Date.now() - days * 86_400_000);
      const plan = await planPrune(domain(), cutoff);
      console.log(`ledger rows older than ${days} days (before ${plan.cutoff}): ${plan.rows.toLocaleString("en")} rows of ${plan.players.length} players`);
      for (const entry of plan.players.slice(0, 20)) console.log(`  ${entry.playerName.padEnd(24)} ${String(entry.rows).padStart(9)} rows, through event ${entry.throughEventId} (${entry.throughAt})`);
      if (plan.players.length > 20) console.log(`  … and ${plan.players.length - 20} more players`);
      if (!values.apply) {
        console.log(plan.rows > 0 ? "Nothing was changed. Run again with --apply to remove them (each player's state and chain head at the cut are kept)." : "Nothing to prune.");
        return;
      }
      const result = await applyPrune(domain(), plan, {
        actor: operator.actor.name,
        onProgress: (done, total) => (done % 100 === 0 || done === total) && console.log(`… ${done}/${total} players`),
      });
      console.log(`pruned ${result.rows.toLocaleString("en")} rows of ${result.players} players`);
      for (const skipped of result.skipped) console.log(`  SKIPPED ${skipped.playerName}: ${skipped.reason}`);
      if (result.skipped.length > 0) process.exitCode = 1;
      return;
    }
    case "import sqlite":
    case "import ranvier": {
      const [from] = rest;
      if (!from) throw new AppError("invalid_input", `import ${verb} needs <${verb === "sqlite" ? "players.db" : "data/player directory"}>`);
      const mapping = values.mapping ? parseInput(importMappingSchema, readJsonFile(values.mapping), "mapping") : verb === "sqlite" ? appendixCDefaultMapping : ranvierDefaultMapping;
      const records = verb === "sqlite" ? appendixCRecords(from) : ranvierRecords(from);
      const report = await runImport(domain(), records, mapping, {
        apply: values.apply === true,
        actor: operator.actor.name,
        onProgress: (progress) => console.error(`… ${progress.read.toLocaleString("en")} read: ${progress.created.toLocaleString("en")} ${progress.dryRun ? "would be created" : "created"}, ${progress.unchanged.toLocaleString("en")} already in, ${progress.refused.length.toLocaleString("en")} refused`),
      });
      printImportReport(report, (line) => console.log(line));
      if (values.report) writeFileSync(values.report, `${JSON.stringify(report, null, 2)}\n`, { flag: "wx", mode: 0o600 });
      if (report.refused.length > 0) process.exitCode = 1;
      return;
    }
    default:
      throw new AppError("invalid_input", `unknown command "${positionals.join(" ")}"\n${USAGE}`);
  }
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new AppError("invalid_input", `cannot read ${file} as JSON: ${(error as Error).message}`);
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

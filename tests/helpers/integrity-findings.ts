import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import type { PersistenceContext } from "../../lib/persistence/persistence-context.ts";

/** Runs the integrity check now and lists its findings as "kind: message" (an empty list is a clean bill). */
export async function integrityFindings(ctx: PersistenceContext): Promise<string[]> {
  return (await runIntegrityCheck(ctx, { trigger: "manual", actor: "test" })).findings.map((finding) => `${finding.kind}: ${finding.message}`);
}

/** Closes a second instance opened with createSecondInstance. */
export async function closeInstance(ctx: PersistenceContext): Promise<void> {
  await ctx.bus.close();
  await ctx.writer.close();
  await ctx.db.$disconnect();
}

import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { findUnbalancedTransfers, findUnexplainedChanges, readSupplyBalance } from "../persistence/conservation-ledger.ts";
import type { StatDefinition } from "../stats/stat-definition.ts";
import type { Anomaly } from "./find-anomalies.ts";

/**
 * Proves every conserved stat was conserved, from the ledger (the trigger writes it, so no write
 * escapes it unless the trigger itself is bypassed — which the supply total then shows):
 * - every transfer's two rows sum to zero;
 * - every other change of the stat names a declared source (an increase) or sink (a decrease);
 * - the total supply equals what players started with (the stat's default, which creation enforces)
 *   plus the declared sources minus the declared sinks.
 * Each failure is a `conservation` finding naming the events involved.
 */
export async function checkConservation(ctx: PersistenceContext, stats: Map<string, StatDefinition>): Promise<Anomaly[]> {
  const findings: Anomaly[] = [];
  for (const stat of stats.values()) {
    if (!stat.conserved) continue;
    for (const transfer of await findUnbalancedTransfers(ctx.writer, stat)) {
      findings.push({
        kind: "conservation",
        severity: "error",
        playerId: transfer.playerId,
        playerName: "",
        message: `transfer ${transfer.transferId ?? "(no transfer id)"} of ${stat.key} does not balance: its ${transfer.rows} rows sum to ${transfer.total}`,
        eventIds: transfer.eventIds,
        detail: { stat: stat.key, rule: "transfer_balance", transferId: transfer.transferId, total: transfer.total, rows: transfer.rows },
      });
    }
    for (const row of await findUnexplainedChanges(ctx.writer, stat)) {
      findings.push({
        kind: "conservation",
        severity: "error",
        playerId: row.playerId,
        playerName: row.playerName,
        message: `${stat.key} is conserved, but event ${row.id} changed it by ${row.delta} (${row.reason}${row.source ? `, source ${row.source}` : ""}) — not a transfer, declared source or declared sink`,
        eventIds: [row.id],
        detail: { stat: stat.key, rule: "undeclared_flow", reason: row.reason, delta: row.delta, source: row.source },
      });
    }
    const balance = await readSupplyBalance(ctx.writer, stat);
    const expected = balance.players * stat.default + balance.flow;
    if (balance.supply !== expected) {
      findings.push({
        kind: "conservation",
        severity: "error",
        playerId: "",
        playerName: "",
        message: `${stat.key} supply is ${balance.supply}, but ${balance.players} players × ${stat.default} (default) + sources − sinks (${balance.flow}) = ${expected}: ${balance.supply - expected} changed behind the ledger`,
        eventIds: [],
        detail: { stat: stat.key, rule: "total_supply", supply: balance.supply, expected, players: balance.players, flow: balance.flow },
      });
    }
  }
  return findings;
}

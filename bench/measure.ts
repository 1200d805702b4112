import { performance } from "node:perf_hooks";

export interface Measurement {
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Runs `operation(worker, i)` from `concurrency` workers until `durationMs` has passed; returns
 * throughput and latency percentiles. A failing operation fails the benchmark (no silent errors).
 */
export async function measure(
  operation: (worker: number, iteration: number) => Promise<unknown> | unknown,
  options: { durationMs: number; concurrency: number; warmupMs?: number },
): Promise<Measurement> {
  const run = async (durationMs: number, record: boolean) => {
    const latencies: number[] = [];
    const deadline = performance.now() + durationMs;
    let ops = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, worker) => {
        let iteration = 0;
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await operation(worker, iteration++);
          if (record) latencies.push(performance.now() - t0);
          ops += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { ops, seconds, opsPerSec: ops / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  };
  if (options.warmupMs) await run(options.warmupMs, false);
  return run(options.durationMs, true);
}

export function round(value: number, digits = 2): number {
  return Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value;
}

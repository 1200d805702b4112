import type { AppServer } from "./app-server.ts";

/**
 * Crash tests' load: `clients` loops each send one request after another (numbered by a shared
 * sequence) until the server is killed with SIGKILL after `ms` (and once `enough` holds). A loop ends at its first request
 * that threw — the connection died with the server, so that request may or may not have committed.
 * Returns those in-flight sequence numbers once every loop has ended.
 */
const KILL_DEADLINE_MS = 60_000;

export async function streamUntilKilled(
  server: AppServer,
  options: { clients: number; ms: number; enough: () => boolean },
  send: (clientIndex: number, sequence: number) => Promise<void>,
): Promise<number[]> {
  const inFlight: number[] = [];
  let sequence = 0;
  let stop = false;
  const client = async (clientIndex: number) => {
    while (!stop) {
      sequence += 1;
      const mine = sequence;
      try {
        await send(clientIndex, mine);
      } catch {
        inFlight.push(mine);
        return;
      }
    }
  };
  const streaming = Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  // At least `ms`, and until `enough` holds: on a busy machine the first requests are slow, and a
  // kill before enough were acknowledged would prove little. Bounded, so a stuck server still fails.
  const started = Date.now();
  while (Date.now() - started < options.ms || (!options.enough() && Date.now() - started < KILL_DEADLINE_MS)) await new Promise((resolve) => setTimeout(resolve, 50));
  await server.kill();
  stop = true;
  await streaming;
  return inFlight;
}

/*
 * One ordered lane per key (a player id or name). A game changes state synchronously while each
 * HTTP write is asynchronous: two writes for the same player sent back to back can arrive in either
 * order, and a heal that overtakes the damage before it is refused (or applied to the wrong
 * value). Tasks with the same key run one after the other, in the order they were queued; tasks
 * with different keys run concurrently. A failed task does not stop the lane: its promise rejects
 * for the caller who queued it, and the next task still runs.
 */

export interface OrderedQueue {
  /** Queues `task` behind every task already queued for `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves when every task queued so far for `key` (or for every key) has settled. */
  idle(key?: string): Promise<void>;
  /** Tasks queued for `key` that have not settled yet. */
  pending(key: string): number;
}

export function createOrderedQueue(): OrderedQueue {
  const tails = new Map<string, { tail: Promise<void>; pending: number }>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const lane = tails.get(key) ?? { tail: Promise.resolve(), pending: 0 };
      lane.pending += 1;
      const result = lane.tail.then(task);
      // The lane's tail never rejects, so one refusal does not poison the writes queued behind it;
      // the caller still sees the rejection through `result`.
      lane.tail = result.then(
        () => undefined,
        () => undefined,
      ).finally(() => {
        lane.pending -= 1;
        if (lane.pending === 0 && tails.get(key) === lane) tails.delete(key);
      });
      tails.set(key, lane);
      return result;
    },
    async idle(key?: string): Promise<void> {
      const lanes = key === undefined ? [...tails.values()] : [tails.get(key)].filter((lane) => lane !== undefined);
      await Promise.all(lanes.map((lane) => lane.tail));
    },
    pending: (key: string) => tails.get(key)?.pending ?? 0,
  };
}

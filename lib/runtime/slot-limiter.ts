/**
 * Counts long-lived work (export downloads, live streams) per caller and per process, so one
 * caller cannot take every slot. `exempt` slots (an admin's live stream) are counted but never
 * refused: the operator must always be able to look.
 */
export type SlotRefusal = "caller" | "total";

export type SlotGrant = { ok: true; release: () => void } | { ok: false; refusedBy: SlotRefusal };

export class SlotLimiter {
  private readonly perCaller = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { total: number; perCaller: number }) {}

  get inUse(): number {
    return this.total;
  }

  acquire(callerKey: string, options: { exempt?: boolean } = {}): SlotGrant {
    const held = this.perCaller.get(callerKey) ?? 0;
    if (!options.exempt) {
      if (held >= this.limits.perCaller) return { ok: false, refusedBy: "caller" };
      if (this.total >= this.limits.total) return { ok: false, refusedBy: "total" };
    }
    this.perCaller.set(callerKey, held + 1);
    this.total += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        // Idempotent: a stream may end by close, cancel and error in any order.
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.perCaller.get(callerKey) ?? 1) - 1;
        if (left <= 0) this.perCaller.delete(callerKey);
        else this.perCaller.set(callerKey, left);
      },
    };
  }
}

/** The key a caller's slots are counted under: one per session user or token. */
export function callerSlotKey(caller: { via: string; id: string }): string {
  return `${caller.via}:${caller.id}`;
}

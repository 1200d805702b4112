/** A random source that replays exactly from its seed. */
export interface SeededRandom {
  /** A whole number in [min, max], both included. */
  integer(min: number, max: number): number;
}

/**
 * mulberry32: 32 bits of state, fast, and good enough for dice. The same seed always yields the
 * same sequence, which is what makes a deterministic encounter replayable.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { integer: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

// Preload for the Prisma CLI (NODE_OPTIONS=--require ./scripts/unref-long-timers.cjs): its Wasm
// schema engine leaves 10 s and 60 s timers running after `migrate deploy` has finished, so the
// command lingers for up to a minute. Unref'd long timers still fire if the process is alive
// anyway; they just no longer keep it alive. tests/integration/upstream-workarounds.test.ts fails
// the day the CLI stops lingering without this (then delete it) or lingers despite it.
"use strict";
const LONG_MS = 5_000;
for (const name of ["setTimeout", "setInterval"]) {
  const original = globalThis[name];
  globalThis[name] = function patched(callback, delay, ...args) {
    const timer = original.call(this, callback, delay, ...args);
    if (typeof delay === "number" && delay >= LONG_MS && timer && typeof timer.unref === "function") timer.unref();
    return timer;
  };
}

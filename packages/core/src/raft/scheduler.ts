/**
 * The time and deferral a Raft consensus needs, injected so core stays free of timers. The
 * runtime implements it with setInterval / setImmediate; tests and simulations use
 * {@link createManualScheduler}, which only moves when told to.
 */

/** Repeating ticks and deferred work. */
export interface Scheduler {
  /** Calls `fn` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, fn: () => void): () => void;
  /** Runs `fn` after the current synchronous work (proposals made together batch up). */
  defer(fn: () => void): void;
}

/** A {@link Scheduler} driven by hand: `runDeferred()` and `advance(ms)`. */
export interface ManualScheduler extends Scheduler {
  /** Runs deferred work until none is left (or `limit` callbacks ran); returns how many ran. */
  runDeferred(limit?: number): number;
  /** Moves time forward, firing due intervals (each followed by the deferred work). */
  advance(ms: number): void;
  /** The scheduler's time in ms. */
  now(): number;
}

/** Creates a {@link ManualScheduler} at time 0. Deterministic. */
export function createManualScheduler(): ManualScheduler {
  let now = 0;
  let deferred: (() => void)[] = [];
  let seq = 0;
  const timers = new Map<number, { every: number; due: number; fn: () => void }>();
  const runDeferred = (limit = 1_000_000): number => {
    let n = 0;
    while (deferred.length > 0 && n < limit) {
      const batch = deferred;
      deferred = [];
      for (const f of batch) {
        f();
        n++;
      }
    }
    return n;
  };
  return {
    every(intervalMs, fn) {
      if (!(intervalMs > 0)) throw new RangeError(`scheduler: interval must be positive, got ${intervalMs}`);
      const id = ++seq;
      timers.set(id, { every: intervalMs, due: now + intervalMs, fn });
      return () => timers.delete(id);
    },
    defer(fn) {
      deferred.push(fn);
    },
    runDeferred,
    advance(ms) {
      const end = now + ms;
      runDeferred();
      while (true) {
        let next: { every: number; due: number; fn: () => void } | undefined;
        for (const t of timers.values()) if (t.due <= end && (!next || t.due < next.due)) next = t;
        if (!next) break;
        now = next.due;
        next.due += next.every;
        next.fn();
        runDeferred();
      }
      now = end;
    },
    now: () => now,
  };
}

/**
 * Time for core code: always injected, never read from the wall. Nanoseconds since the epoch.
 */

/** A source of the current time in ns since the Unix epoch. */
export interface Clock {
  now(): number;
}

/**
 * A clock that only moves when told to; for tests and simulation.
 * @example
 *   const clock = new ManualClock(0);
 *   clock.advance(parseGoDuration('30s'));
 */
export class ManualClock implements Clock {
  private t: number;

  constructor(startNs = 0) {
    this.t = startNs;
  }

  /** The current time (ns). */
  now(): number {
    return this.t;
  }

  /** Sets the time (ns). Effects: mutates this clock. */
  set(ns: number): void {
    this.t = ns;
  }

  /** Moves the time forward by `ns` (may be negative for tests). Effects: mutates this clock. */
  advance(ns: number): void {
    this.t += ns;
  }
}

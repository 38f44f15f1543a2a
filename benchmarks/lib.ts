/** Shared shapes and helpers for benchmarks (see run.ts). */

export interface BenchOptions {
  /** A seconds-long version, for smoke runs. */
  quick: boolean;
}

export interface BenchResult {
  /** The numbers that matter, printed as the one-line summary. */
  summary: Record<string, unknown>;
  /** Everything else worth keeping in results/<name>.json. */
  details?: unknown;
}

export interface BenchModule {
  default: (opts: BenchOptions) => Promise<BenchResult>;
}

/** Runs `fn` repeatedly for at least `minMs` (after a warm-up) and returns ops per second. */
export function opsPerSecond(
  fn: () => void,
  minMs: number,
): { ops: number; perSecond: number; msPerOp: number } {
  for (let i = 0; i < 3; i++) fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return { ops, perSecond: (ops * 1000) / elapsed, msPerOp: elapsed / ops };
}

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

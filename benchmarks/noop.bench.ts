// The smallest benchmark: proves the runner works end to end.
import type { BenchOptions, BenchResult } from './lib.js';
import { opsPerSecond } from './lib.js';

export default async function run(opts: BenchOptions): Promise<BenchResult> {
  let x = 0;
  const r = opsPerSecond(
    () => {
      for (let i = 0; i < 1000; i++) x += i;
    },
    opts.quick ? 50 : 500,
  );
  return { summary: { loopsPerSecond: Math.round(r.perSecond), sink: x > 0 } };
}

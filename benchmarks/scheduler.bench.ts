/**
 * `npm run bench -- scheduler`: runs the case modules of benchmarks/scheduler/ (each default-exports
 * `async (opts) => rows[]`) and summarises the rows.
 */
import type { BenchOptions, BenchResult } from './lib.js';
import placement from './scheduler/placement.js';
import updates from './scheduler/updates.js';

/** One measured cell of a case module. */
export interface SchedulerBenchRow {
  case: string;
  name: string;
  msPerEval: number;
  placementsPerSecond: number;
  [k: string]: unknown;
}

/** The case modules, in order. */
const CASES: ((o: BenchOptions) => Promise<SchedulerBenchRow[]>)[] = [placement, updates];

export default async function run(opts: BenchOptions): Promise<BenchResult> {
  const rows: SchedulerBenchRow[] = [];
  for (const run of CASES) rows.push(...(await run(opts)));
  const summary: Record<string, unknown> = {};
  for (const r of rows) {
    if (!r.headline) continue;
    const cpu = typeof r.cpuMsPerEval === 'number' ? ` (${r.cpuMsPerEval.toFixed(2)} ms CPU)` : '';
    summary[`${r.case}: ${r.name}`] =
      `${r.msPerEval.toFixed(2)} ms/eval${cpu}, ${Math.round(r.placementsPerSecond)} placements/s`;
  }
  return { summary, details: rows };
}

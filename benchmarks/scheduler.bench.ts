/**
 * `npm run bench -- scheduler`: runs every case module in benchmarks/scheduler/ (each default-exports
 * `async (opts) => rows[]`) and summarises the rows.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOptions, BenchResult } from './lib.js';

/** One measured cell of a case module. */
export interface SchedulerBenchRow {
  case: string;
  name: string;
  msPerEval: number;
  placementsPerSecond: number;
  [k: string]: unknown;
}

const here = join(dirname(fileURLToPath(import.meta.url)), 'scheduler');

export default async function run(opts: BenchOptions): Promise<BenchResult> {
  const rows: SchedulerBenchRow[] = [];
  for (const f of readdirSync(here)
    .filter((x) => x.endsWith('.ts'))
    .sort()) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as {
      default: (o: BenchOptions) => Promise<SchedulerBenchRow[]>;
    };
    rows.push(...(await mod.default(opts)));
  }
  const summary: Record<string, unknown> = {};
  for (const r of rows) {
    if (!r.headline) continue;
    const cpu = typeof r.cpuMsPerEval === 'number' ? ` (${r.cpuMsPerEval.toFixed(2)} ms CPU)` : '';
    summary[`${r.case}: ${r.name}`] =
      `${r.msPerEval.toFixed(2)} ms/eval${cpu}, ${Math.round(r.placementsPerSecond)} placements/s`;
  }
  return { summary, details: rows };
}

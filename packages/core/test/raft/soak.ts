/**
 * Long local soak of the Raft simulator: batches of random schedules with fresh seeds until
 * the time is up, longer schedules than CI's. On a violation it prints the seed, the
 * fast-check path and the shrunk schedule, and exits 1.
 *
 *   npx tsx packages/core/test/raft/soak.ts [--minutes 10] [--actions 150] [--seed N]
 *   npx tsx packages/core/test/raft/soak.ts --seed N --path P   # replay one failure
 */
import fc from 'fast-check';
import { runSchedule, scheduleArb } from './sim/schedule.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const minutes = Number(opt('minutes') ?? 10);
const maxActions = Number(opt('actions') ?? 150);
const path = opt('path');
let seed = Number(opt('seed') ?? Math.floor(Math.random() * 0x7fffffff));
const batch = 1000;
const property = fc.property(scheduleArb(maxActions), (s) => {
  runSchedule(s);
});

const deadline = Date.now() + minutes * 60_000;
let total = 0;
const started = Date.now();
do {
  const r = fc.check(property, path ? { seed, path, numRuns: 1 } : { seed, numRuns: batch });
  total += r.numRuns;
  if (r.failed) {
    console.error(`VIOLATION after ${total} schedules`);
    console.error(
      `replay: npx tsx packages/core/test/raft/soak.ts --actions ${maxActions} --seed ${r.seed} --path ${r.counterexamplePath}`,
    );
    console.error(`schedule: ${JSON.stringify(r.counterexample)}`);
    console.error(String(r.errorInstance));
    process.exit(1);
  }
  if (path) break;
  const rate = Math.round((total * 1000) / (Date.now() - started));
  console.log(`seed ${seed}: ok — ${total} schedules so far, ${rate}/s`);
  seed = (seed + 1) & 0x7fffffff;
} while (Date.now() < deadline);
console.log(`soak: ${total} schedules, no violation`);

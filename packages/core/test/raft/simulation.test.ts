/**
 * Deterministic simulation of Raft clusters under faults. Each run checks election safety,
 * log matching, leader completeness, state machine safety, monotonic term and commit, and one
 * vote per term after every event; then heals the cluster and checks liveness and the
 * linearizability of the clients' history.
 *
 * Replay a failure with the printed fast-check seed: FC_SEED=<seed> npx vitest run
 * packages/core/test/raft/simulation.test.ts (the counterexample is printed shrunk). More runs:
 * RAFT_SIM_RUNS=100000; or the soak loop: npx tsx packages/core/test/raft/soak.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSchedule, scheduleArb } from './sim/schedule.js';

/** 10,000 schedules per CI run, split over the cases below. */
const RUNS = Number(process.env['RAFT_SIM_RUNS'] ?? 10_000);

describe('raft simulation', () => {
  it(`keeps every safety property and recovers after healing (${RUNS} random schedules)`, () => {
    let leaders = 0;
    let acked = 0;
    fc.assert(
      fc.property(scheduleArb(60), (s) => {
        const sim = runSchedule(s);
        leaders += sim.leader() ? 1 : 0;
        acked += sim.acked.size;
      }),
      { numRuns: RUNS },
    );
    // Every run ends with a leader and at least its final acknowledged write.
    expect(leaders).toBe(RUNS);
    expect(acked).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
});

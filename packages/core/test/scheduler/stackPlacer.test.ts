import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/scheduler/schedule.js';
import { createSnapshot } from '../../src/scheduler/snapshot.js';
import { createStackPlacer } from '../../src/scheduler/stack.js';
import { mockEval, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';

describe('createStackPlacer inside schedule()', () => {
  it('places a service job through the full stack and reports failures with metrics', () => {
    const tg = mockTaskGroup('web', 5, mockTask('t', { cpu: 1500, memoryMB: 512 }));
    const job = mockJob({ id: 'web', taskGroups: [tg] });
    const nodes = [mockNode({ id: 'a' }), mockNode({ id: 'b' })];
    const snapshot = createSnapshot({ nodes, jobs: [job], index: 5 });
    const evaluation = mockEval({ id: 'ev1', jobId: 'web' });
    const result = schedule(snapshot, evaluation, { now: 0, seed: 1, placer: createStackPlacer });
    const placed = Object.values(result.plan.nodeAllocation).flat();
    // 4000 MHz nodes fit two 1500 MHz allocations each.
    expect(placed).toHaveLength(4);
    for (const id of ['a', 'b']) expect(result.plan.nodeAllocation[id]).toHaveLength(2);
    const failed = result.failedTGAllocs.web;
    expect(failed?.nodesExhausted).toBe(2);
    expect(failed?.dimensionExhausted.cpu).toBe(2);
  });
});

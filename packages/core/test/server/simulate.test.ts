import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulate/simulate.js';
import { mockJob, mockNode, mockTaskGroup } from '../../src/simulate/mock.js';

const S = 1_000_000_000;

describe('simulation: basics', () => {
  it('places a service job and its allocations start running', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' }), mockNode({ id: 'n2' })] });
    await sim.start();
    const r = await sim.cp.registerJob(mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 3)] }));
    expect(r.ok).toBe(true);
    await sim.cp.processEvals();
    expect(sim.liveAllocs('web').length).toBe(3);
    await sim.runFor(2 * S);
    expect(sim.liveAllocs('web').map((a) => a.clientStatus)).toEqual(['running', 'running', 'running']);
    expect(sim.cp.state().jobById('default', 'web')?.status).toBe('running');
  });
});

import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulate/simulate.js';
import { mockJob, mockNode, mockTaskGroup } from '../../src/simulate/mock.js';
import { serializeState } from '../../src/state/persist.js';

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

describe('simulation: determinism', () => {
  it('the same seed, nodes and commands give the same state, byte for byte', async () => {
    const once = async () => {
      const sim = createSimulation({
        seed: 'replay',
        nodes: [mockNode({ id: 'n1' }), mockNode({ id: 'n2', datacenter: 'dc1' }), mockNode({ id: 'n3' })],
      });
      await sim.start();
      await sim.cp.registerJob(mockJob({ id: 'a', taskGroups: [mockTaskGroup('web', 4)] }));
      await sim.cp.registerJob(mockJob({ id: 'b', type: 'batch', taskGroups: [mockTaskGroup('b', 3)] }));
      await sim.runFor(20 * S);
      sim.failNode('n2');
      await sim.runFor(40 * S);
      return JSON.stringify(serializeState(sim.cp.state()));
    };
    const [x, y] = [await once(), await once()];
    expect(x.length).toBeGreaterThan(1000);
    expect(x).toBe(y);
  });
});

import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulate/simulate.js';
import { csiJob, csiNode, csiRequest, csiVolume, nodePlugin } from './fixtures.js';

describe('control plane: a job waiting for its CSI volume', () => {
  it('is blocked with the missing volume and placed once the volume is registered', async () => {
    const sim = createSimulation({
      nodes: [csiNode('n1'), csiNode('n2', [nodePlugin('ebs')]), csiNode('n3')],
    });
    await sim.start();
    const r = await sim.cp.registerJob(csiJob('db', [csiRequest('vol0')]));
    expect(r.ok).toBe(true);
    await sim.cp.processEvals();
    expect(sim.liveAllocs('db')).toEqual([]);
    const blocked = sim.cp
      .state()
      .evalsByJob('default', 'db')
      .filter((e) => e.status === 'blocked');
    expect(blocked.map((e) => [e.escapedComputedClass, e.missingNonNodeResources])).toEqual([
      [true, ['csi-volume:default:vol0']],
    ]);

    const reg = await sim.cp.propose({ type: 'CSIVolumeRegister', volumes: [csiVolume()], now: 0 });
    expect(reg.ok).toBe(true);
    await sim.cp.processEvals();
    expect(sim.liveAllocs('db').map((a) => a.nodeId)).toEqual(['n2']);
  });
});

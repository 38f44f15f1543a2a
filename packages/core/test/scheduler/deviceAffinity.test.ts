import { describe, expect, it } from 'vitest';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { NodeDeviceResource } from '../../src/structs/node.js';
import { setup } from './helpers.js';

const device = (name: string, cudaCores: number): NodeDeviceResource => ({
  vendor: 'nvidia',
  type: 'gpu',
  name,
  attributes: { cuda_cores: { int: cudaCores, unit: '' } },
  instances: [{ id: `${name}-0`, healthy: true, healthDescription: '' }],
});

function gpuNode(id: string, devices: NodeDeviceResource[]) {
  const n = mockNode({ id });
  return { ...n, nodeResources: { ...n.nodeResources, devices } };
}

describe('devices score in the stack', () => {
  it('scores device affinities under "devices" and averages them into the final score', () => {
    const task = mockTask('t', { cpu: 1000, memoryMB: 1024 });
    task.resources.devices = [
      {
        name: 'nvidia/gpu',
        count: 1,
        constraints: [],
        affinities: [{ ltarget: '${device.attr.cuda_cores}', operand: '>', rtarget: '4000', weight: 75 }],
      },
    ];
    const job = mockJob({ id: 'j', taskGroups: [mockTaskGroup('web', 1, task)] });
    const fast = gpuNode('fast', [device('2080ti', 4352)]);
    const slow = gpuNode('slow', [device('1080ti', 3584)]);
    const s = setup(job, { nodes: [slow, fast] });
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.node?.id).toBe('fast');
    expect(sel.resources?.tasks.t?.devices).toEqual([
      { vendor: 'nvidia', type: 'gpu', name: '2080ti', deviceIds: ['2080ti-0'] },
    ]);
    const byNode = Object.fromEntries(sel.metric.scoreMetaData.map((m) => [m.nodeId, m]));
    // cpu 1000/4000, memory 1024/8192 used: binpack = (20 − 10^0.75 − 10^0.875) / 18.
    const binpack = (20 - Math.pow(10, 0.75) - Math.pow(10, 0.875)) / 18;
    expect(byNode.fast?.scores.binpack).toBeCloseTo(binpack, 10);
    expect(byNode.fast?.scores.devices).toBe(1);
    expect(byNode.fast?.normScore).toBeCloseTo((binpack + 1) / 2, 10);
    // An unmatched affinity still counts: score 0, which halves the final score.
    expect(byNode.slow?.scores.devices).toBe(0);
    expect(byNode.slow?.normScore).toBeCloseTo(binpack / 2, 10);
  });

  it('no devices score without device affinities', () => {
    const task = mockTask('t', { cpu: 1000, memoryMB: 1024 });
    task.resources.devices = [{ name: 'gpu', count: 1, constraints: [], affinities: [] }];
    const job = mockJob({ id: 'j', taskGroups: [mockTaskGroup('web', 1, task)] });
    const s = setup(job, { nodes: [gpuNode('n1', [device('1080ti', 3584)])] });
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.node?.id).toBe('n1');
    expect(sel.metric.scoreMetaData[0]?.scores).not.toHaveProperty('devices');
  });
});

import { describe, expect, it } from 'vitest';
import { checkConstraint, scoreFit } from '@tsnomad/core/scheduler';
import { createSnapshot, selectNode } from '../../src/index.js';
import { mockJob, mockNode } from '../../src/simulate/mock.js';

describe('public placement exports', () => {
  it('selectNode picks a feasible node and explains a failure', () => {
    const job = mockJob({ id: 'j', constraints: [{ ltarget: '${meta.zone}', operand: '=', rtarget: 'b' }] });
    const snap = createSnapshot({
      nodes: [mockNode({ id: 'a', meta: { zone: 'a' } }), mockNode({ id: 'b', meta: { zone: 'b' } })],
      jobs: [job],
      index: 3,
    });
    const ok = selectNode(snap, job, job.taskGroups[0]!, { seed: 1 });
    expect(ok.node?.id).toBe('b');
    expect(ok.resources?.tasks.task?.cpu.cpuShares).toBe(100);
    const none = selectNode(
      createSnapshot({ nodes: [mockNode({ id: 'a', meta: { zone: 'a' } })] }),
      job,
      job.taskGroups[0]!,
    );
    expect(none.node).toBeUndefined();
    expect(none.metric.constraintFiltered).toEqual({ '${meta.zone} = b': 1 });
  });

  it('scoreFit applies reserved resources (Nomad mid case 13.675 / 4.325)', () => {
    const node = mockNode({ id: 'n', cpu: 4096, memoryMB: 8192 });
    node.reservedResources.cpu.cpuShares = 2048;
    node.reservedResources.memory.memoryMB = 4096;
    expect(scoreFit(node, { cpu: 1024, memoryMB: 2048 }, 'binpack')).toBeCloseTo(13.675, 3);
    expect(scoreFit(node, { cpu: 1024, memoryMB: 2048 }, 'spread')).toBeCloseTo(4.325, 3);
  });

  it('checkConstraint is exported', () => {
    expect(checkConstraint('linux', '=', 'linux')).toBe(true);
  });
});

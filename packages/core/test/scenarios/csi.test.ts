import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/scheduler/schedule.js';
import type { Command } from '../../src/state/commands.js';
import { applyCommand } from '../../src/state/reducer.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import { mockAlloc, mockEval } from '../../src/simulate/mock.js';
import type { Allocation } from '../../src/structs/allocation.js';
import { csiJob, csiNode, csiRequest, csiVolume, nodePlugin } from '../csi/fixtures.js';

function run(...cmds: Command[]): StateSnapshot {
  let s = StateSnapshot.empty();
  for (const c of cmds) {
    const r = applyCommand(s, s.index + 1, c);
    if (!r.ok) throw new Error(`${c.type} refused: ${r.error}`);
    s = r.state;
  }
  return s;
}

const placed = (r: ReturnType<typeof schedule>): Allocation[] => Object.values(r.plan.nodeAllocation).flat();

// Ten nodes; only n7 runs the `ebs` node plugin.
const nodes = [...Array(10).keys()].map((k) => csiNode(`n${k}`, k === 7 ? [nodePlugin('ebs')] : []));
const registerNodes: Command[] = nodes.map((node) => ({ type: 'NodeRegister', node, now: 1 }));

describe('scenario: a job with a CSI volume', () => {
  it('is placed only on the node running the volume plugin, through schedule()', () => {
    const job = csiJob('db', [csiRequest('vol0')]);
    const state = run(
      ...registerNodes,
      { type: 'CSIVolumeRegister', volumes: [csiVolume()], now: 1 },
      { type: 'JobRegister', job, now: 1 },
    );
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = schedule(state, mockEval({ id: `e${seed}`, jobId: 'db' }), { now: 2, seed });
      expect(placed(r).map((a) => a.nodeId)).toEqual(['n7']);
      expect(r.plan.nodeAllocation.n7?.[0]?.name).toBe('db.web[0]');
    }
  });

  it('per_alloc volumes: each allocation needs its own volume; a missing one blocks with Nomad’s reason', () => {
    const job = csiJob('db', [csiRequest('vol', { perAlloc: true })], 2);
    const state = run(
      ...registerNodes,
      { type: 'CSIVolumeRegister', volumes: [csiVolume({ id: 'vol[0]', externalId: 'e0' })], now: 1 },
      { type: 'JobRegister', job, now: 1 },
    );
    const r = schedule(state, mockEval({ id: 'e1', jobId: 'db' }), { now: 2, seed: 1 });
    expect(placed(r).map((a) => [a.name, a.nodeId])).toEqual([['db.web[0]', 'n7']]);
    expect(r.failedTGAllocs.web?.constraintFiltered).toEqual({ 'missing CSI volume(s) vol[1]': 10 });
    // Groups with CSI volumes escape class tracking (Nomad): any node change may unblock them.
    expect(r.blockedEval?.escapedComputedClass).toBe(true);
  });

  it('a single-node-writer volume claimed by another job is not placed', () => {
    const job = csiJob('db', [csiRequest('vol0')]);
    const holder = csiJob('other', [csiRequest('vol0')]);
    const state = run(
      ...registerNodes,
      { type: 'CSIVolumeRegister', volumes: [csiVolume()], now: 1 },
      { type: 'JobRegister', job: holder, now: 1 },
      {
        type: 'PlanApply',
        evalId: 'e0',
        job: holder,
        allocsUpdated: [mockAlloc({ id: 'h1', jobId: 'other', job: holder, nodeId: 'n7' })],
        allocsStopped: [],
        allocsPreempted: [],
        deploymentUpdates: [],
        now: 1,
      },
      {
        type: 'CSIVolumeClaim',
        namespace: 'default',
        volumeId: 'vol0',
        claim: {
          allocationId: 'h1',
          nodeId: 'n7',
          externalNodeId: '',
          mode: 1,
          accessMode: 'single-node-writer',
          attachmentMode: 'file-system',
          state: 0,
        },
        now: 1,
      },
      { type: 'JobRegister', job, now: 1 },
    );
    const r = schedule(state, mockEval({ id: 'e1', jobId: 'db' }), { now: 2, seed: 1 });
    expect(placed(r)).toEqual([]);
    expect(r.failedTGAllocs.web?.constraintFiltered).toMatchObject({
      'CSI volume vol0 has exhausted its available writer claims': 1,
    });
  });
});

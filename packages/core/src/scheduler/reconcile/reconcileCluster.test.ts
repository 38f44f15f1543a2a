import { describe, expect, it } from 'vitest';
import { emptyAllocation, type Allocation } from '../../structs/allocation.js';
import { mkGroup, mkJob, mkNode, T0, S } from '../../../test/scenarios/fixtures.js';
import { reconcileCluster, type ClusterReconcileInput } from './reconcileCluster.js';
import { reconcileNodes } from './reconcileNode.js';

const job = mkJob({ taskGroups: [mkGroup({ count: 3 })] });

function alloc(i: number, over: Partial<Allocation> = {}): Allocation {
  return {
    ...emptyAllocation(),
    id: `a${i}`,
    namespace: 'default',
    name: `example.web[${i}]`,
    jobId: job.id,
    job,
    taskGroup: 'web',
    nodeId: `n${i}`,
    clientStatus: 'running',
    modifyTime: T0,
    ...over,
  };
}

function input(over: Partial<ClusterReconcileInput>): ClusterReconcileInput {
  let n = 0;
  return {
    job,
    jobId: job.id,
    namespace: 'default',
    isBatch: false,
    deployment: undefined,
    allocs: [],
    taintedNodes: new Map(),
    now: T0,
    evalId: 'e1',
    evalPriority: 50,
    allocUpdateFn: () => ({ kind: 'ignore' }),
    newId: () => `id-${++n}`,
    ...over,
  };
}

describe('reconcileCluster', () => {
  it('asks for count placements with the lowest names', () => {
    const r = reconcileCluster(input({ allocs: [alloc(1)] }));
    expect(r.place.map((p) => p.name)).toEqual(['example.web[0]', 'example.web[2]']);
    expect(r.desiredTGUpdates.web).toMatchObject({ place: 2, ignore: 1 });
  });

  it('stops lost allocations and replaces them under the same name', () => {
    const down = mkNode('n1', { status: 'down' });
    const r = reconcileCluster(
      input({ allocs: [alloc(0), alloc(1), alloc(2)], taintedNodes: new Map([['n1', down]]) }),
    );
    expect(r.stop.map((s) => [s.alloc.id, s.clientStatus])).toEqual([['a1', 'lost']]);
    expect(r.place.map((p) => [p.name, p.lost, p.previousAlloc?.id])).toEqual([
      ['example.web[1]', true, 'a1'],
    ]);
  });

  it('treats a vanished node like a down one', () => {
    const r = reconcileCluster(input({ allocs: [alloc(0)], taintedNodes: new Map([['n0', null]]) }));
    expect(r.stop[0]?.statusDescription).toBe('alloc is lost since its node is down');
  });

  it('delays a failed allocation with a follow-up evaluation and records it on the allocation', () => {
    const failed = alloc(0, { clientStatus: 'failed', modifyTime: T0 });
    const r = reconcileCluster(input({ allocs: [failed, alloc(1), alloc(2)] }));
    expect(r.place.length).toBe(0);
    expect(r.followupEvals.map((e) => [e.triggeredBy, e.waitUntil])).toEqual([
      ['alloc-failure', T0 + 30 * S],
    ]);
    expect(r.attributeUpdates.map((a) => [a.id, a.followupEvalId])).toEqual([['a0', r.followupEvals[0]!.id]]);
    // The follow-up itself reschedules it now and stops the failed one.
    const r2 = reconcileCluster(
      input({
        allocs: [{ ...failed, followupEvalId: 'f1' }, alloc(1), alloc(2)],
        evalId: 'f1',
        now: T0 + 30 * S,
      }),
    );
    expect(r2.place.map((p) => [p.name, p.reschedule])).toEqual([['example.web[0]', true]]);
    expect(r2.stop.map((s) => s.statusDescription)).toEqual(['alloc was rescheduled because it failed']);
  });

  it('gives every batch of delayed failures the trigger the schedulers handle (alloc-failure)', () => {
    // Failures 10 s apart fall into two 5 s batches: two follow-ups, both Nomad's "alloc-failure".
    const a0 = alloc(0, { clientStatus: 'failed', modifyTime: T0 });
    const a1 = alloc(1, { clientStatus: 'failed', modifyTime: T0 + 10 * S });
    const r = reconcileCluster(input({ allocs: [a0, a1, alloc(2)] }));
    expect(r.followupEvals.map((e) => [e.triggeredBy, e.waitUntil])).toEqual([
      ['alloc-failure', T0 + 30 * S],
      ['alloc-failure', T0 + 40 * S],
    ]);
  });

  it('stops everything of a stopped job and cancels its active deployment', () => {
    const d = { id: 'd1', status: 'running' } as never;
    const r = reconcileCluster(
      input({ job: { ...job, stop: true }, deployment: d, allocs: [alloc(0), alloc(1)] }),
    );
    expect(r.stop.length).toBe(2);
    expect(r.deploymentUpdates).toEqual([
      { deploymentId: 'd1', status: 'cancelled', statusDescription: 'Cancelled because job is stopped' },
    ]);
  });
});

describe('reconcileNodes', () => {
  const sys = mkJob({ id: 's', type: 'sysbatch', taskGroups: [mkGroup({ name: 'g', count: 1 })] });
  it('places on nodes without an allocation and not again where one finished', () => {
    const done = {
      ...alloc(0),
      jobId: 's',
      job: sys,
      name: 's.g[0]',
      nodeId: 'n0',
      clientStatus: 'complete',
    };
    const r = reconcileNodes({
      job: sys,
      readyNodes: [mkNode('n0'), mkNode('n1')],
      notReadyNodes: new Set(),
      taintedNodes: new Map(),
      live: [],
      terminal: new Map([['n0', new Map([['s.g[0]', done]])]]),
    });
    expect(r.place.map((t) => [t.nodeId, t.name])).toEqual([['n1', 's.g[0]']]);
    expect(r.ignore.map((t) => t.nodeId)).toEqual(['n0']);
  });
});

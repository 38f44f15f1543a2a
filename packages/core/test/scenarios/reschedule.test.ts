import { describe, expect, it } from 'vitest';
import { Cluster, mkGroup, mkJob, mkNode, placed, stopped, S } from './fixtures.js';

function cluster(nodes = 4): Cluster {
  const c = new Cluster();
  for (let i = 0; i < nodes; i++) c.addNode(mkNode(`node-${i}`));
  return c;
}

const exponential = {
  attempts: 0,
  interval: 0,
  delay: 30 * S,
  delayFunction: 'exponential',
  maxDelay: 120 * S,
  unlimited: true,
};

describe('rescheduling failed allocations', () => {
  it('delays exponentially 30s -> 60s -> 120s, capped at max_delay, through follow-up evaluations', () => {
    const c = cluster();
    c.register(mkJob({ taskGroups: [mkGroup({ count: 1, reschedulePolicy: exponential })] }));
    c.step();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const alloc = c.live()[0]!;
      c.setClient([alloc.id], 'failed');
      const failTime = c.now;
      // The failure evaluation schedules a follow-up at fail time + delay and marks the alloc.
      const r = c.step({ triggeredBy: 'alloc-failure' });
      expect(placed(r.plan).filter((a) => a.id !== alloc.id).length).toBe(0);
      expect(r.followupEvals.length).toBe(1);
      const f = r.followupEvals[0]!;
      expect(f.triggeredBy).toBe('alloc-failure');
      expect(f.statusDescription).toBe('created for delayed rescheduling');
      expect(r.evaluation.nextEval).toBe(f.id);
      expect(f.previousEval).toBe(r.evaluation.id);
      expect(c.allocs.get(alloc.id)?.followupEvalId).toBe(f.id);
      expect(r.annotations.desiredTGUpdates.web?.rescheduleLater).toBe(1);
      waits.push((f.waitUntil - failTime) / S);
      // Time passes; the follow-up runs and replaces the failed allocation.
      c.now = f.waitUntil;
      const r2 = c.step({ id: f.id, triggeredBy: 'alloc-failure', waitUntil: f.waitUntil });
      const repl = placed(r2.plan).filter((a) => a.id !== alloc.id);
      expect(repl.length).toBe(1);
      expect(repl[0]!.name).toBe(alloc.name);
      expect(repl[0]!.previousAllocation).toBe(alloc.id);
      expect(repl[0]!.rescheduleTracker?.events.at(-1)).toMatchObject({
        prevAllocId: alloc.id,
        prevNodeId: alloc.nodeId,
      });
      expect(stopped(r2.plan).map((a) => a.desiredDescription)).toContain(
        'alloc was rescheduled because it failed',
      );
      c.setClient([repl[0]!.id], 'running');
      c.now += 5 * S;
    }
    expect(waits).toEqual([30, 60, 120, 120]);
  });

  it('penalises the node the allocation failed on', () => {
    const c = cluster(2);
    c.register(
      mkJob({ taskGroups: [mkGroup({ count: 1, reschedulePolicy: { ...exponential, delay: 0 } })] }),
    );
    c.step();
    const alloc = c.live()[0]!;
    c.setClient([alloc.id], 'failed');
    const r = c.step({ triggeredBy: 'alloc-failure' });
    const repl = placed(r.plan).filter((a) => a.id !== alloc.id);
    expect(repl.length).toBe(1);
    expect(repl[0]!.nodeId).not.toBe(alloc.nodeId);
    const meta = repl[0]!.metrics?.scoreMetaData.find((m) => m.nodeId === alloc.nodeId);
    expect(meta?.scores['node-reschedule-penalty']).toBe(-1);
  });

  it('stops after `attempts` within `interval`', () => {
    const c = cluster();
    const policy = {
      attempts: 1,
      interval: 3600 * S,
      delay: 5 * S,
      delayFunction: 'constant',
      maxDelay: 0,
      unlimited: false,
    };
    c.register(mkJob({ type: 'batch', taskGroups: [mkGroup({ count: 1, reschedulePolicy: policy })] }));
    c.step();
    const a = c.live()[0]!;
    c.setClient([a.id], 'failed');
    c.now += 10 * S;
    const r = c.step({ triggeredBy: 'alloc-failure' });
    const repl = placed(r.plan).filter((x) => x.id !== a.id);
    expect(repl.length).toBe(1);
    c.setClient([repl[0]!.id], 'failed');
    c.now += 10 * S;
    const r2 = c.step({ triggeredBy: 'alloc-failure' });
    expect(placed(r2.plan).filter((x) => !c.allocs.get(x.id) || x.createIndex === 0).length).toBe(0);
    expect(r2.followupEvals.length).toBe(0);
    expect(c.live().length).toBe(0);
  });

  it('does not replace batch allocations that completed successfully', () => {
    const c = cluster();
    c.register(mkJob({ type: 'batch', taskGroups: [mkGroup({ count: 2 })] }));
    c.step();
    c.setClient(
      c.live().map((a) => a.id),
      'complete',
    );
    const r = c.step({ triggeredBy: 'alloc-stop' });
    expect(placed(r.plan).length).toBe(0);
    expect(r.annotations.desiredTGUpdates.web?.place).toBe(0);
    expect(r.annotations.desiredTGUpdates.web?.ignore).toBe(2);
  });

  it('replaces a completed service allocation (services run forever)', () => {
    const c = cluster();
    c.register(mkJob({ taskGroups: [mkGroup({ count: 1 })] }));
    c.step();
    c.setClient([c.live()[0]!.id], 'complete');
    const r = c.step({ triggeredBy: 'alloc-stop' });
    expect(placed(r.plan).length).toBe(1);
  });
});

describe('drains', () => {
  it('migrates the allocations the drainer marked, under their names, off the draining node', () => {
    const c = cluster(3);
    c.register(mkJob({ taskGroups: [mkGroup({ count: 6 })] }));
    c.step();
    const node = c.live()[0]!.nodeId;
    c.nodes.set(node, {
      ...c.nodes.get(node)!,
      drainStrategy: { deadline: 3600 * S, ignoreSystemJobs: false, forceDeadline: 0, startedAt: c.now },
      schedulingEligibility: 'ineligible',
    });
    const onNode = c.live().filter((a) => a.nodeId === node);
    // migrate.max_parallel = 1: the drainer marks one allocation at a time.
    const first = onNode[0]!;
    c.allocs.set(first.id, { ...first, desiredTransition: { migrate: true } });
    const r = c.step({ triggeredBy: 'node-drain' });
    expect(r.annotations.desiredTGUpdates.web?.migrate).toBe(1);
    expect(stopped(r.plan).map((a) => [a.id, a.desiredDescription])).toEqual([
      [first.id, 'alloc is being migrated'],
    ]);
    const moved = placed(r.plan).filter((a) => a.id !== first.id);
    expect(moved.map((a) => a.name)).toEqual([first.name]);
    expect(moved[0]!.nodeId).not.toBe(node);
    expect(moved[0]!.previousAllocation).toBe(first.id);
    expect(c.live().length).toBe(6);
  });
});

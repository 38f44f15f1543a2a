import { describe, expect, it } from 'vitest';
import { Cluster, mkGroup, mkJob, mkNode, placed, stopped, S } from './fixtures.js';
import type { EvalTrigger } from '../../src/structs/evaluation.js';

function cluster(nodes = 3): Cluster {
  const c = new Cluster();
  for (let i = 0; i < nodes; i++) c.addNode(mkNode(`node-${i}`));
  return c;
}

describe('service scheduler: counts', () => {
  it('places count allocations named job.group[i] and completes the evaluation', () => {
    const c = cluster();
    c.register(mkJob());
    const r = c.step();
    const names = placed(r.plan)
      .map((a) => a.name)
      .sort();
    expect(names).toEqual(['example.web[0]', 'example.web[1]', 'example.web[2]']);
    expect(r.evaluation.status).toBe('complete');
    expect(r.annotations.desiredTGUpdates.web?.place).toBe(3);
    expect(r.queuedAllocations).toEqual({ web: 0 });
    expect(r.blockedEval).toBeUndefined();
  });

  it('is deterministic for the same snapshot, evaluation and seed', () => {
    const c = cluster(10);
    c.register(mkJob());
    const a = c.run({ id: 'e1' });
    const b = c.run({ id: 'e1' });
    expect(JSON.stringify(a.plan)).toBe(JSON.stringify(b.plan));
  });

  it('scales up with the lowest free names and down by stopping the highest', () => {
    const c = cluster();
    c.register(mkJob());
    c.step();
    c.register(mkJob({ taskGroups: [mkGroup({ count: 5 })] }));
    const up = c.step();
    expect(
      c
        .live()
        .map((a) => a.name)
        .sort(),
    ).toEqual(['example.web[0]', 'example.web[1]', 'example.web[2]', 'example.web[3]', 'example.web[4]']);
    expect(up.annotations.desiredTGUpdates.web?.place).toBe(2);
    c.register(mkJob({ taskGroups: [mkGroup({ count: 2 })] }));
    const down = c.step();
    expect(
      stopped(down.plan)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['example.web[2]', 'example.web[3]', 'example.web[4]']);
    expect(down.annotations.desiredTGUpdates.web?.stop).toBe(3);
    expect(
      c
        .live()
        .map((a) => a.name)
        .sort(),
    ).toEqual(['example.web[0]', 'example.web[1]']);
  });

  it('replaces allocations of a down node (lost) under the same names', () => {
    const c = cluster();
    c.register(mkJob());
    c.step();
    const victim = c.live()[0]!;
    c.nodes.set(victim.nodeId, { ...c.nodes.get(victim.nodeId)!, status: 'down' });
    const onNode = c.live().filter((a) => a.nodeId === victim.nodeId);
    const r = c.step({ triggeredBy: 'node-update' });
    const st = stopped(r.plan);
    expect(st.map((a) => a.id).sort()).toEqual(onNode.map((a) => a.id).sort());
    expect(
      st.every(
        (a) => a.clientStatus === 'lost' && a.desiredDescription === 'alloc is lost since its node is down',
      ),
    ).toBe(true);
    expect(c.live().length).toBe(3);
    expect(c.live().every((a) => a.nodeId !== victim.nodeId)).toBe(true);
    expect(new Set(c.live().map((a) => a.name)).size).toBe(3);
  });

  it('blocks what does not fit, with class eligibility, and reports failed metrics', () => {
    const c = cluster(1);
    c.register(mkJob({ taskGroups: [mkGroup({ count: 10 })] }));
    const r = c.step();
    expect(placed(r.plan).length).toBe(8); // 4000 MHz / 500
    expect(r.failedTGAllocs.web?.coalescedFailures).toBe(1);
    expect(r.failedTGAllocs.web?.dimensionExhausted.cpu).toBeGreaterThan(0);
    expect(r.blockedEval?.status).toBe('blocked');
    expect(r.blockedEval?.classEligibility).toEqual({ c1: true });
    expect(r.evaluation.blockedEval).toBe(r.blockedEval?.id);
    expect(r.queuedAllocations.web).toBe(2);
  });

  it('stops everything when the job is stopped or purged', () => {
    const c = cluster();
    const job = c.register(mkJob());
    c.step();
    c.register({ ...job, stop: true });
    const r = c.step({ triggeredBy: 'job-deregister' });
    expect(stopped(r.plan).length).toBe(3);
    expect(c.live().length).toBe(0);
    const c2 = cluster();
    c2.register(mkJob());
    c2.step();
    c2.jobs.delete('example');
    const r2 = c2.step({ triggeredBy: 'job-deregister' });
    expect(stopped(r2.plan).length).toBe(3);
    expect(c2.live().length).toBe(0);
  });

  it('puts the annotations on the plan and the evaluation when the evaluation asks (job plan)', () => {
    const c = cluster();
    c.register(mkJob());
    const r = c.run({ annotatePlan: true });
    expect(r.plan.annotations?.desiredTGUpdates.web?.place).toBe(3);
    expect(r.evaluation.planAnnotations?.desiredTGUpdates.web?.place).toBe(3);
    expect(c.run().plan.annotations).toBeUndefined();
  });

  it('gives different allocation IDs for a different seed or evaluation, the same names', () => {
    const c = cluster();
    c.register(mkJob());
    const ids = (r: ReturnType<Cluster['run']>) => placed(r.plan).map((a) => a.id);
    const a = c.run({ id: 'e1' });
    const b = c.run({ id: 'e2' });
    expect(ids(a)).not.toEqual(ids(b));
    expect(
      placed(a.plan)
        .map((x) => x.name)
        .sort(),
    ).toEqual(
      placed(b.plan)
        .map((x) => x.name)
        .sort(),
    );
  });

  it('rejects an unknown trigger', () => {
    const c = cluster();
    c.register(mkJob());
    // A trigger from the wire that no scheduler handles (outside the declared union on purpose).
    const r = c.run({ triggeredBy: 'bogus' as EvalTrigger });
    expect(r.evaluation.status).toBe('failed');
    expect(r.evaluation.statusDescription).toBe("scheduler cannot handle 'bogus' evaluation reason");
    expect(S).toBe(1e9);
  });
});

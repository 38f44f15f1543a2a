import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/jobspec/types.js';
import { Cluster, mkGroup, mkJob, mkNode, mkTask, mkUpdate, placed, stopped } from './fixtures.js';

function cluster(nodes = 6): Cluster {
  const c = new Cluster();
  for (let i = 0; i < nodes; i++) c.addNode(mkNode(`node-${i}`));
  return c;
}

/** A job whose task config differs by `image`, so versions differ destructively. */
function job(image: string, update: Parameters<typeof mkUpdate>[0], count = 6): Job {
  return mkJob({
    taskGroups: [mkGroup({ count, update: mkUpdate(update), tasks: [mkTask({ config: { image } })] })],
  });
}

function healthyAll(c: Cluster): void {
  c.setClient(
    c
      .live()
      .filter((a) => a.clientStatus === 'pending')
      .map((a) => a.id),
    'running',
    true,
  );
}

describe('rolling updates and deployments', () => {
  it('rolls 6 allocations 2 at a time (max_parallel 2) until the deployment succeeds', () => {
    const c = cluster();
    c.register(job('v1', { maxParallel: 2 }));
    const first = c.step();
    expect(placed(first.plan).length).toBe(6);
    healthyAll(c);
    c.register(job('v2', { maxParallel: 2 }));
    const r1 = c.step();
    expect(r1.plan.deployment?.status).toBe('running');
    expect(r1.plan.deployment?.taskGroups.web?.desiredTotal).toBe(6);
    expect(r1.annotations.desiredTGUpdates.web).toMatchObject({ destructiveUpdate: 2, ignore: 4 });
    expect(
      stopped(r1.plan).every((a) => a.desiredDescription === 'alloc is being updated due to job update'),
    ).toBe(true);
    const newOnes = placed(r1.plan);
    expect(newOnes.length).toBe(2);
    expect(newOnes.every((a) => a.deploymentId === r1.plan.deployment?.id)).toBe(true);

    // Nothing more while the two new allocations are not yet healthy.
    const wait = c.step({ triggeredBy: 'deployment-watcher' });
    expect(placed(wait.plan).length).toBe(0);

    let rounds = 1;
    for (; rounds < 10; rounds++) {
      healthyAll(c);
      const r = c.step({ triggeredBy: 'deployment-watcher' });
      const n = placed(r.plan).length;
      if (n === 0) {
        expect(r.plan.deploymentUpdates).toContainEqual(
          expect.objectContaining({
            status: 'successful',
            statusDescription: 'Deployment completed successfully',
          }),
        );
        break;
      }
      expect(n).toBeLessThanOrEqual(2);
    }
    expect(rounds).toBe(3);
    expect(c.live().length).toBe(6);
    expect(c.live().every((a) => a.job?.version === 1)).toBe(true);
  });

  it('applies a change that needs no new allocation in place', () => {
    const c = cluster();
    c.register(job('v1', { maxParallel: 2 }));
    c.step();
    healthyAll(c);
    const j = c.job();
    c.register({
      ...j,
      priority: 70,
      taskGroups: [{ ...j.taskGroups[0]!, update: mkUpdate({ maxParallel: 3 }) }],
    });
    const r = c.step();
    expect(r.annotations.desiredTGUpdates.web).toMatchObject({
      inPlaceUpdate: 6,
      destructiveUpdate: 0,
      place: 0,
    });
    expect(stopped(r.plan).length).toBe(0);
    expect(Object.values(r.plan.nodeAllocation).flat().length).toBe(6);
  });

  it('turns an in-place update destructive when the node no longer meets a new constraint', () => {
    const c = cluster(2);
    c.nodes.set('node-1', { ...c.nodes.get('node-1')!, meta: { rack: 'r2' } });
    c.nodes.set('node-0', { ...c.nodes.get('node-0')!, meta: { rack: 'r1' } });
    c.register(mkJob({ taskGroups: [mkGroup({ count: 2 })] }));
    c.step();
    const before = c.live();
    const onR1 = before.filter((a) => a.nodeId === 'node-0').length;
    expect(onR1).toBeGreaterThan(0);
    const g = c.job().taskGroups[0]!;
    c.register({
      ...c.job(),
      taskGroups: [{ ...g, constraints: [{ ltarget: '${meta.rack}', rtarget: 'r2', operand: '=' }] }],
    });
    const r = c.step();
    expect(r.annotations.desiredTGUpdates.web).toMatchObject({
      inPlaceUpdate: 2 - onR1,
      destructiveUpdate: onR1,
    });
    expect(c.live().every((a) => a.nodeId === 'node-1')).toBe(true);
  });

  it('places 1 canary, waits for promotion, then rolls the rest and stops the replaced name', () => {
    const c = cluster();
    c.register(job('v1', { maxParallel: 2, canary: 1 }, 3));
    c.step();
    healthyAll(c);
    c.register(job('v2', { maxParallel: 2, canary: 1 }, 3));
    const r = c.step();
    const canaries = placed(r.plan);
    expect(canaries.length).toBe(1);
    expect(canaries[0]?.deploymentStatus?.canary).toBe(true);
    expect(r.annotations.desiredTGUpdates.web).toMatchObject({ canary: 1, destructiveUpdate: 0, ignore: 3 });
    expect(stopped(r.plan).length).toBe(0);
    expect(r.plan.deployment?.statusDescription).toBe('Deployment is running but requires manual promotion');
    const dep = c.latestDeployment()!;
    expect(dep.taskGroups.web?.desiredCanaries).toBe(1);
    expect(dep.taskGroups.web?.placedCanaries).toEqual([canaries[0]!.id]);

    healthyAll(c);
    const idle = c.step({ triggeredBy: 'deployment-watcher' });
    expect(placed(idle.plan).length).toBe(0);
    expect(stopped(idle.plan).length).toBe(0);

    // Promote (what the deployment watcher does), then the rollout continues.
    c.deployments.set(dep.id, {
      ...c.latestDeployment()!,
      taskGroups: { web: { ...c.latestDeployment()!.taskGroups.web!, promoted: true } },
    });
    const after = c.step({ triggeredBy: 'deployment-watcher' });
    const stops = stopped(after.plan);
    expect(stops.some((a) => a.name === canaries[0]!.name && a.job === undefined)).toBe(true);
    for (let i = 0; i < 5; i++) {
      healthyAll(c);
      c.step({ triggeredBy: 'deployment-watcher' });
    }
    expect(c.live().length).toBe(3);
    expect(new Set(c.live().map((a) => a.name)).size).toBe(3);
    expect(c.live().every((a) => a.job?.version === 1)).toBe(true);
  });

  it('blue/green: canary = count places a full second set next to the first', () => {
    const c = cluster();
    c.register(job('v1', { maxParallel: 3, canary: 3 }, 3));
    c.step();
    healthyAll(c);
    c.register(job('v2', { maxParallel: 3, canary: 3 }, 3));
    const r = c.step();
    expect(placed(r.plan).length).toBe(3);
    expect(placed(r.plan).every((a) => a.deploymentStatus?.canary)).toBe(true);
    expect(stopped(r.plan).length).toBe(0);
    expect(c.live().length).toBe(6);
  });

  it('records auto_revert and auto_promote on the deployment state', () => {
    const c = cluster();
    c.register(job('v1', { maxParallel: 1, autoRevert: true }));
    c.step();
    healthyAll(c);
    c.register(job('v2', { maxParallel: 1, autoRevert: true, canary: 1, autoPromote: true }));
    const r = c.step();
    expect(r.plan.deployment?.taskGroups.web).toMatchObject({
      autoRevert: true,
      autoPromote: true,
      progressDeadline: 600e9,
    });
    expect(r.plan.deployment?.statusDescription).toBe('Deployment is running pending automatic promotion');
    expect(r.plan.deployment?.jobVersion).toBe(1);
  });

  it('cancels a deployment superseded by a newer job version', () => {
    const c = cluster();
    c.register(job('v1', { maxParallel: 1 }));
    c.step();
    healthyAll(c);
    c.register(job('v2', { maxParallel: 1 }));
    const r = c.step();
    const dep = r.plan.deployment!;
    c.register(job('v3', { maxParallel: 1 }));
    const r2 = c.step();
    expect(r2.plan.deploymentUpdates).toContainEqual({
      deploymentId: dep.id,
      status: 'cancelled',
      statusDescription: 'Cancelled due to newer version of job',
    });
    expect(r2.plan.deployment?.id).not.toBe(dep.id);
  });
});

describe('deployment states', () => {
  function rollout(c: Cluster, canary = 0): void {
    c.register(job('v1', { maxParallel: 2, canary }, 4));
    c.step();
    healthyAll(c);
    c.register(job('v2', { maxParallel: 2, canary }, 4));
    c.step();
  }

  it('places nothing new while the deployment is paused', () => {
    const c = cluster();
    rollout(c);
    const d = c.latestDeployment()!;
    c.deployments.set(d.id, { ...d, status: 'paused' });
    healthyAll(c);
    const r = c.step({ triggeredBy: 'deployment-watcher' });
    expect(placed(r.plan).length).toBe(0);
    expect(r.annotations.desiredTGUpdates.web?.ignore).toBeGreaterThan(0);
  });

  it('stops unpromoted canaries of a failed deployment and rolls no further', () => {
    const c = cluster();
    rollout(c, 1);
    const d = c.latestDeployment()!;
    const canaryIds = d.taskGroups.web!.placedCanaries;
    expect(canaryIds.length).toBe(1);
    c.deployments.set(d.id, { ...d, status: 'failed' });
    const r = c.step({ triggeredBy: 'deployment-watcher' });
    expect(stopped(r.plan).map((a) => a.id)).toEqual(canaryIds);
    expect(placed(r.plan).length).toBe(0);
    expect(c.live().every((a) => a.job?.version === 0)).toBe(true);
  });

  it('stops every allocation of a group removed from the job, and of a group scaled to 0', () => {
    const c = cluster();
    c.register(mkJob({ taskGroups: [mkGroup({ name: 'a', count: 2 }), mkGroup({ name: 'b', count: 2 })] }));
    c.step();
    c.register(mkJob({ taskGroups: [mkGroup({ name: 'a', count: 0 })] }));
    const r = c.step();
    expect(r.annotations.desiredTGUpdates.a?.stop).toBe(2);
    expect(r.annotations.desiredTGUpdates.b?.stop).toBe(2);
    expect(c.live().length).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { Cluster, mkGroup, mkJob, mkNode, mkTask, placed, stopped } from './fixtures.js';

function cluster(nodes = 3): Cluster {
  const c = new Cluster();
  for (let i = 0; i < nodes; i++) c.addNode(mkNode(`node-${i}`));
  return c;
}

const sys = (over = {}) =>
  mkJob({ id: 'sys', type: 'system', taskGroups: [mkGroup({ name: 'agent', count: 1 })], ...over });

describe('system scheduler', () => {
  it('places one allocation per eligible node, then picks up a newly added node', () => {
    const c = cluster();
    c.register(sys());
    const r = c.step({}, 'sys');
    expect(
      placed(r.plan)
        .map((a) => a.nodeId)
        .sort(),
    ).toEqual(['node-0', 'node-1', 'node-2']);
    expect(placed(r.plan).every((a) => a.name === 'sys.agent[0]')).toBe(true);
    c.addNode(mkNode('node-3'));
    const r2 = c.step({ triggeredBy: 'node-update', nodeId: 'node-3' }, 'sys');
    expect(placed(r2.plan).map((a) => a.nodeId)).toEqual(['node-3']);
    expect(r2.annotations.desiredTGUpdates.agent).toMatchObject({ place: 1, ignore: 3 });
    const again = c.step({}, 'sys');
    expect(placed(again.plan).length).toBe(0);
  });

  it('skips ineligible nodes and nodes a constraint excludes without failing', () => {
    const c = cluster();
    c.addNode(mkNode('node-x', { schedulingEligibility: 'ineligible' }));
    c.addNode(mkNode('node-win', { attributes: { 'kernel.name': 'windows', 'driver.exec': '1' } }));
    c.register(sys({ constraints: [{ ltarget: '${attr.kernel.name}', rtarget: 'linux', operand: '=' }] }));
    const r = c.step({}, 'sys');
    expect(
      placed(r.plan)
        .map((a) => a.nodeId)
        .sort(),
    ).toEqual(['node-0', 'node-1', 'node-2']);
    expect(r.failedTGAllocs).toEqual({});
    expect(r.blockedEval).toBeUndefined();
  });

  it('marks allocations of a down node lost and stops them on removed groups', () => {
    const c = cluster();
    c.register(sys());
    c.step({}, 'sys');
    c.nodes.set('node-1', { ...c.nodes.get('node-1')!, status: 'down' });
    const r = c.step({ triggeredBy: 'node-update' }, 'sys');
    expect(stopped(r.plan).map((a) => [a.nodeId, a.clientStatus])).toEqual([['node-1', 'lost']]);
    expect(placed(r.plan).length).toBe(0);
  });

  it('leaves a draining node alone until the drainer marks its allocation, then stops it there', () => {
    const c = cluster();
    c.register(sys());
    c.step({}, 'sys');
    const drain = { deadline: 3600e9, ignoreSystemJobs: false, forceDeadline: 0, startedAt: c.now };
    c.nodes.set('node-2', {
      ...c.nodes.get('node-2')!,
      schedulingEligibility: 'ineligible',
      drainStrategy: drain,
    });
    const r = c.step({ triggeredBy: 'node-drain' }, 'sys');
    expect(stopped(r.plan).length).toBe(0);
    expect(placed(r.plan).length).toBe(0);
    const onNode = c.live('sys').find((a) => a.nodeId === 'node-2')!;
    c.allocs.set(onNode.id, { ...onNode, desiredTransition: { migrate: true } });
    const r2 = c.step({ triggeredBy: 'node-drain' }, 'sys');
    expect(stopped(r2.plan).map((a) => [a.id, a.desiredDescription])).toEqual([
      [onNode.id, 'alloc not needed as node is tainted'],
    ]);
    expect(placed(r2.plan).length).toBe(0);
    expect(r2.annotations.desiredTGUpdates.agent?.migrate).toBe(1);
  });

  it('rolls destructive updates max_parallel at a time with a rolling-update follow-up', () => {
    const c = cluster(4);
    c.register(sys());
    c.step({}, 'sys');
    c.register(
      sys({
        update: {
          stagger: 30e9,
          maxParallel: 1,
          healthCheck: '',
          minHealthyTime: 0,
          healthyDeadline: 0,
          progressDeadline: 0,
          canary: 0,
          autoRevert: false,
          autoPromote: false,
        },
        taskGroups: [
          mkGroup({ name: 'agent', count: 1, tasks: [mkTask({ config: { command: '/bin/v2' } })] }),
        ],
      }),
    );
    const r = c.step({}, 'sys');
    expect(r.annotations.desiredTGUpdates.agent).toMatchObject({ destructiveUpdate: 1, ignore: 3 });
    expect(placed(r.plan).length).toBe(1);
    expect(r.followupEvals.map((e) => [e.triggeredBy, e.waitUntil - c.now])).toEqual([
      ['rolling-update', 30e9],
    ]);
    for (let i = 0; i < 3; i++) c.step({ triggeredBy: 'rolling-update' }, 'sys');
    expect(c.live('sys').length).toBe(4);
    expect(c.live('sys').every((a) => a.job?.version === 1)).toBe(true);
  });
});

describe('sysbatch scheduler', () => {
  it('runs once per node and does not rerun after success, but does on a new node', () => {
    const c = cluster();
    c.register(mkJob({ id: 'sb', type: 'sysbatch', taskGroups: [mkGroup({ name: 'once', count: 1 })] }));
    const r = c.step({}, 'sb');
    expect(placed(r.plan).length).toBe(3);
    c.setClient(
      c.live('sb').map((a) => a.id),
      'complete',
    );
    const r2 = c.step({ triggeredBy: 'node-update' }, 'sb');
    expect(placed(r2.plan).length).toBe(0);
    expect(r2.annotations.desiredTGUpdates.once?.ignore).toBe(3);
    c.addNode(mkNode('node-9'));
    const r3 = c.step({ triggeredBy: 'node-update' }, 'sb');
    expect(placed(r3.plan).map((a) => a.nodeId)).toEqual(['node-9']);
  });
});

describe('system preemption', () => {
  it('evicts lower-priority allocations to fit a system job on a full node', () => {
    const c = new Cluster();
    c.addNode(mkNode('node-0'));
    // A priority-20 service fills the node's 4000 MHz.
    c.register(mkJob({ id: 'low', priority: 20, taskGroups: [mkGroup({ count: 8 })] }));
    c.step({}, 'low');
    expect(c.live('low').length).toBe(8);
    c.register(sys({ priority: 100 }));
    const r = c.step({}, 'sys');
    expect(placed(r.plan).map((a) => a.nodeId)).toEqual(['node-0']);
    const evicted = Object.values(r.plan.nodePreemptions).flat();
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted.every((a) => a.jobId === 'low' && a.desiredStatus === 'evict')).toBe(true);
    expect(placed(r.plan)[0]!.preemptedAllocations.sort()).toEqual(evicted.map((a) => a.id).sort());
    expect(r.annotations.desiredTGUpdates.agent?.preemptions).toBe(evicted.length);
  });
});

describe('datacenter globs (one readyNodesInDCsAndPool for every scheduler)', () => {
  function dcCluster(): Cluster {
    const c = new Cluster();
    c.addNode(mkNode('east-0', { datacenter: 'us-east-1' }));
    c.addNode(mkNode('west-0', { datacenter: 'us-west-2' }));
    c.addNode(mkNode('eu-0', { datacenter: 'eu-central-1' }));
    return c;
  }

  it('places a system job with datacenters = ["us-*"] on every us node and nowhere else', () => {
    const c = dcCluster();
    c.register(sys({ datacenters: ['us-*'] }));
    const r = c.step({}, 'sys');
    expect(
      placed(r.plan)
        .map((a) => a.nodeId)
        .sort(),
    ).toEqual(['east-0', 'west-0']);
    expect(r.failedTGAllocs).toEqual({});
  });

  it('places a sysbatch job with datacenters = ["us-*"] on every us node and nowhere else', () => {
    const c = dcCluster();
    c.register(
      mkJob({
        id: 'sb',
        type: 'sysbatch',
        datacenters: ['us-*'],
        taskGroups: [mkGroup({ name: 'once', count: 1 })],
      }),
    );
    const r = c.step({}, 'sb');
    expect(
      placed(r.plan)
        .map((a) => a.nodeId)
        .sort(),
    ).toEqual(['east-0', 'west-0']);
  });
});

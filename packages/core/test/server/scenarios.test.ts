import { describe, expect, it } from 'vitest';
import { createSimulation, type SimulationOptions } from '../../src/simulate/simulate.js';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Job, UpdateStrategy } from '../../src/jobspec/types.js';

const S = 1_000_000_000;

const update = (o: Partial<UpdateStrategy> = {}): UpdateStrategy => ({
  stagger: 30 * S,
  maxParallel: 1,
  healthCheck: 'checks',
  minHealthyTime: 10 * S,
  healthyDeadline: 300 * S,
  progressDeadline: 600 * S,
  canary: 0,
  autoRevert: false,
  autoPromote: false,
  ...o,
});

function serviceJob(version: string, count: number, u: UpdateStrategy): Job {
  const task = mockTask('app');
  const tg = {
    ...mockTaskGroup('web', count, { ...task, config: { command: '/bin/app', args: [version] } }),
    update: u,
  };
  return mockJob({ id: 'web', update: u, taskGroups: [tg] });
}

function nodes(n: number) {
  return Array.from({ length: n }, (_, i) => mockNode({ id: `node-${i + 1}` }));
}

async function sim(o: Partial<SimulationOptions> & { nodes: SimulationOptions['nodes'] }) {
  const s = createSimulation(o);
  await s.start();
  return s;
}

describe('simulation scenarios', () => {
  it('a rolling update with a canary auto-promotes and replaces every allocation', async () => {
    const s = await sim({ nodes: nodes(3) });
    const u = update({ canary: 1, autoPromote: true });
    expect((await s.cp.registerJob(serviceJob('v1', 3, u))).ok).toBe(true);
    const first = () => s.cp.state().latestDeploymentByJob('default', 'web')?.status === 'successful';
    expect(await s.runFor(120 * S, first)).toBe(true);
    expect(s.cp.state().jobById('default', 'web')?.stable).toBe(true);

    expect((await s.cp.registerJob(serviceJob('v2', 3, u))).ok).toBe(true);
    await s.cp.processEvals();
    const d = s.cp.state().latestDeploymentByJob('default', 'web')!;
    expect(d.jobVersion).toBe(1);
    expect(d.taskGroups['web']).toMatchObject({ desiredCanaries: 1, promoted: false });
    // The canary runs beside the three old allocations until promoted.
    expect(s.liveAllocs('web').length).toBe(4);
    const promoted = () => s.cp.state().deploymentById(d.id)?.taskGroups['web']?.promoted === true;
    expect(await s.runFor(60 * S, promoted)).toBe(true);
    const done = () => s.cp.state().deploymentById(d.id)?.status === 'successful';
    expect(await s.runFor(300 * S, done)).toBe(true);
    const live = s.liveAllocs('web');
    expect(live.length).toBe(3);
    expect(live.every((a) => a.job?.version === 1)).toBe(true);
    expect(s.cp.state().jobById('default', 'web')).toMatchObject({ version: 1, stable: true });
  });

  it('an unhealthy deployment fails and auto-reverts to the last stable version', async () => {
    const s = await sim({
      nodes: nodes(3),
      behavior: { healthy: (a) => a.job?.version !== 1 },
    });
    const u = update({ autoRevert: true, maxParallel: 1 });
    await s.cp.registerJob(serviceJob('good', 2, u));
    expect(await s.runFor(120 * S, () => s.cp.state().jobById('default', 'web')?.stable === true)).toBe(true);
    await s.cp.registerJob(serviceJob('bad', 2, u));
    await s.cp.processEvals();
    const d = s.cp.state().latestDeploymentByJob('default', 'web')!;
    expect(d.jobVersion).toBe(1);
    expect(await s.runFor(120 * S, () => s.cp.state().deploymentById(d.id)?.status === 'failed')).toBe(true);
    expect(s.cp.state().deploymentById(d.id)?.statusDescription).toBe(
      'Failed due to unhealthy allocations - rolling back to job version 0',
    );
    const job = s.cp.state().jobById('default', 'web')!;
    expect(job.version).toBe(2);
    expect(job.taskGroups[0]?.tasks[0]?.config).toEqual({ command: '/bin/app', args: ['good'] });
    // The reverted version rolls out and becomes healthy again.
    expect(
      await s.runFor(300 * S, () => {
        const live = s.liveAllocs('web');
        return live.length === 2 && live.every((a) => a.job?.version === 2 && a.clientStatus === 'running');
      }),
    ).toBe(true);
  });

  it('a node that misses heartbeats goes down and its allocations are replaced elsewhere', async () => {
    const s = await sim({ nodes: nodes(3) });
    await s.cp.registerJob(mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 3)] }));
    await s.runFor(5 * S);
    const victim = s.liveAllocs('web')[0]!.nodeId;
    const before = s.cp
      .state()
      .allocsByNode(victim)
      .filter((a) => a.clientStatus === 'running').length;
    expect(before).toBeGreaterThan(0);
    s.failNode(victim);
    // TTL 10 s + grace 10 s: still ready after 15 s, down after 25 s.
    await s.runFor(15 * S);
    expect(s.cp.state().nodeById(victim)?.status).toBe('ready');
    await s.runFor(10 * S);
    expect(s.cp.state().nodeById(victim)?.status).toBe('down');
    const lost = s.cp
      .state()
      .allocsByNode(victim)
      .filter((a) => a.clientStatus === 'lost');
    expect(lost.length).toBe(before);
    await s.runFor(5 * S);
    const live = s.liveAllocs('web');
    expect(live.length).toBe(3);
    expect(live.every((a) => a.nodeId !== victim && a.clientStatus === 'running')).toBe(true);
  });

  it('a drain with a deadline migrates allocations paced by max_parallel, forces the rest, then ends', async () => {
    const s = await sim({ nodes: nodes(2) });
    const tg = {
      ...mockTaskGroup('web', 4),
      migrate: { maxParallel: 1, healthCheck: 'checks', minHealthyTime: 10 * S, healthyDeadline: 300 * S },
    };
    await s.cp.registerJob(mockJob({ id: 'web', taskGroups: [tg] }));
    await s.runFor(5 * S);
    // Put everything on node-1 by draining node-2 first with force.
    await s.cp.drainNode('node-2', { deadline: -1 });
    await s.runFor(10 * S, () => s.cp.state().nodeById('node-2')?.drainStrategy === undefined);
    await s.cp.setEligibility('node-2', 'eligible');
    expect(s.liveAllocs('web').every((a) => a.nodeId === 'node-1')).toBe(true);

    await s.cp.drainNode('node-1', { deadline: 60 * S });
    await s.advance();
    // max_parallel 1: one migration at a time before the deadline.
    const migrating = () =>
      s.cp
        .state()
        .allocsByNode('node-1')
        .filter((a) => a.desiredTransition.migrate).length;
    expect(migrating()).toBe(1);
    expect(s.cp.state().nodeById('node-1')?.schedulingEligibility).toBe('ineligible');
    const ended = () => s.cp.state().nodeById('node-1')?.drainStrategy === undefined;
    expect(await s.runFor(90 * S, ended)).toBe(true);
    // The deadline (60 s) came before four paced migrations could finish; the drain still completed.
    expect(s.clock.now()).toBeLessThan(1_767_225_600 * S + 200 * S);
    const live = s.liveAllocs('web');
    expect(live.length).toBe(4);
    expect(live.every((a) => a.nodeId === 'node-2')).toBe(true);
  });

  it('a periodic batch job in Asia/Tokyo launches at local times and skips overlapping launches', async () => {
    // 2026-01-01T00:00:00Z is 09:00 in Tokyo. The job runs every hour at :30 Tokyo time.
    const s = await sim({
      nodes: nodes(1),
      step: 60 * S,
      behavior: { batchRuntime: () => 90 * 60 * S }, // each run lasts 90 minutes
    });
    const job = mockJob({
      id: 'report',
      type: 'batch',
      taskGroups: [mockTaskGroup('report', 1)],
      periodic: {
        enabled: true,
        spec: '30 * * * *',
        specs: [],
        specType: 'cron',
        prohibitOverlap: true,
        timeZone: 'Asia/Tokyo',
      },
    });
    expect((await s.cp.registerJob(job)).ok).toBe(true);
    expect(s.cp.state().evalsByJob('default', 'report')).toEqual([]); // parents are not scheduled
    await s.runFor(29 * 60 * S);
    expect(s.cp.state().childJobs('default', 'report')).toEqual([]);
    await s.runFor(2 * 60 * S);
    const children = s.cp.state().childJobs('default', 'report');
    expect(children.map((c) => c.id)).toEqual([`report/periodic-${1_767_225_600 + 30 * 60}`]);
    expect(s.liveAllocs(children[0]!.id).length).toBe(1);
    // 10:30 Tokyo: the first run (90 min) still runs, so this launch is skipped but recorded.
    await s.runFor(60 * 60 * S);
    expect(s.cp.state().childJobs('default', 'report').length).toBe(1);
    expect(s.cp.state().periodicLaunch('default', 'report')?.launch).toBe((1_767_225_600 + 90 * 60) * S);
    // 11:30 Tokyo: the first run finished at 11:00, so this one launches.
    await s.runFor(60 * 60 * S);
    expect(s.cp.state().childJobs('default', 'report').length).toBe(2);
    expect(s.cp.state().jobById('default', `report/periodic-${1_767_225_600 + 30 * 60}`)?.status).toBe(
      'dead',
    );
  });

  it('a blocked evaluation is released when a node joins', async () => {
    const s = await sim({ nodes: [mockNode({ id: 'small', cpu: 500 })] });
    const big = mockTask('app', { cpu: 2000 });
    await s.cp.registerJob(mockJob({ id: 'big', taskGroups: [mockTaskGroup('web', 2, big)] }));
    await s.cp.processEvals();
    expect(s.liveAllocs('big').length).toBe(0);
    expect(s.cp.blocked.stats().totalBlocked).toBe(1);
    const blockedEval = s.cp
      .state()
      .evalsByJob('default', 'big')
      .find((e) => e.status === 'blocked');
    expect(blockedEval?.failedTGAllocs['web']).toBeDefined();
    await s.addNode(mockNode({ id: 'large', cpu: 8000 }));
    await s.cp.processEvals();
    expect(s.cp.blocked.stats().totalBlocked).toBe(0);
    expect(s.liveAllocs('big').map((a) => a.nodeId)).toEqual(['large', 'large']);
  });
});

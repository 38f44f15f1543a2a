import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulate/simulate.js';
import { mockJob, mockNode, mockTaskGroup } from '../../src/simulate/mock.js';
import { createControlPlane } from '../../src/server/controlPlane.js';
import { createSingleNodeConsensus } from '../../src/raft/consensus.js';
import { ManualClock } from '../../src/util/clock.js';
import type { Command } from '../../src/state/commands.js';
import type { SerializedState } from '../../src/state/persist.js';

const S = 1_000_000_000;
const HOUR = 3600 * S;

describe('ControlPlane', () => {
  it('refuses bad writes as values and records nothing', async () => {
    const cp = createControlPlane({ clock: new ManualClock(0) });
    const before = cp.state();
    expect(await cp.updateAllocs([{ id: 'ghost', clientStatus: 'running' }])).toEqual({
      ok: false,
      error: 'alloc not found: ghost',
    });
    expect((await cp.registerJob(mockJob({ id: 'x', taskGroups: [] }))).ok).toBe(false);
    expect(await cp.deregisterJob('default', 'nope')).toEqual({ ok: false, error: 'job not found: nope' });
    expect(cp.state().tables).toEqual(before.tables);
    expect(cp.refusals().map((r) => r.type)).toEqual(['AllocClientUpdate', 'JobRegister']);
  });

  it('applies and deletes namespaces; a job runs in one only once it exists', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })] });
    await sim.start();
    const job = mockJob({ id: 'api', namespace: 'staging', taskGroups: [mockTaskGroup('api', 1)] });
    expect(await sim.cp.registerJob(job)).toEqual({
      ok: false,
      error: 'job "api" is in nonexistent namespace "staging"',
    });
    expect((await sim.cp.upsertNamespace({ name: 'staging', description: 'Staging environment' })).ok).toBe(
      true,
    );
    expect((await sim.cp.registerJob(job)).ok).toBe(true);
    await sim.cp.processEvals();
    expect(sim.cp.state().allocsByJob('staging', 'api').length).toBe(1);
    expect((await sim.cp.deleteNamespace('staging')).ok).toBe(false);
    expect(await sim.cp.deleteNamespace('default')).toEqual({
      ok: false,
      error: 'default namespace can not be deleted',
    });
  });

  it('dispatches parameterized jobs checking meta and payload', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })] });
    await sim.start();
    const parent = mockJob({
      id: 'resize',
      type: 'batch',
      taskGroups: [mockTaskGroup('r', 1)],
      parameterizedJob: { payload: 'required', metaRequired: ['image'], metaOptional: ['size'] },
    });
    expect((await sim.cp.registerJob(parent)).ok).toBe(true);
    expect(await sim.cp.dispatchJob('default', 'resize', { image: 'a.png' })).toMatchObject({
      ok: false,
      error: 'Payload is not provided but required by parameterized job',
    });
    expect(await sim.cp.dispatchJob('default', 'resize', { size: '1' }, 'aGk=')).toMatchObject({
      ok: false,
      error: 'Dispatch did not provide required meta keys: ["image"]',
    });
    expect(await sim.cp.dispatchJob('default', 'resize', { image: 'a', color: 'x' }, 'aGk=')).toMatchObject({
      ok: false,
      error: 'Dispatch provided unpermitted meta keys: ["color"]',
    });
    const r = await sim.cp.dispatchJob('default', 'resize', { image: 'a.png' }, 'aGk=');
    expect(r.ok).toBe(true);
    const childId = r.ok ? r.jobId! : '';
    expect(childId).toMatch(/^resize\/dispatch-\d+-[0-9a-f]{8}$/);
    const child = sim.cp.state().jobById('default', childId)!;
    expect(child).toMatchObject({ parentId: 'resize', dispatched: true, payload: 'aGk=' });
    expect(child.meta['image']).toBe('a.png');
    await sim.cp.processEvals();
    expect(sim.liveAllocs(childId).length).toBe(1);
  });

  it('scales a group with a scaling event and respects the policy bounds', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })] });
    await sim.start();
    const tg = {
      ...mockTaskGroup('web', 1),
      scaling: { id: 'p', type: 'horizontal', min: 1, max: 3, enabled: true, policy: {}, target: {} },
    };
    await sim.cp.registerJob(mockJob({ id: 'web', taskGroups: [tg] }));
    await sim.cp.processEvals();
    expect(await sim.cp.scaleJob('default', 'web', 'web', 5)).toMatchObject({
      ok: false,
      error: 'group count was greater than scaling policy maximum: 5 > 3',
    });
    expect((await sim.cp.scaleJob('default', 'web', 'web', 3, 'busy')).ok).toBe(true);
    await sim.cp.processEvals();
    expect(sim.liveAllocs('web').length).toBe(3);
    const events = sim.cp.state().scalingEvents('default', 'web')?.taskGroups['web'];
    expect(events?.map((e) => [e.count, e.previousCount, e.message])).toEqual([[3, 1, 'busy']]);
  });

  it('garbage-collects finished evaluations, allocations and dead jobs after their thresholds', async () => {
    const sim = createSimulation({
      nodes: [mockNode({ id: 'n1' })],
      behavior: { batchRuntime: () => 5 * S },
    });
    await sim.start();
    await sim.cp.registerJob(mockJob({ id: 'once', type: 'batch', taskGroups: [mockTaskGroup('b', 1)] }));
    await sim.runFor(20 * S);
    expect(sim.cp.state().jobById('default', 'once')?.status).toBe('dead');
    await sim.runFor(HOUR, () => false);
    expect(sim.cp.state().jobById('default', 'once')).toBeDefined(); // job threshold is 4 h
    sim.clock.advance(4 * HOUR);
    await sim.advance();
    expect(sim.cp.state().jobById('default', 'once')).toBeUndefined();
    expect(sim.cp.state().tables.allocs.size).toBe(0);
    expect(sim.cp.state().tables.evals.size).toBe(0);
  });

  it('stops scheduling when leadership is lost and rebuilds the broker when regained', async () => {
    const consensus = createSingleNodeConsensus<Command, SerializedState>();
    const cp = createControlPlane({ clock: new ManualClock(0), consensus });
    await cp.registerNode(mockNode({ id: 'n1' }));
    consensus.setLeader(false);
    expect((await cp.registerJob(mockJob({ id: 'web' }))).ok).toBe(false);
    consensus.setLeader(true);
    await cp.registerJob(mockJob({ id: 'web' }));
    consensus.setLeader(false);
    expect(await cp.processEvals()).toBe(0);
    consensus.setLeader(true); // pending evaluation restored from the state
    expect(await cp.processEvals()).toBe(1);
    expect(cp.state().allocsByJob('default', 'web').length).toBe(1);
  });
});

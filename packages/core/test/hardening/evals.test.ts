/**
 * Issue #18 item 2 (follow-up evaluations are lost), item 5 (failed-follow-up) and item 10
 * (duplicate blocked evaluations), through the real ControlPlane.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../src/simulate/simulate.js';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Job } from '../../src/jobspec/types.js';
import { applyCommand } from '../../src/state/reducer.js';
import { nodeUpdateEvals } from '../../src/server/heartbeats.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import type { Evaluation } from '../../src/structs/evaluation.js';
import { createSingleNodeConsensus, type Consensus } from '../../src/raft/consensus.js';
import type { Command } from '../../src/state/commands.js';
import type { SerializedState } from '../../src/state/persist.js';

const S = 1_000_000_000;

/** Evaluations still pending although nothing makes them wait. */
function stuckPending(sim: Simulation): Evaluation[] {
  const now = sim.clock.now();
  return [...sim.cp.state().tables.evals.values()].filter(
    (e) => e.status === 'pending' && e.waitUntil <= now && e.wait === 0,
  );
}

function sysJob(version: string): Job {
  const task = mockTask('t');
  task.config = { command: '/bin/sleep', args: [version] };
  const job = mockJob({ id: 'sys', type: 'system', taskGroups: [mockTaskGroup('g', 1, task)] });
  const update = { ...job.update!, maxParallel: 1, stagger: 5 * S };
  return { ...job, update, taskGroups: job.taskGroups.map((g) => ({ ...g, update })) };
}

describe('follow-up evaluations (issue #18 item 2)', () => {
  it("a system job's rolling update proceeds past the first node", async () => {
    const sim = createSimulation({ nodes: ['n1', 'n2', 'n3'].map((id) => mockNode({ id })) });
    await sim.start();
    expect((await sim.cp.registerJob(sysJob('1'))).ok).toBe(true);
    await sim.runFor(5 * S);
    expect(sim.liveAllocs('sys').length).toBe(3);
    expect((await sim.cp.registerJob(sysJob('2'))).ok).toBe(true);
    const version = sim.cp.state().jobById('default', 'sys')!.version;
    const done = await sim.runFor(120 * S, () =>
      sim
        .liveAllocs('sys')
        .every((a) => (a.job ?? sim.cp.state().jobById('default', 'sys'))!.version === version),
    );
    expect(done).toBe(true);
    expect(sim.liveAllocs('sys').length).toBe(3);
    expect(sim.cp.refusals()).toEqual([]);
    expect(stuckPending(sim)).toEqual([]);
  });

  it('a failed batch allocation is rescheduled', async () => {
    let failures = 0;
    const sim = createSimulation({
      nodes: [mockNode({ id: 'n1' }), mockNode({ id: 'n2' })],
      behavior: { fails: () => failures++ === 0, batchRuntime: () => undefined },
    });
    await sim.start();
    const job = mockJob({ id: 'b', type: 'batch', taskGroups: [mockTaskGroup('g', 1)] });
    expect((await sim.cp.registerJob(job)).ok).toBe(true);
    const replaced = await sim.runFor(120 * S, () =>
      sim.cp
        .state()
        .allocsByJob('default', 'b')
        .some((a) => a.previousAllocation !== '' && a.clientStatus === 'running'),
    );
    expect(replaced).toBe(true);
    expect(sim.cp.refusals()).toEqual([]);
    expect(stuckPending(sim)).toEqual([]);
  });

  it('deployment-watcher, drain and node-update evaluations do not stay pending', async () => {
    // A failed allocation waiting for its delayed reschedule (30 s for services) makes every
    // evaluation of the job create a follow-up: the path that lost evaluations.
    const sim = createSimulation({ nodes: ['n1', 'n2', 'n3', 'n4'].map((id) => mockNode({ id })) });
    await sim.start();
    const job = mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 3)] });
    expect((await sim.cp.registerJob(job)).ok).toBe(true);
    await sim.runFor(30 * S);
    const victim = sim.liveAllocs('web').find((a) => a.nodeId !== 'n1' && a.nodeId !== 'n2')!;
    expect((await sim.cp.updateAllocs([{ id: victim.id, clientStatus: 'failed' }])).ok).toBe(true);
    await sim.cp.processEvals();
    const task = { ...job.taskGroups[0]!.tasks[0]!, config: { command: '/bin/sleep', args: ['7200'] } };
    const v2 = { ...job, taskGroups: [{ ...job.taskGroups[0]!, tasks: [task] }] };
    expect((await sim.cp.registerJob(v2)).ok).toBe(true);
    await sim.runFor(12 * S);
    expect((await sim.cp.drainNode('n1', { deadline: 60 * S })).ok).toBe(true);
    await sim.runFor(2 * S); // the drainer acts on its tick
    sim.failNode('n2');
    expect((await sim.cp.updateNodeStatus('n2', 'down')).ok).toBe(true);
    await sim.cp.processEvals();
    const evals = [...sim.cp.state().tables.evals.values()];
    const triggers = new Set(evals.map((e) => e.triggeredBy));
    for (const t of ['deployment-watcher', 'node-drain', 'node-update', 'alloc-failure'])
      expect(triggers).toContain(t);
    expect(sim.cp.refusals()).toEqual([]);
    expect(stuckPending(sim)).toEqual([]);
  });
});

describe('the reducer is total (issue #18 item 2)', () => {
  it('refuses a malformed evaluation whole, with a reason, never a throw', () => {
    const state = StateSnapshot.empty();
    const bad = { id: 'e1', namespace: 'default', jobId: 'j', status: 'pending' } as unknown as Evaluation;
    const r = applyCommand(state, 1, { type: 'EvalUpdate', evals: [bad] });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/^evaluation e1: /);
    expect(r.state).toBe(state);
  });

  it('refuses an unknown command type instead of throwing', () => {
    const state = StateSnapshot.empty();
    const r = applyCommand(state, 1, { type: 'Nope' } as never);
    expect(r).toMatchObject({ ok: false });
  });
});

describe('refused writes and failed evaluations (issue #18 items 2 and 5)', () => {
  it("a refused EvalUpdate is retried, then recorded failed with Nomad's failed-follow-up", async () => {
    const inner = createSingleNodeConsensus<Command, SerializedState>();
    let target = '';
    // A real consensus whose log refuses the target evaluation's outcome (a fault as a full
    // disk or a lost quorum would cause); the reaper's `failed` write goes through.
    const consensus: Consensus<Command, SerializedState> = {
      ...inner,
      attach: (fsm) => inner.attach(fsm),
      propose: async (c) => {
        if (c.type === 'EvalUpdate' && c.evals.some((e) => e.id === target && e.status !== 'failed'))
          return { index: 0, result: { ok: false, error: 'injected refusal' } };
        return inner.propose(c);
      },
      leadership: () => inner.leadership(),
      onLeadershipChange: (l) => inner.onLeadershipChange(l),
    };
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })], consensus });
    await sim.start();
    const r = await sim.cp.registerJob(mockJob({ id: 'web' }));
    target = r.ok ? r.evalId! : '';
    // Deliveries at 0, +1 s and +20 s (the broker's nack delays); the third nack fails it.
    await sim.runFor(30 * S);
    const failed = sim.cp.state().evalById(target)!;
    expect(failed.status).toBe('failed');
    expect(failed.statusDescription).toBe('evaluation reached delivery limit (3)');
    const next = sim.cp.state().evalById(failed.nextEval)!;
    expect(next).toMatchObject({ triggeredBy: 'failed-follow-up', status: 'pending', previousEval: target });
    expect(next.wait).toBeGreaterThanOrEqual(60 * S);
    expect(next.wait).toBeLessThan(6 * 60 * S);
    // The follow-up runs once its wait has passed, and places the job.
    await sim.runFor(7 * 60 * S, () => sim.cp.state().evalById(next.id)!.status === 'complete');
    expect(sim.cp.state().evalById(next.id)!.status).toBe('complete');
    expect(sim.liveAllocs('web').length).toBe(1);
  });
});

describe('duplicate blocked evaluations (issue #18 item 10)', () => {
  it('repeated registrations of an unplaceable job leave one blocked evaluation', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1', cpu: 1000 })] });
    await sim.start();
    const big = mockJob({ id: 'big', taskGroups: [mockTaskGroup('g', 1, mockTask('t', { cpu: 5000 }))] });
    for (let i = 0; i < 4; i++) {
      expect((await sim.cp.registerJob({ ...big, meta: { i: String(i) } })).ok).toBe(true);
      await sim.cp.processEvals();
    }
    const evals = [...sim.cp.state().tables.evals.values()];
    expect(evals.filter((e) => e.status === 'blocked').length).toBe(1);
    const canceled = evals.filter((e) => e.status === 'canceled');
    expect(canceled.length).toBe(3);
    for (const e of canceled)
      expect(e.statusDescription).toBe('existing blocked evaluation exists for job "big"');
  });

  it('a job that places everything ends its blocked evaluation', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1', cpu: 1000 })] });
    await sim.start();
    const big = mockJob({ id: 'big', taskGroups: [mockTaskGroup('g', 1, mockTask('t', { cpu: 5000 }))] });
    expect((await sim.cp.registerJob(big)).ok).toBe(true);
    await sim.cp.processEvals();
    expect([...sim.cp.state().tables.evals.values()].filter((e) => e.status === 'blocked').length).toBe(1);
    const small = mockJob({ id: 'big', taskGroups: [mockTaskGroup('g', 1, mockTask('t', { cpu: 500 }))] });
    expect((await sim.cp.registerJob(small)).ok).toBe(true);
    await sim.cp.processEvals();
    expect(sim.liveAllocs('big').length).toBe(1);
    expect([...sim.cp.state().tables.evals.values()].filter((e) => e.status === 'blocked')).toEqual([]);
  });
});

describe('faults the property suite found', () => {
  it('a late or duplicated client report does not revive a failed allocation', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })] });
    await sim.start();
    expect((await sim.cp.registerJob(mockJob({ id: 'web' }))).ok).toBe(true);
    await sim.runFor(2 * S);
    const [a] = sim.liveAllocs('web');
    expect((await sim.cp.updateAllocs([{ id: a!.id, clientStatus: 'failed' }])).ok).toBe(true);
    expect((await sim.cp.updateAllocs([{ id: a!.id, clientStatus: 'running' }])).ok).toBe(true);
    expect(sim.cp.state().allocById(a!.id)!.clientStatus).toBe('failed');
  });

  it('stops of allocations on a node deregistered meanwhile still apply (no two live of one name)', async () => {
    const sim = createSimulation({ nodes: [mockNode({ id: 'n1' }), mockNode({ id: 'n2' })] });
    await sim.start();
    expect((await sim.cp.registerJob(mockJob({ id: 'web' }))).ok).toBe(true);
    await sim.runFor(2 * S);
    const [old] = sim.liveAllocs('web');
    const state = sim.cp.state();
    const evaluations = nodeUpdateEvals(state, old!.nodeId, sim.cp.newId, sim.clock.now());
    sim.failNode(old!.nodeId);
    expect((await sim.cp.propose({ type: 'NodeDeregister', nodeIds: [old!.nodeId], evaluations })).ok).toBe(
      true,
    );
    await sim.cp.processEvals();
    expect(sim.cp.state().allocById(old!.id)!.desiredStatus).toBe('stop');
    const live = sim.liveAllocs('web');
    expect(live.length).toBe(1);
    expect(live[0]!.nodeId).not.toBe(old!.nodeId);
    expect(sim.cp.refusals()).toEqual([]);
  });
});

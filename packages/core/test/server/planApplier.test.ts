import { describe, expect, it } from 'vitest';
import { createPlanApplier, evaluatePlan, type PlanApplierHost } from '../../src/server/planApplier.js';
import { applyCommand } from '../../src/state/reducer.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import type { Command, PlanApplyCommand } from '../../src/state/commands.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Allocation } from '../../src/structs/allocation.js';
import type { Plan } from '../../src/structs/plan.js';

// Each alloc asks 1000 MHz; nodes have 2000 MHz: two fit per node.
const job = mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 10, mockTask('t', { cpu: 1000 }))] });
const alloc = (id: string, nodeId: string): Allocation => mockAlloc({ id, jobId: 'web', nodeId, job });

function base(): StateSnapshot {
  let s = StateSnapshot.empty();
  const cmds: Command[] = [
    { type: 'NodeRegister', node: mockNode({ id: 'n1', cpu: 2000 }), now: 0 },
    { type: 'NodeRegister', node: mockNode({ id: 'n2', cpu: 2000 }), now: 0 },
    { type: 'JobRegister', job, now: 0 },
  ];
  for (const c of cmds) {
    const r = applyCommand(s, s.index + 1, c);
    if (!r.ok) throw new Error(r.error);
    s = r.state;
  }
  return s;
}

function plan(evalId: string, placements: Record<string, Allocation[]>, o: Partial<Plan> = {}): Plan {
  return {
    evalId,
    evalToken: 't',
    priority: 50,
    allAtOnce: false,
    job,
    nodeUpdate: {},
    nodeAllocation: placements,
    nodePreemptions: {},
    deploymentUpdates: [],
    snapshotIndex: 3,
    ...o,
  };
}

// A host whose consensus commits only when the test says so: plans pile up in flight.
function deferredHost(initial: StateSnapshot) {
  let state = initial;
  const pending: { cmd: PlanApplyCommand; resolve: (v: { index: number; error?: string }) => void }[] = [];
  const host: PlanApplierHost = {
    state: () => state,
    now: () => 10,
    tokenValid: (p) => p.evalToken !== 'stale',
    propose: (cmd) => new Promise((resolve) => pending.push({ cmd, resolve })),
  };
  const commitAll = async () => {
    while (pending.length) {
      const { cmd, resolve } = pending.shift()!;
      const r = applyCommand(state, state.index + 1, cmd);
      if (r.ok) state = r.state;
      resolve(r.ok ? { index: state.index } : { index: 0, error: r.error });
    }
    await Promise.resolve();
  };
  return { host, commitAll, pending, state: () => state };
}

describe('plan applier', () => {
  it('commits a plan that fits in full', () => {
    const { command, rejected } = evaluatePlan(
      base(),
      plan('e1', { n1: [alloc('a', 'n1'), alloc('b', 'n1')] }),
      1,
    );
    expect(rejected).toEqual({});
    expect(command?.allocsUpdated.map((a) => a.id)).toEqual(['a', 'b']);
  });

  it('rejects only the node that no longer fits and asks for a refresh (partial commit)', () => {
    const { command, rejected } = evaluatePlan(
      base(),
      plan('e1', { n1: [alloc('a', 'n1'), alloc('b', 'n1'), alloc('c', 'n1')], n2: [alloc('d', 'n2')] }),
      1,
    );
    expect(rejected).toEqual({ n1: 'cpu' });
    expect(command?.allocsUpdated.map((a) => a.id)).toEqual(['d']);
  });

  it('rejects an all-at-once plan entirely when one node does not fit', () => {
    const p = plan(
      'e1',
      { n1: [alloc('a', 'n1'), alloc('b', 'n1'), alloc('c', 'n1')], n2: [alloc('d', 'n2')] },
      { allAtOnce: true },
    );
    const { command, rejected } = evaluatePlan(base(), p, 1);
    expect(command).toBeUndefined();
    expect(Object.keys(rejected)).toEqual(['n1']);
  });

  it('rejects placements on a node that is gone, down or ineligible', () => {
    let s = base();
    for (const c of [
      { type: 'NodeStatusUpdate', nodeId: 'n2', status: 'down', now: 1 },
      { type: 'NodeRegister', node: mockNode({ id: 'n3', cpu: 2000 }), now: 1 },
      { type: 'NodeEligibility', nodeId: 'n3', eligibility: 'ineligible', now: 1 },
    ] as Command[]) {
      const r = applyCommand(s, s.index + 1, c);
      if (r.ok) s = r.state;
    }
    const { rejected } = evaluatePlan(
      s,
      plan('e', { gone: [alloc('x', 'gone')], n2: [alloc('y', 'n2')], n3: [alloc('z', 'n3')] }),
      1,
    );
    expect(rejected).toEqual({
      gone: 'node does not exist',
      n2: 'node is down and contains invalid updates',
      n3: 'node is not eligible',
    });
  });

  it('verifies concurrent plans against each other while the first is still committing (pipeline)', async () => {
    const d = deferredHost(base());
    const applier = createPlanApplier(d.host);
    // Two workers planned against the same snapshot: each believes n1 has room for two.
    const p1 = applier.submit(plan('e1', { n1: [alloc('a', 'n1'), alloc('b', 'n1')] }));
    const p2 = applier.submit(plan('e2', { n1: [alloc('c', 'n1')], n2: [alloc('d', 'n2')] }));
    // Both were verified before anything committed.
    expect(d.pending.length).toBe(2);
    await d.commitAll();
    const [r1, r2] = await Promise.all([p1, p2]);
    expect(r1).toMatchObject({ refreshIndex: 0, rejectedNodes: {} });
    expect(r2.rejectedNodes).toEqual({ n1: 'cpu' });
    expect(r2.refreshIndex).toBeGreaterThanOrEqual(r1.allocIndex);
    expect(Object.keys(r2.nodeAllocation)).toEqual(['n2']);
    expect(
      d
        .state()
        .allocsByNode('n1')
        .map((a) => a.id),
    ).toEqual(['a', 'b']);
    expect(
      d
        .state()
        .allocsByNode('n2')
        .map((a) => a.id),
    ).toEqual(['d']);
  });

  it('rejects a static port already taken by a concurrently committed plan (port collision)', async () => {
    const withPort = (id: string): Allocation => {
      const a = alloc(id, 'n1');
      a.allocatedResources!.shared.ports = [
        { label: 'http', value: 8080, to: 0, hostIp: '10.0.0.1', ignoreCollision: false },
      ];
      return a;
    };
    const d = deferredHost(base());
    const applier = createPlanApplier(d.host);
    // Both fit on cpu (1000 + 1000 of 2000 MHz); only the port collides.
    const p1 = applier.submit(plan('e1', { n1: [withPort('a')] }));
    const committed = d.commitAll();
    const p2 = applier.submit(plan('e2', { n1: [withPort('b')], n2: [alloc('c', 'n2')] }));
    await committed;
    await d.commitAll();
    const [r1, r2] = await Promise.all([p1, p2]);
    expect(r1.rejectedNodes).toEqual({});
    expect(r2.rejectedNodes['n1']).toMatch(/^reserved alloc port collision: .*port 8080 already in use/);
    expect(r2.refreshIndex).toBeGreaterThanOrEqual(r1.allocIndex);
    expect(Object.keys(r2.nodeAllocation)).toEqual(['n2']);
    expect(
      d
        .state()
        .allocsByNode('n1')
        .map((a) => a.id),
    ).toEqual(['a']);
  });

  it('refuses a plan whose evaluation token is no longer outstanding', async () => {
    const d = deferredHost(base());
    const applier = createPlanApplier(d.host);
    const stale = await applier.submit(plan('e0', { n1: [alloc('s', 'n1')] }, { evalToken: 'stale' }));
    expect(stale.error).toBe('evaluation token does not match');
    expect(d.pending.length).toBe(0);
    expect(applier.stats().applied).toBe(0);
  });
});

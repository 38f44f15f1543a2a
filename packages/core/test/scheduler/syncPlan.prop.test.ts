import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvalContext, emptyPlan, notePlanWrite, trackPlanWrites } from '../../src/scheduler/context.js';
import { createSnapshot } from '../../src/scheduler/snapshot.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import { markNewAllocation, type Allocation, isTerminal } from '../../src/structs/allocation.js';
import type { Plan } from '../../src/structs/plan.js';
import { createRng } from '../../src/util/rng.js';

const NODES = ['n1', 'n2', 'n3'];
const job = mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 10, mockTask('t', { cpu: 100 }))] });

function withCpu(a: Allocation, cpu: number): Allocation {
  const r = a.allocatedResources!;
  const t = r.tasks['t']!;
  return { ...a, allocatedResources: { ...r, tasks: { t: { ...t, cpu: { ...t.cpu, cpuShares: cpu } } } } };
}

// Existing allocations: live ones on every node, one already complete.
const existing: Allocation[] = [
  withCpu(mockAlloc({ id: 'e1', jobId: 'web', job, nodeId: 'n1', taskGroup: 'web' }), 300),
  withCpu(mockAlloc({ id: 'e2', jobId: 'web', job, nodeId: 'n2', taskGroup: 'web' }), 500),
  withCpu(mockAlloc({ id: 'e3', jobId: 'web', job, nodeId: 'n3', taskGroup: 'web' }), 700),
  {
    ...withCpu(mockAlloc({ id: 'e4', jobId: 'web', job, nodeId: 'n1', taskGroup: 'web' }), 900),
    clientStatus: 'complete',
  },
];
const snapshot = createSnapshot({
  nodes: NODES.map((id) => mockNode({ id })),
  allocations: existing,
  jobs: [job],
});
const config = {
  algorithm: 'binpack' as const,
  preemption: false,
  memoryOversubscription: false,
  nodeLimitForFeasibility: 100,
};

const node = fc.constantFrom(...NODES);
const opArb = fc.oneof(
  fc.record({ op: fc.constant('place' as const), node, cpu: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    op: fc.constant('inPlace' as const),
    id: fc.constantFrom('e1', 'e2', 'e3', 'e4'),
    cpu: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({
    op: fc.constant('replace' as const),
    node,
    k: fc.nat(3),
    cpu: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({ op: fc.constant('removePlaced' as const), node, k: fc.nat(3) }),
  fc.record({
    op: fc.constant('stop' as const),
    id: fc.constantFrom('e1', 'e2', 'e3', 'e4'),
    preempt: fc.boolean(),
  }),
  fc.record({ op: fc.constant('popStop' as const), node, preempt: fc.boolean() }),
  fc.record({ op: fc.constant('sync' as const), look: fc.array(fc.nat(2), { maxLength: 3 }) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** Writes the plan directly, as a scheduler does, reporting each write when the plan is tracked. */
function write(plan: Plan, o: Op, n: { next: number }): void {
  const touch = (id: string) => notePlanWrite(plan, id);
  switch (o.op) {
    case 'place': {
      const a = markNewAllocation(
        withCpu(
          mockAlloc({ id: `p${n.next++}`, jobId: 'web', job, nodeId: o.node, taskGroup: 'web' }),
          o.cpu,
        ),
      );
      (plan.nodeAllocation[o.node] ??= []).push(a);
      return touch(o.node);
    }
    case 'inPlace': {
      const e = existing.find((x) => x.id === o.id)!;
      (plan.nodeAllocation[e.nodeId] ??= []).push(withCpu(e, o.cpu));
      return touch(e.nodeId);
    }
    case 'replace': {
      const list = plan.nodeAllocation[o.node];
      if (!list || o.k >= list.length) return;
      list[o.k] = withCpu(list[o.k]!, o.cpu);
      return touch(o.node);
    }
    case 'removePlaced': {
      const list = plan.nodeAllocation[o.node];
      if (!list || o.k >= list.length) return;
      list.splice(o.k, 1);
      if (list.length === 0) delete plan.nodeAllocation[o.node];
      return touch(o.node);
    }
    case 'stop': {
      const e = existing.find((x) => x.id === o.id)!;
      const record = o.preempt ? plan.nodePreemptions : plan.nodeUpdate;
      (record[e.nodeId] ??= []).push({
        ...e,
        desiredStatus: o.preempt ? 'evict' : 'stop',
        allocatedResources: undefined,
      });
      return touch(e.nodeId);
    }
    case 'popStop': {
      const record = o.preempt ? plan.nodePreemptions : plan.nodeUpdate;
      const list = record[o.node];
      if (!list) return;
      list.pop();
      if (list.length === 0) delete record[o.node];
      return touch(o.node);
    }
    case 'sync':
      return;
  }
}

function usage(ctx: EvalContext): number[][] {
  return NODES.map((_, i) => {
    ctx.ensureUsage(i);
    return [ctx.table.usedCpu[i]!, ctx.table.usedMemory[i]!, ctx.table.usedDisk[i]!];
  });
}

describe('EvalContext plan catch-up', () => {
  it('after any plan edits (appends, replacements, removals) matches a context built from the final plan', () => {
    const seen = { rebuilt: 0 };
    fc.assert(
      fc.property(fc.boolean(), fc.array(opArb, { maxLength: 30 }), (tracked, ops) => {
        const plan = emptyPlan('e', job, 1);
        if (tracked) trackPlanWrites(plan);
        const ctx = new EvalContext(snapshot, job, plan, createRng(1), config, true);
        ctx.setNodes(snapshot.nodes());
        const counts = ctx.countsFor('web');
        const n = { next: 0 };
        for (const o of ops) {
          write(plan, o, n);
          if (o.op === 'replace' || o.op === 'removePlaced' || o.op === 'popStop') seen.rebuilt++;
          if (o.op === 'sync') {
            ctx.syncPlan();
            // Usage computed at different moments: lazily from the plan, or kept incrementally.
            for (const i of o.look) ctx.ensureUsage(i);
          }
        }
        ctx.syncPlan();
        const fresh = new EvalContext(snapshot, job, plan, createRng(1), config, true);
        fresh.setNodes(snapshot.nodes());
        fresh.syncPlan();
        expect(usage(ctx)).toEqual(usage(fresh));
        expect([...counts]).toEqual([...fresh.countsFor('web')]);
        // And both equal the plain definition: live existing allocations not stopped or replaced, plus placements.
        const expected = NODES.map((id) =>
          ctx
            .proposedAllocs(id)
            .filter((a) => !isTerminal(a))
            .reduce((sum, a) => sum + a.allocatedResources!.tasks['t']!.cpu.cpuShares, 0),
        );
        expect(usage(ctx).map((u) => u[0])).toEqual(expected);
      }),
    );
    expect(seen.rebuilt).toBeGreaterThan(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvalContext, emptyPlan } from '../../src/scheduler/context.js';
import { createSnapshot } from '../../src/scheduler/snapshot.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import { proposedUsageBySums } from '../../src/state/nodeUsage.js';
import { markNewAllocation, type Allocation } from '../../src/structs/allocation.js';
import { proposedAllocs, sumUsage } from '../../src/structs/proposedAllocs.js';
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
const existingId = fc.constantFrom('e1', 'e2', 'e3', 'e4');
const cpu = fc.integer({ min: 1, max: 400 });
const opArb = fc.oneof(
  fc.record({ op: fc.constant('place' as const), node, cpu }),
  fc.record({ op: fc.constant('inPlace' as const), id: existingId, cpu, resources: fc.boolean() }),
  fc.record({ op: fc.constant('replacePlaced' as const), k: fc.nat(5), cpu }),
  fc.record({ op: fc.constant('stop' as const), id: existingId }),
  fc.record({ op: fc.constant('preempt' as const), id: existingId }),
  fc.record({ op: fc.constant('popStop' as const), id: existingId }),
  fc.record({ op: fc.constant('look' as const), nodes: fc.array(fc.nat(2), { maxLength: 3 }) }),
);

function usage(ctx: EvalContext): number[][] {
  return NODES.map((_, i) => {
    ctx.ensureUsage(i);
    return [ctx.table.usedCpu[i]!, ctx.table.usedMemory[i]!, ctx.table.usedDisk[i]!];
  });
}

describe('EvalContext: the plan owner accounts inline', () => {
  it('after any sequence of writes, usage and counts equal the proposedAllocs rule, and the sums path agrees', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.boolean(), (ops, early) => {
        const ctx = new EvalContext(snapshot, job, emptyPlan('e', job, 1), createRng(1), config);
        // Writes before and after the node table exists must both be accounted.
        if (early) ctx.setNodes(snapshot.nodes());
        // Counters built before the writes are kept incrementally; after them, built from the plan.
        let counts = early ? ctx.countsFor('web') : undefined;
        const placed: Allocation[] = [];
        let next = 0;
        for (const o of ops) {
          switch (o.op) {
            case 'place': {
              const a = markNewAllocation(
                withCpu(
                  mockAlloc({ id: `p${next++}`, jobId: 'web', job, nodeId: o.node, taskGroup: 'web' }),
                  o.cpu,
                ),
              );
              placed.push(a);
              ctx.appendAlloc(a);
              break;
            }
            case 'inPlace': {
              const e = existing.find((x) => x.id === o.id)!;
              ctx.appendAlloc(o.resources ? withCpu(e, o.cpu) : { ...e, allocatedResources: undefined });
              break;
            }
            case 'replacePlaced': {
              const a = placed[o.k];
              if (a) ctx.appendAlloc(markNewAllocation(withCpu(a, o.cpu)));
              break;
            }
            case 'stop':
              ctx.appendStopped(
                existing.find((x) => x.id === o.id)!,
                'stop',
              );
              break;
            case 'preempt':
              ctx.appendPreempted(
                existing.find((x) => x.id === o.id)!,
                'p0',
              );
              break;
            case 'popStop':
              ctx.popStopped(existing.find((x) => x.id === o.id)!);
              break;
            case 'look':
              if (!early) ctx.setNodes(snapshot.nodes());
              early = true;
              counts ??= ctx.countsFor('web');
              // Usage computed at different moments: lazily from the plan, or kept incrementally.
              for (const i of o.nodes) ctx.ensureUsage(i);
              break;
          }
        }
        if (!early) ctx.setNodes(snapshot.nodes());
        counts ??= ctx.countsFor('web');
        const rule = NODES.map((id) => sumUsage(proposedAllocs(snapshot.allocsByNode(id), ctx.plan, id)));
        expect(usage(ctx)).toEqual(rule.map((u) => [u.cpu, u.memoryMB, u.diskMB]));
        // The applier's fast path of the same rule.
        for (const [i, id] of NODES.entries()) {
          const sums = proposedUsageBySums(snapshot, ctx.plan, id);
          if (!sums) continue;
          compared++;
          expect(sums).toEqual(rule[i]);
        }
        const expectedCounts = NODES.map(
          (id) =>
            proposedAllocs(snapshot.allocsByNode(id), ctx.plan, id).filter(
              (a) => a.jobId === 'web' && a.taskGroup === 'web',
            ).length,
        );
        expect([...counts]).toEqual(expectedCounts);
      }),
    );
    expect(compared).toBeGreaterThan(0);
  });
});

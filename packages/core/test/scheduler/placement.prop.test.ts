import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConstraint } from '../../src/scheduler/feasible/checkConstraint.js';
import { resolveTarget } from '../../src/scheduler/feasible/resolveTarget.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Constraint, Job } from '../../src/jobspec/types.js';
import { placeAll, setup } from './helpers.js';
import { allocUsage, isTerminal } from '../../src/structs/allocation.js';

const racks = ['r1', 'r2', 'r3'];

const nodeArb = fc.record({
  cpu: fc.integer({ min: 500, max: 8000 }),
  memoryMB: fc.integer({ min: 256, max: 16384 }),
  rack: fc.constantFrom(...racks),
  dc: fc.constantFrom('dc1', 'dc2'),
});

const scenarioArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 12 }),
  count: fc.integer({ min: 1, max: 15 }),
  cpu: fc.integer({ min: 100, max: 3000 }),
  memoryMB: fc.integer({ min: 64, max: 4096 }),
  constraint: fc.option(
    fc.record({
      operand: fc.constantFrom('=', '!=', 'set_contains_any'),
      rtarget: fc.constantFrom('r1', 'r2', 'r1,r3'),
    }),
    { nil: undefined },
  ),
  distinct: fc.constantFrom('none', 'hosts', 'property'),
  spread: fc.boolean(),
  algorithm: fc.constantFrom('binpack' as const, 'spread' as const),
  existing: fc.array(
    fc.record({
      node: fc.nat(),
      priority: fc.integer({ min: 1, max: 100 }),
      cpu: fc.integer({ min: 100, max: 4000 }),
    }),
    {
      maxLength: 8,
    },
  ),
  priority: fc.integer({ min: 1, max: 100 }),
  preemption: fc.boolean(),
  seed: fc.nat(),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const nodes = s.nodes.map((n, i) =>
    mockNode({ id: `n${i}`, cpu: n.cpu, memoryMB: n.memoryMB, datacenter: n.dc, meta: { rack: n.rack } }),
  );
  const tg = mockTaskGroup('web', s.count, mockTask('t', { cpu: s.cpu, memoryMB: s.memoryMB }));
  if (s.spread) tg.spreads = [{ attribute: '${meta.rack}', weight: 50, spreadTarget: [] }];
  const constraints: Constraint[] = [];
  if (s.constraint) constraints.push({ ltarget: '${meta.rack}', ...s.constraint });
  if (s.distinct === 'hosts') constraints.push({ ltarget: '', operand: 'distinct_hosts', rtarget: 'true' });
  if (s.distinct === 'property')
    constraints.push({ ltarget: '${meta.rack}', operand: 'distinct_property', rtarget: '2' });
  const job = mockJob({
    id: 'j',
    priority: s.priority,
    datacenters: ['dc1', 'dc2'],
    constraints,
    taskGroups: [tg],
  });
  const others: Job[] = [];
  const allocations = s.existing.map((e, k) => {
    const other = mockJob({
      id: `o${k}`,
      priority: e.priority,
      taskGroups: [mockTaskGroup('web', 1, mockTask('t', { cpu: e.cpu, memoryMB: 128 }))],
    });
    others.push(other);
    return mockAlloc({ id: `e${k}`, jobId: other.id, job: other, nodeId: `n${e.node % nodes.length}` });
  });
  const env = setup(
    job,
    { nodes, allocations, jobs: others },
    { seed: s.seed, config: { algorithm: s.algorithm, preemption: s.preemption } },
  );
  return { env, job, tg, nodes };
}

describe('placement properties', () => {
  it('never over-commits, honours hard constraints and distinct_*, preempts only lower priorities, and is deterministic', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { env, job, tg, nodes } = build(s);
        const placed = placeAll(env, tg, s.count);
        const plan = env.ctx.plan;
        const removed = new Set([...Object.values(plan.nodePreemptions).flat()].map((a) => a.id));
        for (const node of nodes) {
          // No node that receives a placement is over-committed once the plan applies.
          if (!plan.nodeAllocation[node.id]) continue;
          const live = [
            ...env.snapshot.allocsByNode(node.id),
            ...(plan.nodeAllocation[node.id] ?? []),
          ].filter((a) => !isTerminal(a) && !removed.has(a.id));
          const cpu = live.reduce((x, a) => x + allocUsage(a).cpu, 0);
          const mem = live.reduce((x, a) => x + allocUsage(a).memoryMB, 0);
          expect(cpu).toBeLessThanOrEqual(node.nodeResources.cpu.cpuShares);
          expect(mem).toBeLessThanOrEqual(node.nodeResources.memory.memoryMB);
        }
        const chosen = placed.filter((n) => n !== undefined);
        for (const n of chosen) {
          for (const c of job.constraints) {
            if (c.operand === 'distinct_hosts' || c.operand === 'distinct_property') continue;
            expect(checkConstraint(resolveTarget(c.ltarget, n), c.operand, resolveTarget(c.rtarget, n))).toBe(
              true,
            );
          }
        }
        if (s.distinct === 'hosts') expect(new Set(chosen.map((n) => n.id)).size).toBe(chosen.length);
        if (s.distinct === 'property') {
          const perRack = new Map<string, number>();
          for (const n of chosen) perRack.set(n.meta.rack!, (perRack.get(n.meta.rack!) ?? 0) + 1);
          for (const v of perRack.values()) expect(v).toBeLessThanOrEqual(2);
        }
        for (const p of Object.values(plan.nodePreemptions).flat()) {
          // The plan records an eviction without its job: the victim as stored tells its priority.
          const victim = env.snapshot.allocById(p.id);
          expect(job.priority - (victim?.job?.priority ?? Infinity)).toBeGreaterThanOrEqual(10);
        }
        if (!s.preemption) expect(Object.keys(plan.nodePreemptions)).toHaveLength(0);
        // Same inputs and seed, same result.
        const again = placeAll(build(s).env, tg, s.count).map((n) => n?.id);
        expect(again).toEqual(placed.map((n) => n?.id));
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateNodePlan } from '../../src/server/planApplier.js';
import { createSnapshot } from '../../src/scheduler/snapshot.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Command } from '../../src/state/commands.js';
import { allocClaimsIdentities, type NodeUsage } from '../../src/state/nodeUsage.js';
import { restoreState, serializeState } from '../../src/state/persist.js';
import { applyCommand } from '../../src/state/reducer.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import type { Allocation } from '../../src/structs/allocation.js';
import { allocsFit } from '../../src/structs/allocsFit.js';
import type { Plan } from '../../src/structs/plan.js';
import { allocUsage, isTerminal } from '../../src/structs/allocation.js';

const NODES = ['n1', 'n2', 'n3'];
const job = mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 10, mockTask('t', { cpu: 100 }))] });

/** An allocation asking cpu/memory, with a static port or a reserved core when asked to. */
function alloc(id: string, nodeId: string, cpu: number, memoryMB: number, claim: 'none' | 'port' | 'core') {
  return mockAlloc({
    id,
    jobId: 'web',
    job,
    nodeId,
    allocatedResources: {
      tasks: {
        t: {
          cpu: { cpuShares: cpu, reservedCores: claim === 'core' ? [0] : [] },
          memory: { memoryMB, memoryMaxMB: 0 },
          networks: [],
          devices: [],
        },
      },
      taskLifecycles: {},
      shared: {
        networks: [],
        diskMB: 10,
        ports:
          claim === 'port'
            ? [
                {
                  label: 'http',
                  value: 8080,
                  to: 0,
                  hostIp: '10.0.0.1',
                  ignoreCollision: false,
                },
              ]
            : [],
      },
    },
  });
}

const allocArb = fc.record({
  id: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'a6'),
  node: fc.constantFrom(...NODES),
  cpu: fc.integer({ min: 0, max: 1500 }),
  memoryMB: fc.integer({ min: 0, max: 1500 }),
  claim: fc.constantFrom('none', 'none', 'port', 'core'),
});

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('place' as const), allocs: fc.array(allocArb, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('stop' as const), id: allocArb.map((a) => a.id), preempt: fc.boolean() }),
  fc.record({
    kind: fc.constant('client' as const),
    id: allocArb.map((a) => a.id),
    status: fc.constantFrom('running', 'complete', 'failed', 'lost'),
  }),
  fc.record({ kind: fc.constant('gc' as const), id: allocArb.map((a) => a.id) }),
);

function base(maxAllocs: number): StateSnapshot {
  let s = StateSnapshot.empty();
  const cmds: Command[] = [
    ...NODES.map((id): Command => ({
      type: 'NodeRegister',
      node: { ...mockNode({ id, cpu: 3000, memoryMB: 3000 }), nodeMaxAllocs: maxAllocs },
      now: 0,
    })),
    { type: 'JobRegister', job, now: 0 },
  ];
  for (const c of cmds) {
    const r = applyCommand(s, s.index + 1, c);
    if (!r.ok) throw new Error(r.error);
    s = r.state;
  }
  return s;
}

function toCommand(s: StateSnapshot, step: Step): Command | undefined {
  const now = s.index;
  switch (step.kind) {
    case 'place':
      return {
        type: 'PlanApply',
        evalId: 'e',
        job,
        allocsUpdated: step.allocs.map((a) => alloc(a.id, a.node, a.cpu, a.memoryMB, a.claim)),
        allocsStopped: [],
        allocsPreempted: [],
        deployment: undefined,
        deploymentUpdates: [],
        now,
      };
    case 'stop': {
      const a = s.allocById(step.id);
      if (!a) return undefined;
      return {
        type: 'PlanApply',
        evalId: 'e',
        job,
        allocsUpdated: [],
        allocsStopped: step.preempt ? [] : [{ ...a, desiredStatus: 'stop' }],
        allocsPreempted: step.preempt ? [a] : [],
        deployment: undefined,
        deploymentUpdates: [],
        now,
      };
    }
    case 'client':
      return {
        type: 'AllocClientUpdate',
        allocs: [{ id: step.id, clientStatus: step.status }],
        now,
      };
    case 'gc':
      return { type: 'EvalDelete', evalIds: [], allocIds: [step.id] };
  }
}

type Step =
  | {
      kind: 'place';
      allocs: { id: string; node: string; cpu: number; memoryMB: number; claim: 'none' | 'port' | 'core' }[];
    }
  | { kind: 'stop'; id: string; preempt: boolean }
  | { kind: 'client'; id: string; status: string }
  | { kind: 'gc'; id: string };

/** The usage table as it must be: summed from the live allocations. */
function recomputed(s: StateSnapshot): Record<string, NodeUsage> {
  const out: Record<string, NodeUsage> = {};
  for (const a of s.tables.allocs.values()) {
    if (isTerminal(a)) continue;
    const u = allocUsage(a);
    const o = out[a.nodeId];
    out[a.nodeId] = {
      nodeId: a.nodeId,
      cpu: (o?.cpu ?? 0) + u.cpu,
      memoryMB: (o?.memoryMB ?? 0) + u.memoryMB,
      diskMB: (o?.diskMB ?? 0) + u.diskMB,
      allocs: (o?.allocs ?? 0) + 1,
      complex: (o?.complex ?? 0) + (allocClaimsIdentities(a) ? 1 : 0),
    };
  }
  return out;
}

const table = (s: StateSnapshot) =>
  Object.fromEntries([...s.tables.nodeUsage.values()].map((u) => [u.nodeId, u]));

/** The plan applier's check as it was before the sums: every allocation on the node. */
function referenceVerdict(s: StateSnapshot, plan: Plan, nodeId: string): string | undefined {
  const placing = plan.nodeAllocation[nodeId] ?? [];
  if (placing.length === 0) return undefined;
  const node = s.nodeById(nodeId)!;
  const existing = s.allocsByNode(nodeId).filter((a) => !isTerminal(a));
  const ids = new Set(existing.map((a) => a.id));
  if (placing.every((a) => ids.has(a.id))) return undefined;
  const remove = new Set([...(plan.nodeUpdate[nodeId] ?? []), ...placing].map((a) => a.id));
  const proposed = [...existing.filter((a) => !remove.has(a.id)), ...placing.filter((a) => !isTerminal(a))];
  const fit = allocsFit(node, proposed, { checkDevices: true });
  return fit.fit ? undefined : fit.dimension;
}

describe('node usage kept by the reducer', () => {
  it('always equals the sums over live allocations, survives a restore, and the applier agrees with the full check', () => {
    const seen = { fastVerdicts: 0, rejected: 0, complexNodes: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(0, 3),
        fc.array(stepArb, { maxLength: 25 }),
        fc.array(allocArb, { minLength: 1, maxLength: 4 }),
        fc.array(
          allocArb.map((a) => a.id),
          { maxLength: 2 },
        ),
        (maxAllocs, steps, probe, stops) => {
          let s = base(maxAllocs);
          for (const step of steps) {
            const c = toCommand(s, step as Step);
            if (!c) continue;
            const r = applyCommand(s, s.index + 1, c);
            if (!r.ok) {
              // Refused commands change nothing, usage included.
              expect(r.state).toBe(s);
              continue;
            }
            s = r.state;
            expect(table(s)).toEqual(recomputed(s));
          }
          expect(table(restoreState(JSON.parse(JSON.stringify(serializeState(s)))))).toEqual(recomputed(s));
          const scheduler = createSnapshot({
            nodes: NODES.map((id) => s.nodeById(id)!),
            allocations: [...s.tables.allocs.values()],
          });
          for (const id of NODES) expect(scheduler.nodeUsage?.(id)).toEqual(recomputed(s)[id]);
          // A plan against this state: the sums-based verdict equals the full per-allocation check.
          const nodeAllocation: Record<string, Allocation[]> = {};
          for (const a of probe)
            (nodeAllocation[a.node] ??= []).push(alloc(`p-${a.id}`, a.node, a.cpu, a.memoryMB, a.claim));
          const nodeUpdate: Record<string, Allocation[]> = {};
          for (const id of stops) {
            const a = s.allocById(id);
            if (a) (nodeUpdate[a.nodeId] ??= []).push({ ...a, desiredStatus: 'stop' });
          }
          const plan: Plan = {
            evalId: 'e',
            evalToken: '',
            priority: 50,
            allAtOnce: false,
            job,
            nodeUpdate,
            nodeAllocation,
            nodePreemptions: {},
            deploymentUpdates: [],
            snapshotIndex: s.index,
          };
          for (const id of NODES) {
            const got = evaluateNodePlan(s, plan, id);
            expect(got).toBe(referenceVerdict(s, plan, id));
            if (got !== undefined) seen.rejected++;
            if ((s.nodeUsage(id)?.complex ?? 0) === 0 && nodeAllocation[id]) seen.fastVerdicts++;
            if ((s.nodeUsage(id)?.complex ?? 0) > 0) seen.complexNodes++;
          }
        },
      ),
    );
    // Guards against a vacuous property: both the sums and the full check ran, and plans failed.
    expect(seen.fastVerdicts).toBeGreaterThan(0);
    expect(seen.complexNodes).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
  });
});

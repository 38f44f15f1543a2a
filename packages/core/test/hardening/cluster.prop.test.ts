/**
 * Issue #18 "Done when" line 2: random clusters through the real ControlPlane with faults —
 * node flaps, node and job deregistration during an evaluation, duplicated and reordered
 * commands, restarts from snapshots — checking after every step: no node over capacity in any
 * dimension, constraints and distinct_* hold, counts never exceeded, no two live allocations of
 * a job share a name, no evaluation lost while pending, job summaries equal counting
 * allocations, and snapshot/restore equals replay (also for what `schedule` then decides).
 * Its own generator (not test/arbitraries.ts). Seeds print and replay with FC_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Constraint, Job } from '../../src/jobspec/types.js';
import { createSingleNodeConsensus, type Consensus, type LogEntry } from '../../src/raft/consensus.js';
import { checkConstraint } from '../../src/scheduler/feasible/checkConstraint.js';
import { resolveTarget } from '../../src/scheduler/feasible/resolveTarget.js';
import { schedule } from '../../src/scheduler/schedule.js';
import { createStackPlacer } from '../../src/scheduler/stackPlacer.js';
import type { PlacerFactory } from '../../src/scheduler/scheduleContext.js';
import { createControlPlane, type ControlPlane } from '../../src/server/controlPlane.js';
import { nodeUpdateEvals } from '../../src/server/heartbeats.js';
import { mockEval, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { ClientAllocUpdate, Command } from '../../src/state/commands.js';
import { restoreState, serializeState, type SerializedState } from '../../src/state/persist.js';
import { allocTerminal, applyCommand } from '../../src/state/reducer.js';
import { StateSnapshot } from '../../src/state/stateSnapshot.js';
import type { Allocation } from '../../src/structs/allocation.js';
import { allocsFit } from '../../src/structs/allocsFit.js';
import type { Node } from '../../src/structs/node.js';
import { ManualClock } from '../../src/util/clock.js';

const S = 1_000_000_000;
const START = 1_767_225_600 * S;

// ---------------------------------------------------------------- the generator (own, not shared)

interface NodeSpec {
  cpu: number;
  memoryMB: number;
  rack: number;
  maxAllocs: number;
}
interface JobSpec {
  type: 'service' | 'batch' | 'system';
  groups: { count: number; cpu: number; memoryMB: number }[];
  distinctHosts: boolean;
  /** 0: none; else the distinct_property ${meta.rack} limit. */
  distinctRack: number;
  /** Keep off rack r2. */
  avoidRack2: boolean;
}
type Action =
  | { kind: 'register'; job: number; version: number; scale: number }
  | { kind: 'deregister'; job: number }
  | { kind: 'advance'; seconds: number }
  | { kind: 'flap'; node: number }
  | { kind: 'drain'; node: number }
  | { kind: 'deregisterNodeDuringEval'; node: number }
  | { kind: 'deregisterJobDuringEval'; job: number }
  | { kind: 'failAlloc'; pick: number }
  | { kind: 'duplicate' }
  | { kind: 'reorder' }
  | { kind: 'restart' };

const nodeArb: fc.Arbitrary<NodeSpec> = fc.record({
  cpu: fc.constantFrom(1000, 2000, 4000),
  memoryMB: fc.constantFrom(1024, 4096),
  rack: fc.integer({ min: 0, max: 2 }),
  maxAllocs: fc.constantFrom(0, 0, 2, 3),
});
const jobArb: fc.Arbitrary<JobSpec> = fc.record({
  type: fc.constantFrom('service', 'service', 'batch', 'system'),
  groups: fc.array(
    fc.record({
      count: fc.integer({ min: 0, max: 4 }),
      cpu: fc.constantFrom(100, 300, 700),
      memoryMB: fc.constantFrom(64, 256, 1024),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  distinctHosts: fc.boolean(),
  distinctRack: fc.constantFrom(0, 0, 1, 2),
  avoidRack2: fc.boolean(),
});
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('register' as const),
      job: fc.nat(9),
      version: fc.nat(2),
      scale: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deregister' as const), job: fc.nat(9) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.constantFrom(1, 5, 15, 40) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flap' as const), node: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drain' as const), node: fc.nat(9) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deregisterNodeDuringEval' as const), node: fc.nat(9) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deregisterJobDuringEval' as const), job: fc.nat(9) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('failAlloc' as const), pick: fc.nat(99) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reorder' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

function buildNode(i: number, s: NodeSpec): Node {
  return {
    ...mockNode({ id: `n${i}`, cpu: s.cpu, memoryMB: s.memoryMB, meta: { rack: `r${s.rack}` } }),
    nodeMaxAllocs: s.maxAllocs,
  };
}

function buildJob(i: number, s: JobSpec, version: number, scale: number): Job {
  const constraints: Constraint[] = [];
  if (s.distinctHosts) constraints.push({ ltarget: '', rtarget: '', operand: 'distinct_hosts' });
  if (s.distinctRack > 0)
    constraints.push({
      ltarget: '${meta.rack}',
      rtarget: String(s.distinctRack),
      operand: 'distinct_property',
    });
  if (s.avoidRack2) constraints.push({ ltarget: '${meta.rack}', rtarget: 'r2', operand: '!=' });
  const groups = s.groups.map((g, gi) => {
    const t = mockTask('t', { cpu: g.cpu, memoryMB: g.memoryMB });
    t.config = { command: '/bin/sleep', args: [String(version)] };
    const count = s.type === 'system' ? 1 : Math.min(4, Math.max(0, g.count + scale - 1));
    return {
      ...mockTaskGroup(`g${gi}`, count, t),
      ephemeralDisk: { sticky: false, migrate: false, sizeMB: 10 },
    };
  });
  return mockJob({ id: `job${i}`, type: s.type, constraints, taskGroups: groups });
}

// ---------------------------------------------------------------- the harness (real ControlPlane)

interface Harness {
  cp: ControlPlane;
  clock: ManualClock;
  log: LogEntry<Command>[];
  alive: Set<string>;
  /** A fault run inside the next evaluation's scheduling (the worker's snapshot is older). */
  duringEval: (() => void) | undefined;
  /** Client updates held back, delivered later (reordering). */
  held: ClientAllocUpdate[][];
  lastClientCommand: Command | undefined;
  startedAt: Map<string, number>;
}

function createHarness(): Harness {
  const h = {
    log: [] as LogEntry<Command>[],
    alive: new Set<string>(),
    duringEval: undefined,
    held: [],
    lastClientCommand: undefined,
    startedAt: new Map(),
  } as unknown as Harness;
  h.clock = new ManualClock(START);
  h.cp = newControlPlane(h, createSingleNodeConsensus<Command, SerializedState>());
  return h;
}

function newControlPlane(
  h: Harness,
  consensus: ReturnType<typeof createSingleNodeConsensus<Command, SerializedState>>,
): ControlPlane {
  consensus.onCommit((e) => h.log.push(e));
  const placer: PlacerFactory = (ctx, job) => {
    const fault = h.duringEval;
    h.duringEval = undefined;
    fault?.();
    return createStackPlacer(ctx, job);
  };
  return createControlPlane({
    clock: h.clock,
    consensus: consensus as Consensus<Command, SerializedState>,
    seed: 'harden',
    scheduleOptions: { placer },
    // GC off: it deletes allocations the summaries counted (summaries keep history, as Nomad's).
    gc: {
      evalGcThreshold: 1e18,
      batchEvalGcThreshold: 1e18,
      jobGcThreshold: 1e18,
      deploymentGcThreshold: 1e18,
      nodeGcThreshold: 1e18,
    },
  });
}

/** What live clients report: pending -> running, stop -> complete, batch done after 30 s. */
function clientUpdates(h: Harness): ClientAllocUpdate[] {
  const out: ClientAllocUpdate[] = [];
  const state = h.cp.state();
  const now = h.clock.now();
  for (const nodeId of [...h.alive].sort()) {
    for (const a of state.allocsByNode(nodeId)) {
      if (a.clientStatus === 'complete' || a.clientStatus === 'failed' || a.clientStatus === 'lost') continue;
      if (a.desiredStatus !== 'run') out.push({ id: a.id, clientStatus: 'complete' });
      else if (a.clientStatus === 'pending') {
        h.startedAt.set(a.id, now);
        out.push({ id: a.id, clientStatus: 'running' });
      } else if (
        state.jobById(a.namespace, a.jobId)?.type === 'batch' &&
        now - (h.startedAt.get(a.id) ?? now) >= 30 * S
      )
        out.push({ id: a.id, clientStatus: 'complete' });
    }
  }
  return out;
}

async function step(h: Harness, seconds: number): Promise<void> {
  h.clock.advance(seconds * S);
  for (const id of [...h.alive].sort()) await h.cp.heartbeat(id);
  const updates = clientUpdates(h);
  if (updates.length > 0) {
    await h.cp.updateAllocs(updates);
    h.lastClientCommand = h.log[h.log.length - 1]?.command;
  }
  await h.cp.tick();
  await h.cp.processEvals(500);
}

async function restart(h: Harness): Promise<void> {
  const snap = h.cp.consensus.snapshot();
  const data = JSON.parse(JSON.stringify(snap.data)) as SerializedState;
  const consensus = createSingleNodeConsensus<Command, SerializedState>({ startIndex: snap.index });
  h.cp = newControlPlane(h, consensus);
  consensus.restore({ index: snap.index, data });
  h.cp.establishLeadership();
}

async function act(h: Harness, a: Action, nodes: readonly Node[], jobs: readonly JobSpec[]): Promise<void> {
  const nodeOf = (n: number) => nodes[n % nodes.length]!;
  const jobIndex = (j: number) => j % jobs.length;
  switch (a.kind) {
    case 'register': {
      const i = jobIndex(a.job);
      await h.cp.registerJob(buildJob(i, jobs[i]!, a.version, a.scale));
      break;
    }
    case 'deregister':
      await h.cp.deregisterJob('default', `job${jobIndex(a.job)}`);
      break;
    case 'advance':
      break;
    case 'flap': {
      const n = nodeOf(a.node);
      if (!h.cp.state().nodeById(n.id)) {
        await h.cp.registerNode(n);
        h.alive.add(n.id);
      } else if (h.alive.has(n.id)) {
        h.alive.delete(n.id);
        await h.cp.updateNodeStatus(n.id, 'down');
      } else {
        h.alive.add(n.id);
        await h.cp.heartbeat(n.id);
      }
      break;
    }
    case 'drain':
      await h.cp.drainNode(nodeOf(a.node).id, { deadline: 10 * S });
      break;
    case 'deregisterNodeDuringEval': {
      const id = nodeOf(a.node).id;
      h.duringEval = () => {
        h.alive.delete(id);
        // As Nomad's Node.Deregister endpoint: with evaluations for the jobs it ran.
        const state = h.cp.state();
        if (!state.nodeById(id)) return;
        const evaluations = nodeUpdateEvals(state, id, h.cp.newId, h.clock.now());
        void h.cp.propose({ type: 'NodeDeregister', nodeIds: [id], evaluations });
      };
      break;
    }
    case 'deregisterJobDuringEval': {
      const id = `job${jobIndex(a.job)}`;
      h.duringEval = () => void h.cp.deregisterJob('default', id);
      break;
    }
    case 'failAlloc': {
      const live = [...h.cp.state().tables.allocs.values()].filter((x) => x.clientStatus === 'running');
      const victim = live[a.pick % Math.max(1, live.length)];
      if (victim) await h.cp.updateAllocs([{ id: victim.id, clientStatus: 'failed' }]);
      break;
    }
    case 'duplicate':
      // A client update delivered twice.
      if (h.lastClientCommand) await h.cp.propose(h.lastClientCommand);
      break;
    case 'reorder': {
      // Hold this step's client reports back and deliver them after the next step's.
      const updates = clientUpdates(h);
      if (updates.length > 0) h.held.push(updates);
      break;
    }
    case 'restart':
      await restart(h);
      break;
  }
  await step(h, a.kind === 'advance' ? a.seconds : 1);
  if (a.kind !== 'reorder') {
    for (const late of h.held.splice(0)) await h.cp.updateAllocs(late);
    await h.cp.processEvals(500);
  }
}

// ---------------------------------------------------------------- the invariants

const live = (a: Allocation): boolean => !allocTerminal(a);

function checkInvariants(h: Harness, label: string): void {
  const state = h.cp.state();
  const allocs = [...state.tables.allocs.values()];
  const nodes = new Map(state.nodes().map((n) => [n.id, n]));

  // No node over capacity in any dimension (cpu, memory, disk, cores, ports, max_allocs).
  const byNode = new Map<string, Allocation[]>();
  for (const a of allocs) if (live(a)) byNode.set(a.nodeId, [...(byNode.get(a.nodeId) ?? []), a]);
  for (const [nodeId, list] of byNode) {
    const node = nodes.get(nodeId);
    if (!node) continue; // a deregistered node: its allocations are being replaced
    const fit = allocsFit(node, list, { checkDevices: true });
    expect(fit.dimension, `${label}: node ${nodeId} over capacity`).toBe('');
  }

  for (const job of state.jobs()) {
    const mine = allocs.filter((a) => a.jobId === job.id && live(a));
    // No two live allocations of a job share a name (system jobs: one name per node, as Nomad
    // names every system allocation `<job>.<group>[0]`).
    const names = mine.map((a) => (job.type === 'system' ? `${a.nodeId}/${a.name}` : a.name));
    if (process.env.HARDEN_DEBUG && new Set(names).size !== names.length)
      for (const a of allocs.filter((x) => x.jobId === job.id))
        console.log(
          a.id.slice(0, 8),
          a.name,
          a.nodeId,
          a.desiredStatus,
          a.clientStatus,
          a.previousAllocation.slice(0, 8),
          a.nextAllocation?.slice(0, 8),
          a.createIndex,
          a.job?.version,
        );
    expect(new Set(names).size, `${label}: duplicate names ${names.sort().join(',')}`).toBe(names.length);
    if (job.stop) continue;
    for (const tg of job.taskGroups) {
      const group = mine.filter((a) => a.taskGroup === tg.name);
      // Counts never exceeded (system: one per node).
      if (job.type === 'system') {
        const perNode = new Set(group.map((a) => a.nodeId));
        expect(perNode.size, `${label}: ${job.id}/${tg.name} two on one node`).toBe(group.length);
      } else {
        if (process.env.HARDEN_DEBUG && group.length > tg.count)
          for (const a of allocs.filter((x) => x.jobId === job.id))
            console.log(
              a.id.slice(0, 8),
              a.name,
              a.nodeId,
              a.desiredStatus,
              a.clientStatus,
              a.previousAllocation.slice(0, 8),
              a.nextAllocation?.slice(0, 8),
              a.createIndex,
              a.modifyIndex,
              a.job?.version,
              a.evalId.slice(0, 8),
            );
        expect(group.length, `${label}: ${job.id}/${tg.name} over count`).toBeLessThanOrEqual(tg.count);
      }
    }
    // Constraints and distinct_* hold for the allocations of the current version.
    const current = mine.filter(
      (a) => (a.job?.version ?? job.version) === job.version && nodes.has(a.nodeId),
    );
    for (const c of job.constraints) {
      if (c.operand === 'distinct_hosts') {
        const hosts = current.map((a) => a.nodeId);
        expect(new Set(hosts).size, `${label}: ${job.id} distinct_hosts`).toBe(hosts.length);
      } else if (c.operand === 'distinct_property') {
        const per = new Map<string, number>();
        for (const a of current) {
          const v = resolveTarget(c.ltarget, nodes.get(a.nodeId)!) ?? '';
          per.set(v, (per.get(v) ?? 0) + 1);
        }
        for (const [v, n] of per)
          expect(n, `${label}: ${job.id} distinct_property ${v}`).toBeLessThanOrEqual(Number(c.rtarget));
      } else {
        for (const a of current) {
          const node = nodes.get(a.nodeId)!;
          const ok = checkConstraint(
            resolveTarget(c.ltarget, node),
            c.operand,
            resolveTarget(c.rtarget, node),
          );
          expect(ok, `${label}: ${job.id} constraint on ${a.nodeId}`).toBe(true);
        }
      }
    }
    // Job summaries equal counting allocations.
    const summary = state.jobSummary(job.namespace, job.id);
    const counted: Record<string, Record<string, number>> = {};
    for (const a of allocs) {
      if (a.jobId !== job.id) continue;
      const b = a.clientStatus === 'pending' ? 'starting' : a.clientStatus;
      const g = (counted[a.taskGroup] ??= {});
      g[b] = (g[b] ?? 0) + 1;
    }
    for (const [g, buckets] of Object.entries(summary?.summary ?? {}))
      for (const b of ['starting', 'running', 'complete', 'failed', 'lost', 'unknown'] as const)
        expect(buckets[b], `${label}: ${job.id}/${g} summary ${b}`).toBe(counted[g]?.[b] ?? 0);
  }

  // No evaluation is lost while pending: each one the state holds as pending is known to the
  // broker (ready, waiting for its time, or outstanding) — none silently dropped.
  const stats = h.cp.broker.stats();
  const pending = [...state.tables.evals.values()].filter((e) => e.status === 'pending');
  expect(pending.length, `${label}: pending evaluations unknown to the broker`).toBeLessThanOrEqual(
    stats.totalReady + stats.totalWaiting + stats.totalUnacked + stats.totalPending + stats.totalFailed,
  );
}

/** Snapshot -> restore equals replaying the log, and `schedule` decides the same on both. */
function checkSnapshotEqualsReplay(h: Harness, jobs: readonly JobSpec[], label: string): void {
  const state = h.cp.state();
  const restored = restoreState(JSON.parse(JSON.stringify(serializeState(state))) as SerializedState);
  let replayed = StateSnapshot.empty();
  for (const e of h.log) {
    const r = applyCommand(replayed, e.index, e.command);
    if (r.ok) replayed = r.state;
  }
  expect(serializeState(restored), `${label}: restored != replayed`).toEqual(serializeState(replayed));
  for (let i = 0; i < jobs.length; i++) {
    const job = state.jobById('default', `job${i}`);
    if (!job) continue;
    const ev = mockEval({ id: `probe-${i}`, jobId: job.id, type: job.type, priority: job.priority });
    const opts = { now: h.clock.now(), seed: 7 };
    const a = schedule(restored, ev, opts);
    const b = schedule(replayed, ev, opts);
    expect(JSON.parse(JSON.stringify(a.plan)), `${label}: schedule after restore != after replay`).toEqual(
      JSON.parse(JSON.stringify(b.plan)),
    );
  }
}

// ---------------------------------------------------------------- the property

describe('random clusters with faults through the ControlPlane (issue #18)', () => {
  it('keeps every invariant after every step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(nodeArb, { minLength: 2, maxLength: 5 }),
        fc.array(jobArb, { minLength: 1, maxLength: 3 }),
        fc.array(actionArb, { minLength: 5, maxLength: 25 }),
        async (nodeSpecs, jobs, actions) => {
          const h = createHarness();
          const nodes = nodeSpecs.map((s, i) => buildNode(i, s));
          for (const n of nodes) {
            expect((await h.cp.registerNode(n)).ok).toBe(true);
            h.alive.add(n.id);
          }
          for (let i = 0; i < jobs.length; i++) await h.cp.registerJob(buildJob(i, jobs[i]!, 0, 1));
          await h.cp.processEvals(500);
          checkInvariants(h, 'start');
          for (let k = 0; k < actions.length; k++) {
            const label = `step ${k} ${JSON.stringify(actions[k])}`;
            await act(h, actions[k]!, nodes, jobs);
            checkInvariants(h, label);
            checkSnapshotEqualsReplay(h, jobs, label);
          }
          // Once time has passed every delay (nack 20 s, reschedule, failed follow-up 6 min),
          // no evaluation stays pending.
          for (let t = 0; t < 45; t++) await step(h, 10);
          const now = h.clock.now();
          const stuck = [...h.cp.state().tables.evals.values()].filter(
            (e) => e.status === 'pending' && e.waitUntil <= now - 30 * S,
          );
          expect(
            stuck.map((e) => `${e.id} ${e.triggeredBy}`),
            'pending evaluations once idle',
          ).toEqual([]);
          checkInvariants(h, 'end');
        },
      ),
      {
        numRuns: Number(process.env.HARDEN_RUNS ?? 30),
        // Shrinking a long fault sequence can take minutes; report what it has after one.
        interruptAfterTimeLimit: 60_000,
        markInterruptAsFailure: false,
        ...(process.env.FC_PATH ? { path: process.env.FC_PATH, endOnFailure: true } : {}),
      },
    );
  });
});

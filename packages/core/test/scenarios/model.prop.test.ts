import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Allocation } from '../../src/structs/allocation.js';
import { Cluster, mkGroup, mkJob, mkNode, mkTask, mkUpdate, S } from './fixtures.js';

type Op =
  | { kind: 'register'; job: number; count: number; image: number; rolling: boolean }
  | { kind: 'scale'; job: number; count: number }
  | { kind: 'addNode' }
  | { kind: 'nodeDown'; node: number }
  | { kind: 'drain'; node: number }
  | { kind: 'disconnect'; node: number }
  | { kind: 'reconnect'; node: number }
  | { kind: 'client'; alloc: number; status: 'running' | 'failed' | 'complete' }
  | { kind: 'stopJob'; job: number };

const JOBS = ['svc-a', 'svc-b', 'batch', 'sys'] as const;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('register' as const),
    job: fc.nat(JOBS.length - 1),
    count: fc.integer({ min: 0, max: 5 }),
    image: fc.nat(2),
    rolling: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('scale' as const),
    job: fc.nat(JOBS.length - 1),
    count: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({ kind: fc.constant('addNode' as const) }),
  fc.record({ kind: fc.constant('nodeDown' as const), node: fc.nat(20) }),
  fc.record({ kind: fc.constant('drain' as const), node: fc.nat(20) }),
  fc.record({ kind: fc.constant('disconnect' as const), node: fc.nat(20) }),
  fc.record({ kind: fc.constant('reconnect' as const), node: fc.nat(20) }),
  fc.record({
    kind: fc.constant('client' as const),
    alloc: fc.nat(100),
    status: fc.constantFrom('running' as const, 'failed' as const, 'complete' as const),
  }),
  fc.record({ kind: fc.constant('stopJob' as const), job: fc.nat(JOBS.length - 1) }),
);

function isLive(a: Allocation): boolean {
  return a.desiredStatus === 'run' && !['complete', 'failed', 'lost'].includes(a.clientStatus);
}

function usable(c: Cluster): string[] {
  return [...c.nodes.values()]
    .filter((n) => n.status === 'ready' && n.schedulingEligibility === 'eligible' && !n.drainStrategy)
    .map((n) => n.id);
}

function registerJob(c: Cluster, idx: number, count: number, image: number, rolling: boolean): void {
  const id = JOBS[idx]!;
  const type = id === 'sys' ? 'system' : id === 'batch' ? 'batch' : 'service';
  const group = mkGroup({
    count: type === 'system' ? 1 : count,
    tasks: [mkTask({ config: { image: `img:${image}` } })],
    update: rolling && type === 'service' ? mkUpdate({ maxParallel: 2 }) : undefined,
    // svc-b tolerates disconnected clients for ten minutes.
    maxClientDisconnect: id === 'svc-b' ? 600 * S : undefined,
  });
  c.register(mkJob({ id, name: id, type, taskGroups: [group] }));
}

function scheduleAll(c: Cluster): void {
  for (const id of [...c.jobs.keys()].sort()) {
    c.step({ triggeredBy: 'job-register' }, id);
    checkInvariants(c);
  }
}

function checkInvariants(c: Cluster): void {
  const live = [...c.allocs.values()].filter(isLive);
  // No node over-committed.
  const used = new Map<string, { cpu: number; mem: number }>();
  for (const a of live) {
    const u = used.get(a.nodeId) ?? { cpu: 0, mem: 0 };
    for (const t of Object.values(a.allocatedResources?.tasks ?? {})) {
      u.cpu += t.cpu.cpuShares;
      u.mem += t.memory.memoryMB;
    }
    used.set(a.nodeId, u);
  }
  for (const [nodeId, u] of used) {
    const n = c.nodes.get(nodeId)!;
    expect(u.cpu).toBeLessThanOrEqual(n.nodeResources.cpu.cpuShares);
    expect(u.mem).toBeLessThanOrEqual(n.nodeResources.memory.memoryMB);
  }
  // Never two live allocations with the same name (no canaries in this model); system jobs
  // use the same name on every node, so for them the name is per node.
  const names = new Set<string>();
  for (const a of live) {
    // An unknown allocation and its replacement share a name until the client returns.
    if (a.clientStatus === 'unknown') continue;
    const key = a.jobId === 'sys' ? `${a.jobId}/${a.nodeId}/${a.name}` : `${a.jobId}/${a.name}`;
    expect(names.has(key), `duplicate live name ${key}`).toBe(false);
    names.add(key);
  }
  // System jobs at most once per node.
  const sysNodes = live.filter((a) => a.jobId === 'sys').map((a) => a.nodeId);
  expect(new Set(sysNodes).size).toBe(sysNodes.length);
}

/** Lets time pass and clients start everything, re-running evaluations until nothing changes. */
function settle(c: Cluster): void {
  for (let i = 0; i < 8; i++) {
    c.now += 2 * 3600 * S;
    const pending = [...c.allocs.values()]
      .filter((a) => isLive(a) && a.clientStatus === 'pending')
      .map((a) => a.id);
    c.setClient(pending, 'running', true);
    scheduleAll(c);
  }
  const pending = [...c.allocs.values()]
    .filter((a) => isLive(a) && a.clientStatus === 'pending')
    .map((a) => a.id);
  c.setClient(pending, 'running', true);
}

function apply(c: Cluster, op: Op): void {
  switch (op.kind) {
    case 'register':
      registerJob(c, op.job, op.count, op.image, op.rolling);
      break;
    case 'scale': {
      const j = c.jobs.get(JOBS[op.job]!);
      if (!j || j.type === 'system') return;
      c.register({ ...j, taskGroups: j.taskGroups.map((g) => ({ ...g, count: op.count })) });
      break;
    }
    case 'addNode':
      c.addNode(mkNode(`node-${c.nodes.size}`));
      break;
    case 'nodeDown': {
      const n = [...c.nodes.values()][op.node % c.nodes.size];
      if (n) c.nodes.set(n.id, { ...n, status: 'down' });
      break;
    }
    case 'drain': {
      const n = [...c.nodes.values()][op.node % c.nodes.size];
      if (!n || n.status !== 'ready') return;
      c.nodes.set(n.id, {
        ...n,
        schedulingEligibility: 'ineligible',
        drainStrategy: { deadline: 3600 * S, ignoreSystemJobs: false, forceDeadline: 0, startedAt: c.now },
      });
      for (const a of c.allocs.values())
        if (a.nodeId === n.id && isLive(a))
          c.allocs.set(a.id, { ...a, desiredTransition: { migrate: true } });
      break;
    }
    case 'disconnect': {
      const n = [...c.nodes.values()][op.node % c.nodes.size];
      if (n && n.status === 'ready') c.nodes.set(n.id, { ...n, status: 'disconnected' });
      break;
    }
    case 'reconnect': {
      const n = [...c.nodes.values()][op.node % c.nodes.size];
      if (!n || n.status !== 'disconnected') return;
      c.nodes.set(n.id, { ...n, status: 'ready' });
      const back = [...c.allocs.values()].filter((a) => a.nodeId === n.id && a.clientStatus === 'unknown');
      c.setClient(
        back.map((a) => a.id),
        'running',
      );
      break;
    }
    case 'client': {
      const live = [...c.allocs.values()].filter(isLive).sort((a, b) => (a.id < b.id ? -1 : 1));
      const a = live[op.alloc % Math.max(1, live.length)];
      if (!a) return;
      c.setClient([a.id], op.status, op.status === 'running' ? true : undefined);
      // The deployment watcher marks failed allocations of an active deployment for rescheduling.
      const d = a.deploymentId ? c.deployments.get(a.deploymentId) : undefined;
      if (op.status === 'failed' && d?.status === 'running') {
        const cur = c.allocs.get(a.id)!;
        c.allocs.set(a.id, { ...cur, desiredTransition: { ...cur.desiredTransition, reschedule: true } });
      }
      break;
    }
    case 'stopJob': {
      const j = c.jobs.get(JOBS[op.job]!);
      if (j) c.register({ ...j, stop: true });
      break;
    }
  }
}

describe('scheduler model', () => {
  it('keeps invariants after every step and converges when capacity allows', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const c = new Cluster();
        for (let i = 0; i < 4; i++) c.addNode(mkNode(`node-${i}`));
        for (const op of ops) {
          apply(c, op);
          scheduleAll(c);
        }
        settle(c);
        checkInvariants(c);
        // Demand 500 MHz per allocation; the model's jobs fit easily while 3 nodes are usable.
        const nodes = usable(c);
        if (nodes.length < 3) return;
        for (const j of c.jobs.values()) {
          const live = c.live(j.id).length;
          if (j.stop) expect(live).toBe(0);
          else if (j.type === 'service') expect(live, `${j.id} live`).toBe(j.taskGroups[0]!.count);
          else if (j.type === 'system')
            expect(c.live(j.id).filter((x) => nodes.includes(x.nodeId)).length).toBe(nodes.length);
          else expect(live).toBeLessThanOrEqual(j.taskGroups[0]!.count);
        }
      }),
    );
  });
});

/**
 * A simulated cluster around a ControlPlane on a ManualClock: client nodes that heartbeat,
 * accept their allocations, report them running / complete / failed and their deployment
 * health, and can fail (stop heartbeating), come back, join or drain. Time only moves when
 * the test calls `advance`/`runFor`. Deterministic.
 */
import type { Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';
import type { ClientAllocUpdate } from '../state/commands.js';
import { createControlPlane, type ControlPlane, type ControlPlaneOptions } from '../server/controlPlane.js';
import { ManualClock } from '../util/clock.js';
import { isTerminal } from '../structs/allocation.js';

/** How simulated clients treat an allocation. Every hook is optional. */
export interface ClientBehavior {
  /** Whether the allocation passes its health checks (default true). */
  healthy?(alloc: Allocation): boolean;
  /** Run time of a batch allocation before it completes (default 30 s); `undefined` = never. */
  batchRuntime?(alloc: Allocation): number | undefined;
  /** Whether the allocation fails once started (default false). */
  fails?(alloc: Allocation): boolean;
}

/** Options of {@link createSimulation}. */
export interface SimulationOptions extends Partial<Omit<ControlPlaneOptions, 'clock'>> {
  readonly nodes: readonly Node[];
  /** Start time, ns since the epoch (default 2026-01-01T00:00:00Z). */
  readonly start?: number | undefined;
  readonly behavior?: ClientBehavior | undefined;
  /** Simulation step (default 1 s). */
  readonly step?: number | undefined;
}

const SECOND = 1_000_000_000;

/**
 * Creates a simulated cluster; call `await sim.start()` first.
 * @example
 * const sim = createSimulation({ nodes: [mockNode({ id: 'n1' })] });
 * await sim.start();
 * await sim.cp.registerJob(job);
 * await sim.runFor(60e9);
 */
export function createSimulation(opts: SimulationOptions): Simulation {
  const clock = new ManualClock(opts.start ?? 1_767_225_600 * SECOND);
  const cp: ControlPlane = createControlPlane({ ...opts, clock });
  const step = opts.step ?? SECOND;
  const behavior = opts.behavior ?? {};
  const alive = new Set<string>();
  const startedAt = new Map<string, number>();

  const minHealthyTime = (a: Allocation): { min: number; deadline: number } => {
    const job = a.job ?? cp.state().jobById(a.namespace, a.jobId);
    const tg = job?.taskGroups.find((g) => g.name === a.taskGroup);
    const u = tg?.update ?? job?.update;
    return { min: u?.minHealthyTime ?? 10 * SECOND, deadline: u?.healthyDeadline ?? 300 * SECOND };
  };

  // What every live client reports this step, as Nomad clients do on their alloc sync.
  const clientUpdates = (): ClientAllocUpdate[] => {
    const now = clock.now();
    const out: ClientAllocUpdate[] = [];
    const state = cp.state();
    for (const nodeId of [...alive].sort()) {
      for (const a of state.allocsByNode(nodeId)) {
        if (a.clientStatus === 'complete' || a.clientStatus === 'failed' || a.clientStatus === 'lost')
          continue;
        if (a.desiredStatus !== 'run') {
          out.push({ id: a.id, clientStatus: 'complete', clientDescription: 'alloc stopped by server' });
          continue;
        }
        if (a.clientStatus === 'pending') {
          startedAt.set(a.id, now);
          if (behavior.fails?.(a)) {
            out.push({ id: a.id, clientStatus: 'failed', clientDescription: 'task failed' });
            continue;
          }
          out.push({ id: a.id, clientStatus: 'running', clientDescription: 'Tasks are running' });
          continue;
        }
        const since = startedAt.get(a.id) ?? now;
        const type = (a.job ?? state.jobById(a.namespace, a.jobId))?.type;
        if (type === 'batch' || type === 'sysbatch') {
          const rt = behavior.batchRuntime ? behavior.batchRuntime(a) : 30 * SECOND;
          if (rt !== undefined && now - since >= rt)
            out.push({ id: a.id, clientStatus: 'complete', clientDescription: 'All tasks have completed' });
          continue;
        }
        if (a.deploymentId && a.deploymentStatus?.healthy === undefined) {
          const { min, deadline } = minHealthyTime(a);
          const ok = behavior.healthy ? behavior.healthy(a) : true;
          const canary = a.deploymentStatus?.canary ?? false;
          if (ok && now - since >= min)
            out.push({
              id: a.id,
              clientStatus: 'running',
              deploymentStatus: { healthy: true, timestamp: now, canary, modifyIndex: 0 },
            });
          else if (!ok && now - since >= Math.min(deadline, min))
            out.push({
              id: a.id,
              clientStatus: 'running',
              deploymentStatus: { healthy: false, timestamp: now, canary, modifyIndex: 0 },
            });
        }
      }
    }
    return out;
  };

  const sim = {
    clock,
    cp,
    /** Registers every node and processes the resulting evaluations. */
    async start(): Promise<void> {
      for (const n of opts.nodes) await sim.addNode(n);
      await cp.processEvals();
    },
    /** A node joins (or re-registers) and starts heartbeating. */
    async addNode(node: Node): Promise<void> {
      const r = await cp.registerNode(node);
      if (!r.ok) throw new Error(`simulation: node ${node.id} refused: ${r.error}`);
      alive.add(node.id);
    },
    /** A node stops heartbeating and reporting (crash or partition). */
    failNode(nodeId: string): void {
      alive.delete(nodeId);
    },
    /** A failed node comes back. */
    async recoverNode(nodeId: string): Promise<void> {
      alive.add(nodeId);
      await cp.heartbeat(nodeId);
    },
    /** One step: time advances, clients heartbeat and report, watchers tick, workers run. */
    async advance(ns: number = step): Promise<void> {
      clock.advance(ns);
      for (const id of [...alive].sort()) await cp.heartbeat(id);
      const updates = clientUpdates();
      if (updates.length > 0) {
        const r = await cp.updateAllocs(updates);
        if (!r.ok) throw new Error(`simulation: client update refused: ${r.error}`);
      }
      await cp.tick();
      await cp.processEvals(10_000);
    },
    /** Steps until `ns` has passed (or `until()` holds). Returns whether `until` held. */
    async runFor(ns: number, until?: () => boolean): Promise<boolean> {
      const end = clock.now() + ns;
      while (clock.now() < end) {
        await sim.advance(Math.min(step, end - clock.now()));
        if (until?.()) return true;
      }
      return until ? until() : true;
    },
    /** Live (non-terminal) allocations of a job. */
    liveAllocs(jobId: string, namespace = 'default'): Allocation[] {
      return cp
        .state()
        .allocsByJob(namespace, jobId)
        .filter((a) => !isTerminal(a));
    },
  };
  return sim;
}

/** A simulation's type. */
export interface Simulation {
  clock: ManualClock;
  cp: ControlPlane;
  /** Registers every node and processes the resulting evaluations. */
  start(): Promise<void>;
  /** A node joins (or re-registers) and starts heartbeating. */
  addNode(node: Node): Promise<void>;
  /** A node stops heartbeating and reporting (crash or partition). */
  failNode(nodeId: string): void;
  /** A failed node comes back. */
  recoverNode(nodeId: string): Promise<void>;
  /** One step: time advances, clients heartbeat and report, watchers tick, workers run. */
  advance(ns?: number): Promise<void>;
  /** Steps until `ns` has passed (or `until()` holds). Returns whether `until` held. */
  runFor(ns: number, until?: () => boolean): Promise<boolean>;
  /** Live (non-terminal) allocations of a job. */
  liveAllocs(jobId: string, namespace?: string): Allocation[];
}

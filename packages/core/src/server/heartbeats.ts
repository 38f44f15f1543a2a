/**
 * Node heartbeats on the injected clock: each client heartbeat resets the node's TTL; a node
 * whose TTL (plus grace) passes is marked down, and every job with allocations on it gets a
 * `node-update` evaluation so the scheduler marks them lost and replaces them elsewhere.
 */
import { newEvaluation, type EvalTrigger, type Evaluation } from '../structs/evaluation.js';
import type { NodeStatusUpdateCommand } from '../state/commands.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';
import { isTerminal } from '../structs/allocation.js';

const SECOND = 1_000_000_000;

/** Heartbeat settings (ns). */
export interface HeartbeatConfig {
  /** TTL granted per heartbeat. Nomad's minimum is 10 s. */
  readonly ttl: number;
  /** Extra time before a silent node is marked down. Nomad's default 10 s. */
  readonly grace: number;
}

/** Nomad's defaults. */
export const DEFAULT_HEARTBEAT_CONFIG: HeartbeatConfig = { ttl: 10 * SECOND, grace: 10 * SECOND };

/** Evaluations Nomad creates when a node's status changes: one per job with allocations there. */
export function nodeUpdateEvals(
  state: StateSnapshot,
  nodeId: string,
  newId: () => string,
  now: number,
  triggeredBy: EvalTrigger = 'node-update',
): Evaluation[] {
  const jobs = new Map<string, { namespace: string; jobId: string }>();
  for (const a of state.allocsByNode(nodeId)) {
    if (isTerminal(a) && a.clientStatus !== 'unknown') continue;
    jobs.set(`${a.namespace}\u0000${a.jobId}`, { namespace: a.namespace, jobId: a.jobId });
  }
  // System jobs are evaluated for every node change, even without allocations there.
  for (const j of state.jobs())
    if ((j.type === 'system' || j.type === 'sysbatch') && !j.stop)
      jobs.set(`${j.namespace}\u0000${j.id}`, { namespace: j.namespace, jobId: j.id });
  const out: Evaluation[] = [];
  for (const key of [...jobs.keys()].sort()) {
    const { namespace, jobId } = jobs.get(key)!;
    const job = state.jobById(namespace, jobId);
    if (!job) continue;
    out.push(
      newEvaluation({
        id: newId(),
        namespace,
        jobId,
        priority: job.priority,
        type: job.type,
        triggeredBy,
        nodeId,
        now,
      }),
    );
  }
  return out;
}

/**
 * Tracks heartbeat deadlines. Deterministic: time only enters through arguments.
 * @example
 * const hb = createHeartbeats();
 * hb.heartbeat('node-1', clock.now());
 * for (const cmd of hb.tick(state, clock.now(), newId)) await consensus.propose(cmd);
 */
export function createHeartbeats(config: Partial<HeartbeatConfig> = {}): Heartbeats {
  const cfg = { ...DEFAULT_HEARTBEAT_CONFIG, ...config };
  const deadlines = new Map<string, number>();
  return {
    config: cfg,
    /** Records a heartbeat; returns the TTL granted. */
    heartbeat(nodeId: string, now: number): number {
      deadlines.set(nodeId, now + cfg.ttl + cfg.grace);
      return cfg.ttl;
    },
    /** Stops tracking a node (deregistered). */
    forget(nodeId: string): void {
      deadlines.delete(nodeId);
    },
    /** Starts tracking every live node of a state (leadership gained). */
    initialize(state: StateSnapshot, now: number): void {
      for (const n of state.nodes())
        if (n.status !== 'down' && !deadlines.has(n.id)) this.heartbeat(n.id, now);
    },
    /** Nodes whose deadline passed: commands marking them down with their evaluations. */
    tick(state: StateSnapshot, now: number, newId: () => string): NodeStatusUpdateCommand[] {
      const out: NodeStatusUpdateCommand[] = [];
      for (const [nodeId, deadline] of [...deadlines].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (deadline > now) continue;
        deadlines.delete(nodeId);
        const node = state.nodeById(nodeId);
        if (!node || node.status === 'down') continue;
        out.push({
          type: 'NodeStatusUpdate',
          nodeId,
          status: 'down',
          now,
          evaluations: nodeUpdateEvals(state, nodeId, newId, now),
        });
      }
      return out;
    },
    /** The earliest deadline, for the runtime's timer. */
    nextDue(): number | undefined {
      let t: number | undefined;
      for (const d of deadlines.values()) if (t === undefined || d < t) t = d;
      return t;
    },
  };
}

/** The heartbeat tracker's type. */
export interface Heartbeats {
  config: {
    ttl: number;
    grace: number;
  };
  /** Records a heartbeat; returns the TTL granted. */
  heartbeat(nodeId: string, now: number): number;
  /** Stops tracking a node (deregistered). */
  forget(nodeId: string): void;
  /** Starts tracking every live node of a state (leadership gained). */
  initialize(state: StateSnapshot, now: number): void;
  /** Nodes whose deadline passed: commands marking them down with their evaluations. */
  tick(state: StateSnapshot, now: number, newId: () => string): NodeStatusUpdateCommand[];
  /** The earliest deadline, for the runtime's timer. */
  nextDue(): number | undefined;
}

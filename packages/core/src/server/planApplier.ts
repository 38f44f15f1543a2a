/**
 * The plan applier: the leader's single writer of scheduling decisions. Workers schedule against
 * snapshots that may be stale; the applier re-checks every node of a plan against the latest
 * state (optimistic concurrency), commits the nodes that still fit, rejects the others and tells
 * the worker from which index to refresh. Plans are pipelined: the next plan is verified against
 * the optimistic result of the one still being committed, so verification and commit overlap.
 */
import { isNewAllocation, isTerminal, type Allocation } from '../structs/allocation.js';
import type { Plan } from '../structs/plan.js';
import type { PlanApplyCommand } from '../state/commands.js';
import { applyCommand } from '../state/reducer.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';
import { allocsFit, capacityDimension } from '../structs/allocsFit.js';
import { proposedUsageBySums } from '../state/nodeUsage.js';
import { proposedAllocs } from '../structs/proposedAllocs.js';

const NO_CORES: ReadonlySet<number> = new Set();

/** What became of a submitted plan. */
export interface PlanResult {
  /** Raft index at which the accepted part was committed (0 when nothing was committed). */
  readonly allocIndex: number;
  /** Non-zero when part of the plan was rejected: refresh the snapshot to at least this index and retry. */
  readonly refreshIndex: number;
  /** Nodes whose part of the plan was rejected, with the reason. */
  readonly rejectedNodes: Readonly<Record<string, string>>;
  /** Accepted placements and updates per node. */
  readonly nodeAllocation: Readonly<Record<string, readonly Allocation[]>>;
  /** Accepted stops per node. */
  readonly nodeUpdate: Readonly<Record<string, readonly Allocation[]>>;
  /** Set when the plan was refused as a whole (stale evaluation token, not the leader). */
  readonly error?: string | undefined;
}

/** Why a node's part of a plan does not fit, or undefined when it does. Pure. */
export function evaluateNodePlan(state: StateSnapshot, plan: Plan, nodeId: string): string | undefined {
  const placing = plan.nodeAllocation[nodeId] ?? [];
  if (placing.length === 0) return undefined;
  const node = state.nodeById(nodeId);
  if (!node) return 'node does not exist';
  if (node.status === 'disconnected') {
    return placing.every((a) => a.clientStatus === 'unknown')
      ? undefined
      : 'node is disconnected and contains invalid updates';
  }
  if (node.status === 'down') {
    // Only marking allocations lost is valid on a down node.
    return placing.every((a) => a.clientStatus === 'lost')
      ? undefined
      : 'node is down and contains invalid updates';
  }
  if (node.status !== 'ready') return 'node is not ready for placements';
  // Updates of allocations already there (in-place) never need new room.
  let inPlace = true;
  for (const a of placing) {
    const e = isNewAllocation(a) ? undefined : state.allocById(a.id);
    if (!e || e.nodeId !== nodeId || isTerminal(e)) {
      inPlace = false;
      break;
    }
  }
  if (inPlace) return undefined;
  if (node.schedulingEligibility === 'ineligible') return 'node is not eligible';
  // The fast path of the shared rule: the node's usage sums corrected by the plan.
  const sums = proposedUsageBySums(state, plan, node.id);
  if (sums !== undefined) {
    if (node.nodeMaxAllocs > 0 && sums.allocs > node.nodeMaxAllocs) return 'max allocation exceeded';
    // No reserved cores among these allocations: the capacity check of allocsFit on the sums.
    return capacityDimension(node, sums.cpu, NO_CORES, sums.memoryMB, sums.diskMB);
  }
  const fit = allocsFit(node, proposedAllocs(state.allocsByNode(nodeId), plan, nodeId), {
    checkDevices: true,
  });
  return fit.fit ? undefined : fit.dimension;
}

/**
 * Checks a whole plan against a state: the command committing what fits, and the rejections.
 * `allAtOnce` plans commit entirely or not at all. Pure.
 */
export function evaluatePlan(
  state: StateSnapshot,
  plan: Plan,
  now: number,
): { command: PlanApplyCommand | undefined; rejected: Record<string, string> } {
  const rejected: Record<string, string> = {};
  const nodes = new Set([
    ...Object.keys(plan.nodeAllocation),
    ...Object.keys(plan.nodeUpdate),
    ...Object.keys(plan.nodePreemptions),
  ]);
  const accepted: string[] = [];
  for (const nodeId of [...nodes].sort()) {
    const reason = evaluateNodePlan(state, plan, nodeId);
    if (reason !== undefined) {
      rejected[nodeId] = reason;
      if (plan.allAtOnce) return { command: undefined, rejected };
    } else accepted.push(nodeId);
  }
  const allocsUpdated: Allocation[] = [];
  const allocsStopped: Allocation[] = [];
  const allocsPreempted: Allocation[] = [];
  for (const nodeId of accepted) {
    // A node that has since gone takes no placements (evaluateNodePlan rejected any), but the
    // stops of its allocations still apply, as in Nomad: dropping them left allocations of a
    // deregistered node live beside their replacements (two live allocations of one name).
    for (const a of plan.nodeAllocation[nodeId] ?? []) allocsUpdated.push(a);
    for (const a of plan.nodeUpdate[nodeId] ?? []) if (state.allocById(a.id)) allocsStopped.push(a);
    for (const a of plan.nodePreemptions[nodeId] ?? []) if (state.allocById(a.id)) allocsPreempted.push(a);
  }
  const partial = Object.keys(rejected).length > 0;
  let deployment = plan.deployment;
  if (partial && deployment) {
    // Canaries that were not placed must not be counted by the deployment.
    const placed = new Set(allocsUpdated.map((a) => a.id));
    const taskGroups = Object.fromEntries(
      Object.entries(deployment.taskGroups).map(([g, s]) => [
        g,
        { ...s, placedCanaries: s.placedCanaries.filter((id) => placed.has(id)) },
      ]),
    );
    deployment = { ...deployment, taskGroups };
  }
  const empty =
    allocsUpdated.length + allocsStopped.length + allocsPreempted.length === 0 &&
    !deployment &&
    plan.deploymentUpdates.length === 0;
  if (empty) return { command: undefined, rejected };
  return {
    command: {
      type: 'PlanApply',
      evalId: plan.evalId,
      job: plan.job,
      allocsUpdated,
      allocsStopped,
      allocsPreempted,
      deployment,
      deploymentUpdates: plan.deploymentUpdates,
      now,
    },
    rejected,
  };
}

/** What the applier needs from its host. */
export interface PlanApplierHost {
  /** The latest committed state. */
  state(): StateSnapshot;
  /** Proposes a command to the consensus; resolves with its committed index. */
  propose(command: PlanApplyCommand): Promise<{ index: number; error?: string | undefined }>;
  /** Whether the plan's evaluation token is still outstanding in the broker. */
  tokenValid(plan: Plan): boolean;
  now(): number;
}

interface Pending {
  readonly plan: Plan;
  readonly resolve: (r: PlanResult) => void;
}

/**
 * Creates the plan applier. Plans are taken by priority (then arrival); each is verified
 * against the latest state plus every plan still in flight.
 * @example
 * const applier = createPlanApplier(host);
 * const result = await applier.submit(plan);
 * if (result.refreshIndex) { ... re-snapshot at result.refreshIndex and schedule again ... }
 */
export function createPlanApplier(host: PlanApplierHost): PlanApplier {
  const queue: Pending[] = [];
  let optimistic: StateSnapshot | undefined;
  let inFlight = 0;
  let draining = false;
  let stats = { applied: 0, partial: 0, rejectedNodes: 0 };

  const take = (): Pending | undefined => {
    let best = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i]!.plan.priority > queue[best]!.plan.priority) best = i;
    return queue.splice(best, 1)[0];
  };

  const drain = (): void => {
    if (draining) return;
    draining = true;
    try {
      for (let p = take(); p; p = take()) processOne(p);
    } finally {
      draining = false;
    }
  };

  const processOne = ({ plan, resolve }: Pending): void => {
    if (!host.tokenValid(plan)) {
      resolve({
        allocIndex: 0,
        refreshIndex: 0,
        rejectedNodes: {},
        nodeAllocation: {},
        nodeUpdate: {},
        error: 'evaluation token does not match',
      });
      return;
    }
    const base = optimistic ?? host.state();
    const { command, rejected } = evaluatePlan(base, plan, host.now());
    const rejectedCount = Object.keys(rejected).length;
    stats.rejectedNodes += rejectedCount;
    if (rejectedCount > 0) stats.partial++;
    const nodeAllocation: Record<string, Allocation[]> = {};
    const nodeUpdate: Record<string, Allocation[]> = {};
    for (const a of command?.allocsUpdated ?? []) (nodeAllocation[a.nodeId] ??= []).push(a);
    for (const a of command?.allocsStopped ?? []) (nodeUpdate[a.nodeId] ??= []).push(a);
    if (!command) {
      resolve({
        allocIndex: 0,
        refreshIndex: rejectedCount ? base.index || 1 : 0,
        rejectedNodes: rejected,
        nodeAllocation,
        nodeUpdate,
      });
      return;
    }
    inFlight++;
    stats.applied++;
    const proposal = host.propose(command);
    // Pipeline: while this plan commits, the next one is checked against its optimistic result.
    // A consensus that committed synchronously already moved the state; nothing to simulate.
    if (host.state().index === base.index || optimistic) {
      const applied = applyCommand(base, base.index + 1, command);
      if (applied.ok) optimistic = applied.state;
    }
    void proposal.then(
      ({ index, error }) => {
        if (--inFlight === 0) optimistic = undefined;
        resolve({
          allocIndex: error ? 0 : index,
          refreshIndex: rejectedCount > 0 || error ? index : 0,
          rejectedNodes: rejected,
          nodeAllocation: error ? {} : nodeAllocation,
          nodeUpdate: error ? {} : nodeUpdate,
          error,
        });
      },
      (e: unknown) => {
        if (--inFlight === 0) optimistic = undefined;
        resolve({
          allocIndex: 0,
          refreshIndex: 0,
          rejectedNodes: rejected,
          nodeAllocation: {},
          nodeUpdate: {},
          error: e instanceof Error ? e.message : String(e),
        });
      },
    );
  };

  return {
    /** Queues a plan; resolves once its accepted part is committed (or it was refused). */
    submit(plan: Plan): Promise<PlanResult> {
      return new Promise<PlanResult>((resolve) => {
        queue.push({ plan, resolve });
        drain();
      });
    },
    /** Counters: plans committed, partially committed, nodes rejected. */
    stats: () => ({ ...stats, queued: queue.length, inFlight }),
    /** Resets counters. */
    resetStats(): void {
      stats = { applied: 0, partial: 0, rejectedNodes: 0 };
    },
  };
}

/** The plan applier's type. */
export interface PlanApplier {
  /** Queues a plan; resolves once its accepted part is committed (or it was refused). */
  submit(plan: Plan): Promise<PlanResult>;
  /** Counters: plans committed, partially committed, nodes rejected. */
  stats: () => {
    queued: number;
    inFlight: number;
    applied: number;
    partial: number;
    rejectedNodes: number;
  };
  /** Resets counters. */
  resetStats(): void;
}

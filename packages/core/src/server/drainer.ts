/**
 * The node drainer, as a pure step: for every draining node, marks allocations for migration
 * (`desired_transition.migrate`) paced by each group's `migrate.max_parallel`, forces every
 * remaining one once the drain deadline passes, and ends the drain when nothing (except system
 * jobs, when `ignore_system_jobs`) still runs there. The scheduler then replaces what was marked.
 */
import { isTerminal, type Allocation } from '../structs/allocation.js';
import { newEvaluation, type Evaluation } from '../structs/evaluation.js';
import type { Command } from '../state/commands.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';

/** Whether the node's drain deadline has passed (a negative deadline means force now). */
export function drainDeadlinePassed(
  d: { deadline: number; forceDeadline: number; startedAt: number },
  now: number,
): boolean {
  if (d.deadline < 0) return true;
  if (d.deadline === 0) return false;
  const by = d.forceDeadline || d.startedAt + d.deadline;
  return now >= by;
}

/**
 * One drainer step. Deterministic (nodes and allocations in id order).
 * @example for (const cmd of drainStep(state, clock.now(), newId)) await propose(cmd);
 */
export function drainStep(state: StateSnapshot, now: number, newId: () => string): Command[] {
  const out: Command[] = [];
  for (const node of state.nodes()) {
    const strategy = node.drainStrategy;
    if (!strategy) continue;
    const force = drainDeadlinePassed(strategy, now);
    const live = state.allocsByNode(node.id).filter((a) => !isTerminal(a));
    const isSystem = (a: Allocation) => {
      const t = a.job?.type ?? state.jobById(a.namespace, a.jobId)?.type;
      return t === 'system' || t === 'sysbatch';
    };
    const remaining = live.filter((a) => !isSystem(a));
    // System allocations go last (or never, with ignore_system_jobs).
    const candidates = remaining.length > 0 ? remaining : strategy.ignoreSystemJobs ? [] : live;
    if (candidates.length === 0) {
      out.push({ type: 'NodeDrain', nodeId: node.id, drainStrategy: undefined, markEligible: false, now });
      continue;
    }
    const transitions: Record<string, { migrate: boolean }> = {};
    const byGroup = new Map<string, Allocation[]>();
    for (const a of candidates) {
      if (a.desiredTransition.migrate) continue;
      const k = `${a.namespace}\u0000${a.jobId}\u0000${a.taskGroup}`;
      const l = byGroup.get(k);
      if (l) l.push(a);
      else byGroup.set(k, [a]);
    }
    for (const [, allocs] of [...byGroup].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let budget = allocs.length;
      if (!force) {
        const first = allocs[0]!;
        const job = first.job ?? state.jobById(first.namespace, first.jobId);
        const tg = job?.taskGroups.find((g) => g.name === first.taskGroup);
        const maxParallel = tg?.migrate?.maxParallel ?? job?.migrate?.maxParallel ?? 1;
        // Allocations of this group already migrating anywhere and not yet replaced by healthy ones.
        const migrating = state
          .allocsByJob(first.namespace, first.jobId)
          .filter(
            (a) => a.taskGroup === first.taskGroup && a.desiredTransition.migrate && !isTerminal(a),
          ).length;
        const replacing = state
          .allocsByJob(first.namespace, first.jobId)
          .filter(
            (a) =>
              a.taskGroup === first.taskGroup &&
              a.previousAllocation !== '' &&
              !isTerminal(a) &&
              a.clientStatus !== 'running',
          ).length;
        budget = Math.max(0, maxParallel - migrating - replacing);
      }
      for (const a of allocs.slice(0, budget)) transitions[a.id] = { migrate: true };
    }
    const ids = Object.keys(transitions);
    if (ids.length === 0) continue;
    const jobs = new Map<string, Allocation>();
    for (const id of ids) {
      const a = state.allocById(id)!;
      jobs.set(`${a.namespace}\u0000${a.jobId}`, a);
    }
    const evaluations: Evaluation[] = [...jobs.keys()].sort().map((k) => {
      const a = jobs.get(k)!;
      const job = state.jobById(a.namespace, a.jobId);
      return newEvaluation({
        id: newId(),
        namespace: a.namespace,
        jobId: a.jobId,
        priority: job?.priority ?? 50,
        type: job?.type ?? 'service',
        triggeredBy: 'node-drain',
        nodeId: node.id,
        now,
      });
    });
    out.push({ type: 'AllocDesiredTransition', transitions, evaluations });
  }
  return out;
}

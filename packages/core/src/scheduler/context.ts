import type { Job } from '../jobspec/types.js';
import { isNewAllocation, type Allocation, allocUsage, isTerminal } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';
import type { Plan } from '../structs/plan.js';
import type { Rng } from '../util/rng.js';
import { NodeBase, NodeTable } from './nodeTable.js';
import type { SchedulerAlgorithm } from './rank/fitScore.js';
import type { SchedulerSnapshot } from './snapshot.js';

/** Settings of one evaluation's placements. */
export interface PlacementConfig {
  algorithm: SchedulerAlgorithm;
  /** Whether this scheduler type may preempt lower-priority allocations. */
  preemption: boolean;
  /** Record `memory_max` in allocated resources (memory oversubscription). */
  memoryOversubscription: boolean;
  /** Nodes ranked per placement with affinities/spreads, at least (Nomad: 100). */
  nodeLimitForFeasibility: number;
}

/** Creates an empty plan for an evaluation. Pure. */
export function emptyPlan(evalId: string, job: Job | undefined, snapshotIndex: number): Plan {
  return {
    evalId,
    evalToken: '',
    priority: job?.priority ?? 50,
    allAtOnce: job?.allAtOnce ?? false,
    job,
    nodeUpdate: {},
    nodeAllocation: {},
    nodePreemptions: {},
    deploymentUpdates: [],
    snapshotIndex,
  };
}

/** One plan entry as accounted: the allocation it released, the one it holds, whether it marked its ID removed. */
interface Accounted {
  readonly entry: Allocation;
  readonly released: Allocation | undefined;
  readonly tracked: Allocation | undefined;
  readonly marked: boolean;
}

/** Per plan: the node IDs written so far, in order, for plans whose writers report their writes. */
const planWriteLogs = new WeakMap<Plan, string[]>();

/**
 * Declares that every later write to `plan` is reported with `notePlanWrite`, so that an
 * `EvalContext` on it catches up with the nodes written since its last placement instead of
 * rescanning the whole plan. Effects: registers the plan in a module-level WeakMap.
 */
export function trackPlanWrites(plan: Plan): void {
  if (!planWriteLogs.has(plan)) planWriteLogs.set(plan, []);
}

/** Reports a write to `plan` on `nodeId` (no-op unless `trackPlanWrites(plan)` was called). */
export function notePlanWrite(plan: Plan, nodeId: string): void {
  planWriteLogs.get(plan)?.push(nodeId);
}

/**
 * Per-evaluation state shared by the placements of one evaluation (Nomad's EvalContext): the
 * snapshot, the plan in progress, the seeded RNG, the candidate node table and counters that
 * later placements read. Add to the plan only through `appendAlloc` / `appendStop` so that the
 * cached usage stays in step with the plan.
 */
export class EvalContext {
  table: NodeTable = new NodeTable(new NodeBase([]));
  /** Allocations of this evaluation's job per node index and group (existing + planned − stopped). */
  private groupCounts = new Map<string, Int32Array>();
  private jobCounts: Int32Array | undefined;
  private readonly removed = new Set<string>();
  private readonly listeners: ((alloc: Allocation, node: number, delta: 1 | -1) => void)[] = [];

  constructor(
    readonly snapshot: SchedulerSnapshot,
    readonly job: Job,
    readonly plan: Plan,
    readonly rng: Rng,
    readonly config: PlacementConfig,
    /**
     * True (default) when the scheduler may write the plan directly: every placement then
     * rescans the plan for new entries. Pass false when the plan is only changed through
     * `appendAlloc` / `appendStop`, which keeps each placement O(nodes visited).
     */
    readonly externalPlanWrites = true,
  ) {}

  /** Replaces the candidate nodes. Resets the cached counters. */
  setNodes(nodes: readonly Node[] | NodeBase): void {
    this.table = new NodeTable(nodes instanceof NodeBase ? nodes : new NodeBase(nodes));
    this.groupCounts = new Map();
    this.jobCounts = undefined;
    this.usageLookups = 0;
    // Nodes the plan already changed (from earlier placements or a scheduler's own writes).
    for (const id of this.removedLive.keys()) this.markTouched(id);
    for (const id in this.plan.nodeAllocation) this.markTouched(id);
  }

  /** Allocations that will hold resources on a node once the plan applies. */
  proposedAllocs(nodeId: string): Allocation[] {
    const out: Allocation[] = [];
    const planned = this.plan.nodeAllocation[nodeId];
    const plannedIds = planned ? new Set(planned.map((a) => a.id)) : undefined;
    for (const a of this.snapshot.allocsByNode(nodeId)) {
      if (isTerminal(a) || this.removed.has(a.id) || plannedIds?.has(a.id)) continue;
      out.push(a);
    }
    if (planned) out.push(...planned);
    return out;
  }

  /** Fills the used columns of node `i` from its proposed allocations. */
  ensureUsage(i: number): void {
    const t = this.table;
    if (t.usageKnown[i]) return;
    const nodeId = t.nodes[i]!.id;
    const summary = this.snapshot.nodeUsage;
    if (!summary) {
      this.sumProposed(nodeId, i);
      return;
    }
    // Once an evaluation has looked up an eighth of the nodes one by one, read the rest in one
    // pass over the snapshot's rows (large evaluations visit most nodes; small ones stay cheap).
    if (!t.planTouched[i] && ++this.usageLookups > t.size >> 3 && this.snapshot.forEachNodeUsage) {
      this.prefillUsage();
      if (t.usageKnown[i]) return;
    }
    // The snapshot's per-node sums, corrected by what the plan (as caught up so far) changes:
    // the same set as proposedAllocs without visiting every allocation on the node.
    const base = summary.call(this.snapshot, nodeId);
    let cpu = base?.cpu ?? 0;
    let mem = base?.memoryMB ?? 0;
    let disk = base?.diskMB ?? 0;
    // Only nodes the plan changed need its corrections (most nodes: three lookups saved).
    if (t.planTouched[i]) {
      const gone = this.removedLive.get(nodeId);
      if (gone) {
        for (let k = 0; k < gone.length; k++) {
          const u = allocUsage(gone[k]!);
          cpu -= u.cpu;
          mem -= u.memoryMB;
          disk -= u.diskMB;
        }
      }
      const placed = this.accounted[2].get(nodeId);
      if (placed) {
        for (let k = 0; k < placed.length; k++) {
          const held = placed[k]!.tracked;
          if (held === undefined) continue;
          const u = allocUsage(held);
          cpu += u.cpu;
          mem += u.memoryMB;
          disk += u.diskMB;
        }
      }
    }
    t.usedCpu[i] = cpu;
    t.usedMemory[i] = mem;
    t.usedDisk[i] = disk;
    t.usageKnown[i] = 1;
  }

  /** Per-node usage lookups made for the current node table (see ensureUsage). */
  private usageLookups = 0;

  /** Sets the usage of every not yet known node the plan has not touched from the snapshot's rows. */
  private prefillUsage(): void {
    const t = this.table;
    const open = (i: number) => t.usageKnown[i] === 0 && t.planTouched[i] === 0;
    this.snapshot.forEachNodeUsage!((u) => {
      const i = t.index.get(u.nodeId);
      if (i === undefined || !open(i)) return;
      t.usedCpu[i] = u.cpu;
      t.usedMemory[i] = u.memoryMB;
      t.usedDisk[i] = u.diskMB;
    });
    // Nodes without a row hold nothing; their used columns are still zero.
    for (let i = 0; i < t.size; i++) if (open(i)) t.usageKnown[i] = 1;
  }

  /** Usage of node `i` summed over its allocations (snapshots without per-node sums). */
  private sumProposed(nodeId: string, i: number): void {
    const t = this.table;
    let cpu = 0;
    let mem = 0;
    let disk = 0;
    const planned = this.plan.nodeAllocation[nodeId];
    // Same set as proposedAllocs, without building it (most nodes hold nothing yet).
    const existing = this.snapshot.allocsByNode(nodeId);
    for (let k = 0; k < existing.length; k++) {
      const a = existing[k]!;
      if (isTerminal(a) || this.removed.has(a.id)) continue;
      if (planned && planned.some((p) => p.id === a.id)) continue;
      const u = allocUsage(a);
      cpu += u.cpu;
      mem += u.memoryMB;
      disk += u.diskMB;
    }
    if (planned) {
      for (let k = 0; k < planned.length; k++) {
        const u = allocUsage(planned[k]!);
        cpu += u.cpu;
        mem += u.memoryMB;
        disk += u.diskMB;
      }
    }
    t.usedCpu[i] = cpu;
    t.usedMemory[i] = mem;
    t.usedDisk[i] = disk;
    t.usageKnown[i] = 1;
  }

  /** Per node index: allocations of this job in `group` ('' = any group). */
  countsFor(group: string): Int32Array {
    if (group === '') return (this.jobCounts ??= this.buildCounts(''));
    let c = this.groupCounts.get(group);
    if (!c) {
      c = this.buildCounts(group);
      this.groupCounts.set(group, c);
    }
    return c;
  }

  /** Live allocations of this job in `group` ('' = any), with their node: existing − stopped + planned. */
  jobAllocs(group: string): Allocation[] {
    const out: Allocation[] = [];
    const planned = new Set<string>();
    for (const list of Object.values(this.plan.nodeAllocation)) {
      for (const a of list) {
        if (a.jobId !== this.job.id || a.namespace !== this.job.namespace) continue;
        planned.add(a.id);
        // A terminal entry (a failed allocation carrying its reschedule tracker) replaces the
        // stored one but is not live: not counted, as the incremental accounting does.
        if (isTerminal(a)) continue;
        if (group === '' || a.taskGroup === group) out.push(a);
      }
    }
    for (const a of this.snapshot.allocsByJob(this.job.namespace, this.job.id)) {
      if (isTerminal(a) || this.removed.has(a.id) || planned.has(a.id)) continue;
      if (group === '' || a.taskGroup === group) out.push(a);
    }
    return out;
  }

  private buildCounts(group: string): Int32Array {
    const c = new Int32Array(this.table.size);
    for (const a of this.jobAllocs(group)) {
      const i = this.table.index.get(a.nodeId);
      if (i !== undefined) c[i]!++;
    }
    return c;
  }

  /** Subscribes to plan changes (property counters of spread / distinct_property use it). */
  onChange(fn: (alloc: Allocation, node: number, delta: 1 | -1) => void): void {
    this.listeners.push(fn);
  }

  /** Adds a placement to the plan; its preempted allocations are recorded as preemptions. */
  appendAlloc(alloc: Allocation, preempted: readonly Allocation[] = []): void {
    for (const p of preempted) {
      (this.plan.nodePreemptions[p.nodeId] ??= []).push(p);
      notePlanWrite(this.plan, p.nodeId);
      this.syncNode(p.nodeId);
    }
    const record = this.plan.nodeAllocation;
    const list = record[alloc.nodeId];
    if (list === undefined) record[alloc.nodeId] = [alloc];
    else list.push(alloc);
    notePlanWrite(this.plan, alloc.nodeId);
    if (this.externalPlanWrites) return this.syncNode(alloc.nodeId);
    // Only this context writes the plan: its lists are what was accounted plus this entry.
    const placed = this.accounted[2];
    const done = placed.get(alloc.nodeId);
    if (done === undefined) placed.set(alloc.nodeId, [this.account(2, alloc)]);
    else done.push(this.account(2, alloc));
  }

  /** Records an allocation to stop (or evict) in the plan, releasing what it holds. */
  appendStop(alloc: Allocation): void {
    (this.plan.nodeUpdate[alloc.nodeId] ??= []).push(alloc);
    notePlanWrite(this.plan, alloc.nodeId);
    this.syncNode(alloc.nodeId);
  }

  /**
   * Catches up with the plan as it is now (entries added by `appendAlloc` or written by a
   * scheduler directly, replaced or removed), so that cached usage and counters match it.
   */
  syncPlan(): void {
    const log = planWriteLogs.get(this.plan);
    if (!log) {
      // Untracked writers: every node in the plan, and every node accounted before (its entries
      // may be gone).
      const nodes = new Set<string>();
      for (const record of [this.plan.nodeUpdate, this.plan.nodePreemptions, this.plan.nodeAllocation])
        for (const id in record) nodes.add(id);
      for (const kind of this.accounted) for (const id of kind.keys()) nodes.add(id);
      for (const id of nodes) this.syncNode(id);
      return;
    }
    // Only the nodes written since the last call can differ: the cost follows the writes, not
    // the plan size (a full rescan per placement is quadratic in placements).
    if (this.logCursor === log.length) return;
    const dirty = new Set<string>();
    for (let k = this.logCursor; k < log.length; k++) dirty.add(log[k]!);
    this.logCursor = log.length;
    for (const id of dirty) this.syncNode(id);
  }

  /** Position in the plan's write log up to which `syncPlan` has caught up. */
  private logCursor = 0;

  /**
   * What was accounted per node for each plan record (0 stops, 1 preemptions, 2 placements), in
   * list order, with the effects taken, so that entries replaced or removed later can be undone.
   */
  private readonly accounted: [Map<string, Accounted[]>, Map<string, Accounted[]>, Map<string, Accounted[]>] =
    [new Map(), new Map(), new Map()];

  /**
   * Brings one node's accounting in line with its plan lists: when every list still starts
   * with what was accounted (the usual case: appends), only the new tails are accounted;
   * otherwise (an entry replaced or removed) the node's accounting is undone and redone.
   */
  private syncNode(nodeId: string): void {
    const plan = this.plan;
    for (let kind = 0; kind < 3; kind++) {
      const done = this.accounted[kind]!.get(nodeId);
      if (done === undefined) continue;
      const list = (kind === 0 ? plan.nodeUpdate : kind === 1 ? plan.nodePreemptions : plan.nodeAllocation)[
        nodeId
      ];
      if (list === undefined || list.length < done.length) return this.rebuildNode(nodeId);
      for (let k = 0; k < done.length; k++) if (list[k] !== done[k]!.entry) return this.rebuildNode(nodeId);
    }
    for (let kind = 0; kind < 3; kind++) {
      const list = (kind === 0 ? plan.nodeUpdate : kind === 1 ? plan.nodePreemptions : plan.nodeAllocation)[
        nodeId
      ];
      if (list === undefined) continue;
      let done = this.accounted[kind]!.get(nodeId);
      if (done !== undefined && done.length === list.length) continue;
      if (done === undefined) this.accounted[kind]!.set(nodeId, (done = []));
      for (let k = done.length; k < list.length; k++) done.push(this.account(kind, list[k]!));
    }
  }

  /** Undoes everything accounted on a node (last first), then accounts its current lists. */
  private rebuildNode(nodeId: string): void {
    for (let kind = 2; kind >= 0; kind--) {
      const done = this.accounted[kind]!.get(nodeId);
      if (done === undefined) continue;
      for (let k = done.length - 1; k >= 0; k--) this.undo(done[k]!);
      this.accounted[kind]!.delete(nodeId);
    }
    this.syncNode(nodeId);
  }

  /** Accounts one plan entry: a stop or preemption releases the live allocation; a placement holds. */
  private account(kind: number, a: Allocation): Accounted {
    if (kind !== 2) {
      if (this.removed.has(a.id)) return { entry: a, released: undefined, tracked: undefined, marked: false };
      this.removed.add(a.id);
      const existing = this.snapshot.allocById(a.id) ?? a;
      const released = isTerminal(existing) ? undefined : existing;
      if (released) this.release(released);
      return { entry: a, released, tracked: undefined, marked: true };
    }
    // An in-place update replaces the existing allocation of the same ID.
    const existing = isNewAllocation(a) ? undefined : this.snapshot.allocById(a.id);
    let released: Allocation | undefined;
    if (existing && !isTerminal(existing) && !this.removed.has(a.id)) {
      this.removed.add(a.id);
      this.release(existing);
      released = existing;
    }
    const tracked = isTerminal(a) ? undefined : a.allocatedResources || !existing ? a : existing;
    if (tracked) this.track(tracked, 1);
    return { entry: a, released, tracked, marked: released !== undefined };
  }

  private undo(done: Accounted): void {
    if (done.tracked) this.track(done.tracked, -1);
    if (done.released) {
      const list = this.removedLive.get(done.released.nodeId);
      const at = list ? list.lastIndexOf(done.released) : -1;
      if (at >= 0) list!.splice(at, 1);
      this.track(done.released, 1);
    }
    if (done.marked) this.removed.delete(done.entry.id);
  }

  /** Live allocations the plan stops, evicts or replaces, by node (ensureUsage subtracts them). */
  private readonly removedLive = new Map<string, Allocation[]>();

  private release(alloc: Allocation): void {
    const list = this.removedLive.get(alloc.nodeId);
    if (list) list.push(alloc);
    else this.removedLive.set(alloc.nodeId, [alloc]);
    this.track(alloc, -1);
  }

  private markTouched(nodeId: string): void {
    const i = this.table.index.get(nodeId);
    if (i !== undefined) this.table.planTouched[i] = 1;
  }

  private track(alloc: Allocation, delta: 1 | -1): void {
    const i = this.table.index.get(alloc.nodeId);
    if (i !== undefined) {
      this.table.version[i]!++;
      this.table.planTouched[i] = 1;
    }
    if (i !== undefined && this.table.usageKnown[i]) {
      const u = allocUsage(alloc);
      this.table.usedCpu[i]! += delta * u.cpu;
      this.table.usedMemory[i]! += delta * u.memoryMB;
      this.table.usedDisk[i]! += delta * u.diskMB;
    }
    if (alloc.jobId === this.job.id && alloc.namespace === this.job.namespace) {
      if (i !== undefined) {
        if (this.jobCounts) this.jobCounts[i]! += delta;
        const g = this.groupCounts.get(alloc.taskGroup);
        if (g) g[i]! += delta;
      }
      for (const fn of this.listeners) fn(alloc, i ?? -1, delta);
    }
  }
}

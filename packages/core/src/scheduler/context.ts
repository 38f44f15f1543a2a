/**
 * The per-evaluation context (Nomad's EvalContext): the one owner of the plan being built.
 * Every write goes through its methods (`appendAlloc`, `appendStopped`, `popStopped`,
 * `appendPreempted`, `replaceStopped`), which keep the cached per-node usage, the job's
 * per-node counts and the property listeners in step with the plan as they write it.
 */
import type { Job } from '../jobspec/types.js';
import { allocUsage, isNewAllocation, isTerminal, type Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';
import type { Plan } from '../structs/plan.js';
import { heldBy, proposedAllocs, sumUsage } from '../structs/proposedAllocs.js';
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

/** The plan's three per-node records: 0 stops, 1 preemptions, 2 placements and updates. */
type Kind = 0 | 1 | 2;

/**
 * Per-evaluation state shared by the placements of one evaluation: the snapshot, the plan in
 * progress, the seeded RNG, the candidate node table and the counters later placements read.
 */
export class EvalContext {
  table: NodeTable = new NodeTable(new NodeBase([]));
  /** Allocations of this evaluation's job per node index and group (existing + planned − stopped). */
  private groupCounts = new Map<string, Int32Array>();
  private jobCounts: Int32Array | undefined;
  /** Per allocation ID: how many plan entries stop, evict or replace it (> 0: not proposed). */
  private readonly removedRefs = new Map<string, number>();
  /** Live snapshot allocations the plan stops, evicts or replaces, by node (ensureUsage subtracts them). */
  private readonly removedLive = new Map<string, Allocation[]>();
  private readonly listeners: ((alloc: Allocation, node: number, delta: 1 | -1) => void)[] = [];
  /** Allocations the plan preempts, in order (the plan annotations list them). */
  readonly preempted: Allocation[] = [];

  constructor(
    readonly snapshot: SchedulerSnapshot,
    private readonly planJob: Job | undefined,
    readonly plan: Plan,
    readonly rng: Rng,
    readonly placement: PlacementConfig,
  ) {}

  /** The job being placed; placing without one is a bug of the caller. */
  get job(): Job {
    if (!this.planJob) throw new Error('EvalContext: no job to place');
    return this.planJob;
  }

  /** Replaces the candidate nodes. Resets the cached counters. */
  setNodes(nodes: readonly Node[] | NodeBase): void {
    this.table = new NodeTable(nodes instanceof NodeBase ? nodes : new NodeBase(nodes));
    this.groupCounts = new Map();
    this.jobCounts = undefined;
    this.usageLookups = 0;
    // Nodes the plan already changed.
    for (const id of this.removedLive.keys()) this.markTouched(id);
    for (const id in this.plan.nodeAllocation) this.markTouched(id);
  }

  /** Allocations that will hold resources on a node once the plan applies (the shared rule). */
  proposedAllocs(nodeId: string): Allocation[] {
    return proposedAllocs(this.snapshot.allocsByNode(nodeId), this.plan, nodeId);
  }

  /** Fills the used columns of node `i` from its proposed allocations. */
  ensureUsage(i: number): void {
    const t = this.table;
    if (t.usageKnown[i]) return;
    const nodeId = t.nodes[i]!.id;
    const summary = this.snapshot.nodeUsage;
    if (!summary) {
      const u = sumUsage(this.proposedAllocs(nodeId));
      t.usedCpu[i] = u.cpu;
      t.usedMemory[i] = u.memoryMB;
      t.usedDisk[i] = u.diskMB;
      t.usageKnown[i] = 1;
      return;
    }
    // Once an evaluation has looked up an eighth of the nodes one by one, read the rest in one
    // pass over the snapshot's rows (large evaluations visit most nodes; small ones stay cheap).
    if (!t.planTouched[i] && ++this.usageLookups > t.size >> 3 && this.snapshot.forEachNodeUsage) {
      this.prefillUsage();
      if (t.usageKnown[i]) return;
    }
    // The fast path of proposedAllocs: the snapshot's per-node sums, minus the live allocations
    // the plan removes, plus what its entries hold.
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
      const placed = this.plan.nodeAllocation[nodeId];
      if (placed) {
        for (let k = 0; k < placed.length; k++) {
          const held = this.held(placed[k]!);
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
    const job = this.job;
    const out: Allocation[] = [];
    const planned = new Set<string>();
    for (const list of Object.values(this.plan.nodeAllocation)) {
      for (const a of list) {
        if (a.jobId !== job.id || a.namespace !== job.namespace) continue;
        planned.add(a.id);
        // A terminal entry (a failed allocation carrying its reschedule tracker) replaces the
        // stored one but is not live: not counted, as the incremental accounting does.
        if (isTerminal(a)) continue;
        if (group === '' || a.taskGroup === group) out.push(a);
      }
    }
    for (const a of this.snapshot.allocsByJob(job.namespace, job.id)) {
      if (isTerminal(a) || this.removedRefs.has(a.id) || planned.has(a.id)) continue;
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

  /** Adds (or replaces by ID) an allocation to place or update on its node. */
  appendAlloc(alloc: Allocation): void {
    this.put(2, alloc);
  }

  /** Records a stop of `alloc` on its node (Nomad's AppendStoppedAlloc); replaces a stop of the same ID. */
  appendStopped(alloc: Allocation, desc: string, clientStatus?: string, followupEvalId?: string): void {
    this.put(0, {
      ...alloc,
      job: undefined,
      desiredStatus: 'stop',
      desiredDescription: desc,
      clientStatus: clientStatus || alloc.clientStatus,
      followupEvalId: followupEvalId || alloc.followupEvalId,
      allocatedResources: undefined,
    });
  }

  /** Removes the stop recorded for `alloc` (a destructive replacement that found no node). */
  popStopped(alloc: Allocation): void {
    const list = this.plan.nodeUpdate[alloc.nodeId];
    const i = list ? list.findIndex((a) => a.id === alloc.id) : -1;
    if (i < 0) return;
    this.unaccount(0, list![i]!);
    list!.splice(i, 1);
    if (list!.length === 0) delete this.plan.nodeUpdate[alloc.nodeId];
  }

  /** Records `victim` as preempted by `byAllocId` (Nomad's AppendPreemptedAlloc). */
  appendPreempted(victim: Allocation, byAllocId: string): void {
    const v: Allocation = {
      ...victim,
      job: undefined,
      desiredStatus: 'evict',
      desiredDescription: `Preempted by alloc ID ${byAllocId}`,
      preemptedByAllocation: byAllocId,
      allocatedResources: undefined,
    };
    this.put(1, v);
    this.preempted.push(v);
  }

  /**
   * Gives the stop recorded for `original` the reschedule tracker of `updated`; without such a
   * stop, appends `updated` as an update.
   */
  replaceStopped(original: Allocation, updated: Allocation): void {
    const stops = this.plan.nodeUpdate[original.nodeId];
    const i = stops ? stops.findIndex((a) => a.id === original.id) : -1;
    if (i < 0) return this.appendAlloc(updated);
    // Same ID, same node: what the stop releases does not change.
    stops![i] = { ...stops![i]!, rescheduleTracker: updated.rescheduleTracker };
  }

  /** Writes one entry (a preemption is always appended; others replace an entry of the same ID). */
  private put(kind: Kind, a: Allocation): void {
    const record =
      kind === 0 ? this.plan.nodeUpdate : kind === 1 ? this.plan.nodePreemptions : this.plan.nodeAllocation;
    const list = record[a.nodeId];
    if (list === undefined) {
      record[a.nodeId] = [a];
      return this.account(kind, a);
    }
    const i = kind === 1 ? -1 : list.findIndex((x) => x.id === a.id);
    if (i >= 0) {
      this.unaccount(kind, list[i]!);
      list[i] = a;
    } else list.push(a);
    this.account(kind, a);
  }

  /** The live snapshot allocation a placement entry replaces (in-place updates), if any. */
  private replaced(a: Allocation): Allocation | undefined {
    if (isNewAllocation(a)) return undefined;
    const existing = this.snapshot.allocById(a.id);
    return existing && !isTerminal(existing) ? existing : undefined;
  }

  /** What a placement entry holds (the shared rule's heldBy). */
  private held(a: Allocation): Allocation | undefined {
    return heldBy(a, this.replaced(a));
  }

  /** Accounts one new plan entry: it removes the allocation of its ID; a placement then holds. */
  private account(kind: Kind, a: Allocation): void {
    if (kind !== 2 || this.replaced(a)) this.retain(a);
    if (kind === 2) {
      const held = this.held(a);
      if (held) this.track(held, 1);
    }
  }

  /** Reverses `account` for an entry leaving the plan. */
  private unaccount(kind: Kind, a: Allocation): void {
    if (kind === 2) {
      const held = this.held(a);
      if (held) this.track(held, -1);
    }
    if (kind !== 2 || this.replaced(a)) this.release(a);
  }

  /** One more entry removes `a.id`; the first releases what the live allocation holds. */
  private retain(a: Allocation): void {
    const refs = this.removedRefs.get(a.id) ?? 0;
    this.removedRefs.set(a.id, refs + 1);
    if (refs > 0) return;
    const existing = this.snapshot.allocById(a.id);
    if (!existing || isTerminal(existing)) return;
    const list = this.removedLive.get(existing.nodeId);
    if (list) list.push(existing);
    else this.removedLive.set(existing.nodeId, [existing]);
    this.track(existing, -1);
  }

  /** One entry fewer removes `a.id`; the last gives the live allocation its resources back. */
  private release(a: Allocation): void {
    const refs = this.removedRefs.get(a.id) ?? 0;
    if (refs > 1) {
      this.removedRefs.set(a.id, refs - 1);
      return;
    }
    this.removedRefs.delete(a.id);
    const existing = this.snapshot.allocById(a.id);
    if (!existing || isTerminal(existing)) return;
    const list = this.removedLive.get(existing.nodeId);
    const at = list ? list.lastIndexOf(existing) : -1;
    if (at >= 0) list!.splice(at, 1);
    this.track(existing, 1);
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
    const job = this.planJob;
    if (job && alloc.jobId === job.id && alloc.namespace === job.namespace) {
      if (i !== undefined) {
        if (this.jobCounts) this.jobCounts[i]! += delta;
        const g = this.groupCounts.get(alloc.taskGroup);
        if (g) g[i]! += delta;
      }
      for (const fn of this.listeners) fn(alloc, i ?? -1, delta);
    }
  }
}

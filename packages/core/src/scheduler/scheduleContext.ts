/**
 * The per-evaluation scratch of `schedule()`: the plan being built, follow-up evaluations,
 * failed placement metrics and queued counts, plus the placement seam used by the schedulers.
 */
import type { Job, TaskGroup } from '../jobspec/types.js';
import { emptyAllocation, type Allocation } from '../structs/allocation.js';
import type { AllocMetric } from '../structs/allocMetric.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { DesiredUpdates, Plan } from '../structs/plan.js';
import type { Node } from '../structs/node.js';
import type { AllocatedResources } from '../structs/resources.js';
import type { SchedulerConfiguration } from '../state/stateSnapshot.js';
import { uuid, type Rng } from '../util/rng.js';
import type { SchedulerSnapshot } from './snapshot.js';
import { notePlanWrite, trackPlanWrites } from './context.js';

/** What a scheduler asks of the placement engine for one allocation. */
export interface PlacementRequest {
  allocName: string;
  /** Nodes the reschedule penalty applies to (where the previous attempts ran). */
  penaltyNodeIds: ReadonlySet<string>;
  /** A node to try first (sticky or migrating ephemeral disk). */
  preferredNodeId?: string | undefined;
  /** Restrict the candidates to these nodes (system jobs place per node). */
  nodeIds?: readonly string[] | undefined;
}

/** The placement engine's answer: a node with resources, or none with the metrics of why. */
export interface PlacementOption {
  node?: Node | undefined;
  allocatedResources?: AllocatedResources | undefined;
  preemptedAllocs: readonly Allocation[];
  metrics: AllocMetric;
  /** No node had room (as opposed to none being feasible). */
  exhausted: boolean;
}

/** A placement engine bound to one evaluation and job; it tracks the plan in progress. */
export interface Placer {
  select(group: TaskGroup, request: PlacementRequest): PlacementOption;
  /** Node classes found feasible (true) or not (false), and whether a check escaped classes. */
  classEligibility?(): { classes: Record<string, boolean>; escaped: boolean; missing?: string[] };
}

/** Builds a placer for a job; the context supplies the plan so placements see each other. */
export type PlacerFactory = (ctx: SchedulerContext, job: Job) => Placer;

/** Scratch shared by the scheduler steps of one evaluation. */
export class SchedulerContext {
  readonly plan: Plan;
  readonly followupEvals: Evaluation[] = [];
  readonly failedTGAllocs: Record<string, AllocMetric> = {};
  readonly queued: Record<string, number> = {};
  desiredTGUpdates: Record<string, DesiredUpdates> = {};
  readonly preempted: Allocation[] = [];
  /** Bumped whenever the plan changes on a node, so placers can cache per-node usage. */
  private readonly nodeVersions = new Map<string, number>();

  /** The number of plan changes on `nodeId` so far. */
  planVersion(nodeId: string): number {
    return this.nodeVersions.get(nodeId) ?? 0;
  }

  private touch(nodeId: string): void {
    this.nodeVersions.set(nodeId, this.planVersion(nodeId) + 1);
    notePlanWrite(this.plan, nodeId);
  }

  constructor(
    readonly snapshot: SchedulerSnapshot,
    readonly evaluation: Evaluation,
    readonly now: number,
    readonly rng: Rng,
    readonly config: SchedulerConfiguration,
    private readonly placerFactory: PlacerFactory,
  ) {
    const job = snapshot.jobById(evaluation.namespace, evaluation.jobId);
    this.plan = {
      evalId: evaluation.id,
      evalToken: '',
      priority: evaluation.priority,
      allAtOnce: job?.allAtOnce ?? false,
      job,
      nodeUpdate: {},
      nodeAllocation: {},
      nodePreemptions: {},
      deploymentUpdates: [],
      snapshotIndex: snapshot.latestIndex(),
    };
    // Every plan write below goes through touch(), so placers can catch up incrementally.
    trackPlanWrites(this.plan);
  }

  /** A fresh UUID (v4 layout) from the evaluation's seeded RNG. */
  newId(): string {
    return uuid(this.rng);
  }

  private readonly placers: Placer[] = [];

  /** The placement engine for `job` (one per call; eligibility is merged over all of them). */
  placer(job: Job): Placer {
    const p = this.placerFactory(this, job);
    this.placers.push(p);
    return p;
  }

  /** Class eligibility merged over the placers used (a class feasible anywhere counts as eligible). */
  classEligibility(): { classes: Record<string, boolean>; escaped: boolean; missing: string[] } {
    const classes: Record<string, boolean> = {};
    let escaped = false;
    const missing = new Set<string>();
    for (const p of this.placers) {
      const e = p.classEligibility?.();
      if (!e) continue;
      escaped ||= e.escaped;
      for (const r of e.missing ?? []) missing.add(r);
      for (const [c, ok] of Object.entries(e.classes)) classes[c] = (classes[c] ?? false) || ok;
    }
    return { classes, escaped, missing: [...missing].sort() };
  }

  /** Records a stop of `alloc` on its node (Nomad's AppendStoppedAlloc). */
  appendStopped(alloc: Allocation, desc: string, clientStatus?: string, followupEvalId?: string): void {
    this.touch(alloc.nodeId);
    const stopped: Allocation = {
      ...alloc,
      job: undefined,
      desiredStatus: 'stop',
      desiredDescription: desc,
      clientStatus: clientStatus || alloc.clientStatus,
      followupEvalId: followupEvalId || alloc.followupEvalId,
      allocatedResources: undefined,
    };
    const list = (this.plan.nodeUpdate[alloc.nodeId] ??= []);
    const i = list.findIndex((a) => a.id === alloc.id);
    if (i >= 0) list[i] = stopped;
    else list.push(stopped);
  }

  /** Removes a stop recorded for `alloc` (a destructive replacement that found no node). */
  popStopped(alloc: Allocation): void {
    this.touch(alloc.nodeId);
    const list = this.plan.nodeUpdate[alloc.nodeId];
    if (!list) return;
    const i = list.findIndex((a) => a.id === alloc.id);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) delete this.plan.nodeUpdate[alloc.nodeId];
  }

  /** Adds (or replaces by id) an allocation to place or update on its node. */
  appendAlloc(alloc: Allocation): void {
    this.touch(alloc.nodeId);
    const list = (this.plan.nodeAllocation[alloc.nodeId] ??= []);
    const i = list.findIndex((a) => a.id === alloc.id);
    if (i >= 0) list[i] = alloc;
    else list.push(alloc);
  }

  /** Swaps `updated` in wherever the plan already holds `original`, else appends it as an update. */
  replaceInPlan(original: Allocation, updated: Allocation): void {
    this.touch(original.nodeId);
    const stops = this.plan.nodeUpdate[original.nodeId];
    const si = stops?.findIndex((a) => a.id === original.id) ?? -1;
    if (stops && si >= 0) {
      const prev = stops[si];
      if (prev) stops[si] = { ...prev, rescheduleTracker: updated.rescheduleTracker };
      return;
    }
    this.appendAlloc(updated);
  }

  /** Records `victim` as preempted by `byAllocId`. */
  appendPreempted(victim: Allocation, byAllocId: string): void {
    this.touch(victim.nodeId);
    const v: Allocation = {
      ...victim,
      job: undefined,
      desiredStatus: 'evict',
      desiredDescription: `Preempted by alloc ID ${byAllocId}`,
      preemptedByAllocation: byAllocId,
      allocatedResources: undefined,
    };
    (this.plan.nodePreemptions[victim.nodeId] ??= []).push(v);
    this.preempted.push(v);
  }

  /** An allocation with every field at its zero value. */
  blankAlloc(): Allocation {
    return emptyAllocation();
  }
}

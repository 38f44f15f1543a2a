/**
 * The placement seam of `schedule()`: what a scheduler asks for one allocation and the answer.
 * The built-in stack implements it; embedders and tests may supply their own.
 */
import type { TaskGroup } from '../jobspec/types.js';
import type { AllocMetric } from '../structs/allocMetric.js';
import type { Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';
import type { AllocatedResources } from '../structs/resources.js';

/** What a scheduler asks of the placement engine for one allocation (Nomad's SelectOptions). */
export interface PlacementRequest {
  /** The allocation's name (`job.group[index]`): `per_alloc` CSI volumes are picked by its index. */
  allocName?: string | undefined;
  /** Nodes where a previous attempt of this allocation failed: scored −1. */
  penaltyNodeIds?: ReadonlySet<string> | undefined;
  /** A node to try first (sticky or migrating ephemeral disk); all nodes are tried if it does not fit. */
  preferredNodeId?: string | undefined;
  /** Only these nodes are candidates (system jobs place per node). */
  nodeIds?: readonly string[] | undefined;
}

/** The placement engine's answer: a node with resources, or none with the metrics of why. */
export interface Placement {
  /** The chosen node, or undefined when no node fits. */
  node: Node | undefined;
  /** Final (normalised) score of the chosen node; 0 without one. */
  score: number;
  /** What the allocation gets on the node: per-task cpu/memory/devices, shared disk and ports. */
  resources: AllocatedResources | undefined;
  /** Allocations to evict from the node to make room (lower priority by ≥ 10). */
  preemptedAllocs: readonly Allocation[];
  metric: AllocMetric;
  /** No node had room (as opposed to none being feasible). */
  exhausted: boolean;
}

/** Node classes found feasible (true) or not (false), whether a check escaped classes, missing volumes. */
export interface ClassEligibilityReport {
  classes: Record<string, boolean>;
  escaped: boolean;
  missing: string[];
}

/** A placement engine bound to one evaluation; it sees the plan in progress. */
export interface Placer {
  select(group: TaskGroup, request?: PlacementRequest): Placement;
  /** Class eligibility for blocked evaluations (optional: without it, none is recorded). */
  classEligibility?(): ClassEligibilityReport;
}

import type { Job, TaskGroup } from '../jobspec/types.js';
import type { Node } from '../structs/node.js';
import type { AllocatedResources, AllocatedTaskResources } from '../structs/resources.js';
import type { EvalContext } from './context.js';
import {
  constraintString,
  driversHealthy,
  failedConstraint,
  FILTER_DEVICES,
  FILTER_DRIVERS,
  FILTER_HOST_VOLUMES,
  hostVolumesAvailable,
} from './feasible/checkers.js';
import { CSIVolumeChecker, hasCSIVolumes, missingResources } from './feasible/csiVolumes.js';
import { devicesAvailable } from './feasible/devices.js';
import { DistinctProperties, distinctHostsOk } from './feasible/distinct.js';
import { ClassEligibility, ELIGIBLE, INELIGIBLE, UNKNOWN } from './feasible/eligibility.js';
import { readyNodesInDCsAndPool } from './feasible/readyNodes.js';
import { compileGroup, type GroupAsk } from './groupAsk.js';
import { MetricRecorder } from './metrics.js';
import { NodeBase } from './nodeTable.js';
import { affinityScore } from './rank/affinity.js';
import { binPackFit, type FitResult, type Offer } from './rank/binPack.js';
import { BIN_PACKING_MAX_FIT_SCORE, fitScore } from './rank/fitScore.js';
import { jobAntiAffinityScore, netPriority, preemptionScore } from './rank/scores.js';
import { SpreadScorer } from './rank/spread.js';
import { LimitSelector, selectionLimit } from './select/limit.js';
import type { ClassEligibilityReport, Placement, PlacementRequest, Placer } from './placement.js';
import type { PlacerFactory } from './scheduleContext.js';

/** Which scheduler the stack serves; it decides shuffling and the ranking limit. */
export type StackKind = 'service' | 'batch' | 'system' | 'sysbatch';

interface GroupState {
  ask: GroupAsk;
  eligibility: ClassEligibility;
  distinct: DistinctProperties;
  spread: SpreadScorer;
  /** Node affinity score per candidate index (NaN = not computed). */
  affinity: Float64Array | undefined;
  /** Cached bin-pack score per node while its allocations are unchanged (fast path only). */
  fitScore: Float64Array;
  fitDimension: (string | undefined)[];
  fitVersion: Int32Array;
  /**
   * Once every class has a verdict: per position of the visiting order, the first position at
   * or after it whose node is class-eligible (size when none), so runs of ineligible nodes are
   * skipped in one step with the same metrics.
   */
  nextEligible: Int32Array | undefined;
  /** The group's resources when nothing node-specific is assigned (shared, never mutated). */
  plainResources: AllocatedResources | undefined;
  /** CSI volume checker (per node, never cached per class); undefined without CSI volumes. */
  csi: CSIVolumeChecker | undefined;
}

const readyCache = new WeakMap<readonly Node[], Map<string, NodeBase>>();

/** The job's ready nodes as a NodeBase, shared by evaluations over the same node list. */
function readyBase(all: readonly Node[], job: Job): NodeBase {
  const key = `${job.nodePool}\u0000${(job.datacenters ?? []).join('\u0000')}`;
  let perJob = readyCache.get(all);
  if (!perJob) {
    perJob = new Map();
    readyCache.set(all, perJob);
  }
  let base = perJob.get(key);
  if (!base) {
    base = new NodeBase(readyNodesInDCsAndPool(all, job).ready);
    perJob.set(key, base);
  }
  return base;
}

/**
 * The placement pipeline of one evaluation (Nomad's GenericStack / SystemStack). Build it once
 * per evaluation; each `select` places one allocation of a group and sees the placements the
 * context's plan already holds.
 */
export class Stack implements Placer {
  private cursor = 0;
  private jobEligibility!: ClassEligibility;
  private groups = new Map<string, GroupState>();
  private readonly fit: FitResult = {
    fit: false,
    dimension: '',
    utilCpu: 0,
    utilMemory: 0,
    offer: undefined,
  };
  private readonly parts = new Float64Array(7);
  /** The last bin-pack score and its inputs: avail cpu, avail memory, used cpu, used memory, score. */
  private readonly fitMemo = new Float64Array(5).fill(NaN);
  /** Metric recorder and selector reused by successive placements (each gets a fresh metric). */
  private readonly rec = new MetricRecorder();
  private readonly selector = new LimitSelector(0);

  constructor(
    readonly ctx: EvalContext,
    readonly kind: StackKind,
  ) {
    this.setNodes(readyBase(ctx.snapshot.nodes(), ctx.job));
  }

  /**
   * Per computed class: false when the job or a group was found infeasible there, true when
   * found feasible; `escaped` when a constraint names per-node values (Nomad's class eligibility).
   */
  classEligibility(): ClassEligibilityReport {
    const keys = this.ctx.table.classNames;
    const classes: Record<string, boolean> = {};
    let escaped = this.jobEligibility.escaped;
    for (const g of this.groups.values()) escaped ||= g.eligibility.escaped;
    for (let c = 0; c < keys.length; c++) {
      const verdicts = [
        this.jobEligibility.verdicts[c],
        ...[...this.groups.values()].map((g) => g.eligibility.verdicts[c]),
      ];
      const name = keys[c]!;
      if (verdicts.includes(INELIGIBLE)) classes[name] = false;
      else if (verdicts.includes(ELIGIBLE) && classes[name] !== false) classes[name] = true;
    }
    return { classes, escaped, missing: missingResources([...this.groups.values()].map((g) => g.csi)) };
  }

  /** Replaces the candidate nodes; service and batch stacks shuffle them with the seeded RNG. */
  setNodes(nodes: readonly Node[] | NodeBase): void {
    this.ctx.setNodes(nodes);
    // Random node source: a seeded shuffle of the visiting order (the nodes array is shared).
    if (this.kind === 'service' || this.kind === 'batch') this.ctx.rng.shuffle(this.ctx.table.order);
    this.cursor = 0;
    this.groups = new Map();
    this.jobEligibility = new ClassEligibility(
      this.ctx.table.classKeys.length,
      this.ctx.job.constraints ?? [],
    );
  }

  /**
   * Chooses a node for one allocation of `group`. Reads the context (snapshot + plan so far);
   * advances the RNG and the stack's node cursor; does not modify the plan.
   * @example
   * const stack = createStack(ctx, 'service');
   * const { node, resources, metric } = stack.select(job.taskGroups[0]);
   * if (node) ctx.appendAlloc({ ...alloc, nodeId: node.id, allocatedResources: resources });
   */
  select(group: TaskGroup, request: PlacementRequest = {}): Placement {
    if (request.nodeIds) {
      // System jobs place per node (Nomad's SystemStack with its source set to one node).
      return this.run(group, request, this.indexesOf(request.nodeIds));
    }
    if (request.preferredNodeId !== undefined) {
      const first = this.run(group, request, this.indexesOf([request.preferredNodeId]));
      if (first.node) return first;
    }
    return this.run(group, request, undefined);
  }

  /** Table positions of the given node IDs; nodes not ready for this job have none. */
  private indexesOf(ids: readonly string[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const i = this.ctx.table.index.get(id);
      if (i !== undefined) out.push(i);
    }
    return out;
  }

  /** The pipeline, one stage per line; `only` restricts the candidates (preferred nodes). */
  private run(group: TaskGroup, options: PlacementRequest, only: number[] | undefined): Placement {
    const ctx = this.ctx;
    const t = ctx.table;
    const st = this.groupState(group);
    const ask = st.ask;
    const rec = this.rec;
    rec.reset();
    const ranked = this.kind === 'service' || this.kind === 'batch';
    const hasAffinity = ranked && ask.affinities.length > 0;
    const hasSpread = ranked && st.spread.active;
    const n = only ? only.length : t.size;
    const order = t.order;
    const limit = ranked
      ? selectionLimit(
          this.kind === 'batch',
          t.size,
          group.count,
          hasAffinity || hasSpread,
          ctx.placement.nodeLimitForFeasibility,
        )
      : n;
    const selector = this.selector;
    selector.reset(limit);
    let offers: Map<number, Offer> | undefined;
    const groupCounts = ctx.countsFor(group.name);
    if (hasSpread) st.spread.prepare();
    // One spread without targets: its per-value boosts are read in the loop (same as spread.score).
    const evenSet = hasSpread ? st.spread.evenOnly : undefined;
    const evenValues = evenSet?.nodeValue;
    const evenBoost = st.spread.evenOnlyBoost;
    const evenUnseen = st.spread.evenOnlyUnseen;
    // Hoisted for the hot loop: class verdicts and which optional stages apply.
    const jobVerdicts = this.jobEligibility.verdicts;
    const groupVerdicts = st.eligibility.verdicts;
    const cached = !this.jobEligibility.escaped && !st.eligibility.escaped;
    const hasVolumes = ask.volumes.length > 0;
    const hasDistinctHosts = ask.distinctHosts !== undefined;
    const hasDistinctProps = ask.distinctProperties.length > 0;
    const classId = t.classId;
    const classNodeClass = t.classNodeClass;
    const ids = t.ids;
    // Imported bindings read once: module loaders that compile to getters make each read a call.
    const eligible = ELIGIBLE;
    const ineligible = INELIGIBLE;
    const fitNode = binPackFit;
    const scoreOf = fitScore;
    const maxFit = BIN_PACKING_MAX_FIT_SCORE;
    const antiAffinityOf = jobAntiAffinityScore;
    const algorithm = ctx.placement.algorithm;
    const spread = st.spread;
    const fitVersion = st.fitVersion;
    const version = t.version;
    const slowPath = ask.slowPath;
    // An empty set would cost a node-ID read per ranked node.
    const penalty = options.penaltyNodeIds?.size ? options.penaltyNodeIds : undefined;
    const desiredCount = group.count;
    const parts = this.parts;
    const cursor = this.cursor;
    const nextEligible = only || !cached ? undefined : this.nextEligible(st);
    const csi = st.csi;
    csi?.setVolumes(options.allocName ?? '');
    let skipped = 0;
    let evaluated = 0;
    let k = 0;
    // p = (cursor + k) % n, kept by wrapping instead of a division per visited node.
    let p = only ? 0 : cursor;
    for (; k < n && !selector.full; k++, p = p + 1 === n ? 0 : p + 1) {
      if (nextEligible) {
        // Skip a run of class-ineligible nodes at once (each still counts as evaluated and filtered).
        const run = Math.min(nextEligible[p]! - p, n - k);
        if (run > 0) {
          skipped += run;
          k += run - 1;
          // nextEligible[p] <= n, so p + run - 1 stays below n.
          p += run - 1;
          continue;
        }
      }
      // Random node source: continues where the previous placement stopped.
      const i = only ? only[k]! : order[p]!;
      evaluated++;
      // Feasibility: job constraints, then drivers / group constraints / devices (cached per class), volumes.
      const cls = classId[i]!;
      // The node class is part of the class key: read it from the class, not the node object.
      const nodeClass = classNodeClass[cls]!;
      if (cached && jobVerdicts[cls] === eligible && groupVerdicts[cls] === eligible) {
        // Both verdicts cached as eligible.
      } else if (cached && jobVerdicts[cls] === ineligible) {
        rec.filteredByClass(nodeClass);
        continue;
      } else {
        if (!this.jobFeasible(i, t.nodes[i]!, rec)) continue;
        if (!this.groupFeasible(st, i, t.nodes[i]!, rec)) continue;
      }
      // The node object is read only by stages that need more than the columns.
      if (hasVolumes && !hostVolumesAvailable(ask.volumes, t.nodes[i]!)) {
        rec.filtered(nodeClass, FILTER_HOST_VOLUMES);
        continue;
      }
      // CSI volumes: plugin on the node, topology, free claims.
      const csiReason = csi?.check(t.nodes[i]!);
      if (csiReason !== undefined) {
        rec.filtered(nodeClass, csiReason);
        continue;
      }
      // distinct_hosts and distinct_property against the plan in progress.
      if (hasDistinctHosts && !distinctHostsOk(ctx, ask, i)) {
        rec.filtered(nodeClass, 'distinct_hosts');
        continue;
      }
      const dp = hasDistinctProps ? st.distinct.violation(i) : undefined;
      if (dp !== undefined) {
        rec.filtered(nodeClass, dp);
        continue;
      }
      // Bin-pack: resources fit (or preemption makes them fit) and the fit score.
      let binpack: number;
      let offer: Offer | undefined;
      if (!slowPath && fitVersion[i] === version[i]) {
        // Unchanged node: reuse the verdict and score of the previous placement (NaN: exhausted,
        // with the dimension beside it, so the common path reads one array).
        binpack = st.fitScore[i]!;
        if (binpack !== binpack) {
          rec.exhausted(nodeClass, st.fitDimension[i]!);
          continue;
        }
      } else {
        const fit = fitNode(ctx, ask, i, this.fit);
        if (!fit.fit) {
          rec.exhausted(nodeClass, fit.dimension);
          if (!ask.slowPath && !ctx.placement.preemption) {
            st.fitVersion[i] = t.version[i]!;
            st.fitDimension[i] = fit.dimension;
            st.fitScore[i] = NaN;
          }
          continue;
        }
        offer = fit.offer;
        const availCpu = t.availCpu[i]!;
        const availMem = t.availMemory[i]!;
        const memo = this.fitMemo;
        // Nodes of one size holding the same load score the same (empty nodes above all): reuse
        // the last score instead of two Math.pow calls.
        if (
          memo[0] !== availCpu ||
          memo[1] !== availMem ||
          memo[2] !== fit.utilCpu ||
          memo[3] !== fit.utilMemory
        ) {
          memo[0] = availCpu;
          memo[1] = availMem;
          memo[2] = fit.utilCpu;
          memo[3] = fit.utilMemory;
          memo[4] = scoreOf(availCpu, availMem, fit.utilCpu, fit.utilMemory, algorithm) / maxFit;
        }
        binpack = memo[4]!;
        if (!offer) {
          st.fitVersion[i] = t.version[i]!;
          st.fitDimension[i] = undefined;
          st.fitScore[i] = binpack;
        }
      }
      // Components in locals; the breakdown buffer is written only for a node that makes the
      // metric's top scores.
      let sum = binpack;
      let count = 1;
      let present = 1;
      // Device affinities: how well the chosen device groups match (Nomad's `devices` score).
      const deviceScore = offer?.deviceScore;
      if (deviceScore !== undefined) {
        sum += deviceScore;
        count++;
        present |= 64;
      }
      let antiAffinity = 0;
      let reschedulePenalty = 0;
      let nodeAffinity = 0;
      let spreadBoost = 0;
      if (ranked) {
        // Job anti-affinity: penalise nodes already running this group.
        const collisions = groupCounts[i]!;
        present |= 2 | 4 | 8;
        if (collisions > 0) {
          antiAffinity = antiAffinityOf(collisions, desiredCount);
          sum += antiAffinity;
          count++;
        }
        // Reschedule penalty: −1 on nodes where this allocation failed before.
        if (penalty !== undefined && penalty.has(ids[i]!)) {
          reschedulePenalty = -1;
          sum -= 1;
          count++;
        }
        // Node affinity.
        if (hasAffinity) {
          nodeAffinity = this.affinityOf(st, i);
          sum += nodeAffinity;
          count++;
        }
        // Spread.
        if (hasSpread) {
          if (evenSet !== undefined && evenValues !== undefined) {
            let v = evenValues[i]!;
            if (v === -2) v = evenSet.valueOfIndex(i);
            spreadBoost = v < 0 ? -1 : v < evenBoost.length ? evenBoost[v]! : evenUnseen;
          } else spreadBoost = spread.score(i);
          if (spreadBoost !== 0) {
            sum += spreadBoost;
            count++;
            present |= 16;
          }
        }
      }
      // Preemption: prefer evicting lower net priority.
      const preempted = offer?.preempted;
      let preemption = 0;
      if (preempted && preempted.length > 0) {
        preemption = preemptionScore(netPriority(preempted.map((a) => a.job?.priority ?? 0)));
        sum += preemption;
        count++;
        present |= 32;
      }
      // Normalise: the final score is the mean of the scores that applied.
      const score = sum / count;
      if (rec.wants(score)) {
        parts[0] = binpack;
        parts[1] = antiAffinity;
        parts[2] = reschedulePenalty;
        parts[3] = nodeAffinity;
        parts[4] = spreadBoost;
        parts[5] = preemption;
        parts[6] = deviceScore ?? 0;
        rec.scored(ids[i]!, score, parts, present);
      }
      if (offer) (offers ??= new Map()).set(i, offer);
      // Limit + max score.
      selector.offer(i, score);
    }
    if (!only) this.cursor = (cursor + k) % Math.max(n, 1);
    rec.metric.nodesEvaluated += evaluated + skipped;
    rec.filteredByClassCount(skipped);
    selector.finish();
    const metric = rec.finish();
    // Shared by every metric of the evaluation (frozen in NodeBase).
    metric.nodesAvailable = t.byDatacenter as Record<string, number>;
    metric.nodesInPool = t.size;
    metric.nodePool = ctx.job.nodePool || 'default';
    if (selector.best < 0)
      return {
        node: undefined,
        score: 0,
        resources: undefined,
        preemptedAllocs: [],
        metric,
        exhausted: metric.nodesExhausted > 0,
      };
    const best = selector.best;
    const offer = offers?.get(best);
    return {
      node: t.nodes[best]!,
      score: selector.bestScore,
      // Without an offer (no ports, cores or devices) every allocation of the group gets the same
      // resources: share one object instead of a copy per allocation.
      resources: offer
        ? allocatedResources(ask, offer, ctx.placement.memoryOversubscription, t.nodes[best]!)
        : (st.plainResources ??= allocatedResources(
            ask,
            undefined,
            ctx.placement.memoryOversubscription,
            t.nodes[best]!,
          )),
      preemptedAllocs: offer?.preempted ?? [],
      metric,
      exhausted: false,
    };
  }

  /** Builds the skip table when all classes have verdicts and ineligible nodes have no node class. */
  private nextEligible(st: GroupState): Int32Array | undefined {
    if (st.nextEligible) return st.nextEligible;
    const t = this.ctx.table;
    const jobV = this.jobEligibility.verdicts;
    const groupV = st.eligibility.verdicts;
    const eligible = ELIGIBLE;
    const ok = new Uint8Array(jobV.length);
    for (let c = 0; c < jobV.length; c++) {
      if (jobV[c] === UNKNOWN || (jobV[c] === eligible && groupV[c] === UNKNOWN)) return undefined;
      ok[c] = jobV[c] === eligible && groupV[c] === eligible ? 1 : 0;
      // Per-class filter counts need the node class (one per class); keep the slow path when it is set.
      if (!ok[c] && t.classNodeClass[c]) return undefined;
    }
    const n = t.size;
    const next = new Int32Array(n + 1);
    next[n] = n;
    const order = t.order;
    const classId = t.classId;
    for (let p = n - 1; p >= 0; p--) next[p] = ok[classId[order[p]!]!] ? p : next[p + 1]!;
    st.nextEligible = next;
    return next;
  }

  private jobFeasible(i: number, node: Node, rec: MetricRecorder): boolean {
    const e = this.jobEligibility;
    const cls = this.ctx.table.classId[i]!;
    if (!e.escaped) {
      const v = e.verdicts[cls];
      if (v === ELIGIBLE) return true;
      if (v === INELIGIBLE) {
        rec.filteredByClass(node.nodeClass);
        return false;
      }
    }
    const failed = failedConstraint(this.ctx.job.constraints ?? [], node);
    if (!e.escaped && e.verdicts[cls] === UNKNOWN) e.verdicts[cls] = failed ? INELIGIBLE : ELIGIBLE;
    if (failed) rec.filtered(node.nodeClass, constraintString(failed));
    return failed === undefined;
  }

  private groupFeasible(st: GroupState, i: number, node: Node, rec: MetricRecorder): boolean {
    const e = st.eligibility;
    const cls = this.ctx.table.classId[i]!;
    if (!e.escaped) {
      const v = e.verdicts[cls];
      if (v === ELIGIBLE) return true;
      if (v === INELIGIBLE) {
        rec.filteredByClass(node.nodeClass);
        return false;
      }
    }
    const ask = st.ask;
    let reason: string | undefined;
    if (!driversHealthy(ask.drivers, node)) reason = FILTER_DRIVERS;
    else {
      const failed = failedConstraint(ask.constraints, node);
      if (failed) reason = constraintString(failed);
      else if (
        ask.devices.length > 0 &&
        !devicesAvailable(
          ask.devices.map((d) => d.request),
          node.nodeResources.devices ?? [],
        )
      )
        reason = FILTER_DEVICES;
    }
    if (!e.escaped && e.verdicts[cls] === UNKNOWN) e.verdicts[cls] = reason ? INELIGIBLE : ELIGIBLE;
    if (reason) rec.filtered(node.nodeClass, reason);
    return reason === undefined;
  }

  private affinityOf(st: GroupState, i: number): number {
    st.affinity ??= new Float64Array(this.ctx.table.size).fill(NaN);
    let v = st.affinity[i]!;
    if (Number.isNaN(v)) {
      v = affinityScore(st.ask.affinities, this.ctx.table.nodes[i]!);
      st.affinity[i] = v;
    }
    return v;
  }

  private groupState(group: TaskGroup): GroupState {
    let st = this.groups.get(group.name);
    if (!st) {
      const ask = compileGroup(this.ctx.job, group);
      st = {
        ask,
        eligibility: new ClassEligibility(
          this.ctx.table.classKeys.length,
          ask.constraints,
          hasCSIVolumes(ask.volumes),
        ),
        distinct: new DistinctProperties(this.ctx, ask),
        spread: new SpreadScorer(this.ctx, group.name, group.count, ask.spreads),
        affinity: undefined,
        fitScore: new Float64Array(this.ctx.table.size),
        fitDimension: new Array<string | undefined>(this.ctx.table.size),
        fitVersion: new Int32Array(this.ctx.table.size).fill(-1),
        nextEligible: undefined,
        plainResources: undefined,
        csi: hasCSIVolumes(ask.volumes)
          ? new CSIVolumeChecker(this.ctx.snapshot, this.ctx.job.namespace, this.ctx.job.id, ask.volumes)
          : undefined,
      };
      this.groups.set(group.name, st);
    }
    return st;
  }
}

function allocatedResources(
  ask: GroupAsk,
  offer: Offer | undefined,
  oversubscription: boolean,
  node: Node,
): AllocatedResources {
  const tasks: Record<string, AllocatedTaskResources> = {};
  const taskLifecycles: AllocatedResources['taskLifecycles'] = {};
  let coreAt = 0;
  for (const task of ask.group.tasks) {
    const r = task.resources;
    const cores = offer ? offer.cores.slice(coreAt, coreAt + (r?.cores ?? 0)) : [];
    coreAt += r?.cores ?? 0;
    // MHz per reserved core, read from the node only when cores were given.
    let coreCpu = 0;
    if (cores.length > 0) {
      const cpu = node.nodeResources.cpu;
      if (cpu.totalCpuCores > 0) coreCpu = cores.length * (cpu.cpuShares / cpu.totalCpuCores);
    }
    tasks[task.name] = {
      cpu: { cpuShares: (r?.cpu ?? 0) + coreCpu, reservedCores: cores },
      memory: { memoryMB: r?.memoryMB ?? 0, memoryMaxMB: oversubscription ? (r?.memoryMaxMB ?? 0) : 0 },
      networks: [],
      devices: offer?.devices[task.name] ?? [],
    };
    taskLifecycles[task.name] = task.lifecycle
      ? { hook: task.lifecycle.hook, sidecar: task.lifecycle.sidecar }
      : null;
  }
  const ports = offer?.ports ?? [];
  const networks = ask.network
    ? [
        {
          ...ask.network,
          ip: ports[0]?.hostIp ?? '',
          reservedPorts: ports
            .filter((p) => ask.network!.reservedPorts.some((q) => q.label === p.label))
            .map(toPort),
          dynamicPorts: ports
            .filter((p) => ask.network!.dynamicPorts.some((q) => q.label === p.label))
            .map(toPort),
        },
      ]
    : [];
  return { tasks, taskLifecycles, shared: { diskMB: ask.diskMB, networks, ports } };
}

function toPort(p: { label: string; value: number; to: number }) {
  return { label: p.label, value: p.value, to: p.to, hostNetwork: 'default', ignoreCollision: false };
}

/**
 * Builds the placement stack for one evaluation over the job's ready nodes.
 * @example const stack = createStack(ctx, 'service');
 */
export function createStack(ctx: EvalContext, kind: StackKind): Stack {
  return new Stack(ctx, kind);
}

/** The stack kind of a job type (unknown types rank as service). Pure. */
export function stackKindOf(jobType: string): StackKind {
  return jobType === 'batch' || jobType === 'system' || jobType === 'sysbatch' ? jobType : 'service';
}

/**
 * `schedule()`'s default placement engine: the full stack (feasibility, ranking, selection,
 * preemption, metrics) over the evaluation context that owns the plan.
 * @example schedule(snapshot, evaluation, { now, placer: createStackPlacer })
 */
export const createStackPlacer: PlacerFactory = (ctx) => createStack(ctx, stackKindOf(ctx.job.type));

/**
 * The cluster reconciler for service and batch jobs: compares a job's task groups with its
 * allocations and decides what to place, stop, update in place or destructively, migrate and
 * reschedule, and which deployment to create or cancel. Placement itself happens later.
 */
import type { Job, TaskGroup } from '../../jobspec/types.js';
import type { Allocation } from '../../structs/allocation.js';
import type { Deployment, DeploymentState } from '../../structs/deployment.js';
import { newEvaluation, type Evaluation } from '../../structs/evaluation.js';
import type { Node } from '../../structs/node.js';
import { AllocNameIndex, allocIndexFromName } from './allocNameIndex.js';
import {
  BATCHED_FAILED_ALLOC_WINDOW_NS,
  allocSetOf,
  classifyAllocs,
  cmp,
  disconnectTimeout,
  replaceOnDisconnect,
  difference,
  filterByRescheduleable,
  isActiveDeploymentStatus,
  isCanary,
  isServerTerminal,
  isTerminal,
  nameOrder,
  union,
  type AllocSet,
  type DelayedReschedule,
} from './allocFilters.js';
import { emptyDesiredUpdates, type DesiredUpdates } from '../../structs/plan.js';
import type { DeploymentStatusUpdate } from '../../structs/deployment.js';

/** Status descriptions Nomad writes on stopped allocations. */
export const ALLOC_STATUS = {
  notNeeded: 'alloc not needed due to job update',
  migrating: 'alloc is being migrated',
  updating: 'alloc is being updated due to job update',
  lost: 'alloc is lost since its node is down',
  inPlace: 'alloc updating in-place',
  rescheduled: 'alloc was rescheduled because it failed',
  unknown: 'alloc is unknown since its node is disconnected',
  reconnected: 'alloc not needed due to disconnected client reconnect',
  jobStopped: 'alloc not needed as job is stopped',
} as const;

/** Deployment status descriptions (Nomad's wording). */
export const DEPLOYMENT_DESC = {
  running: 'Deployment is running',
  needsPromotion: 'Deployment is running but requires manual promotion',
  autoPromotion: 'Deployment is running pending automatic promotion',
  successful: 'Deployment completed successfully',
  stoppedJob: 'Cancelled because job is stopped',
  newerJob: 'Cancelled due to newer version of job',
} as const;

/** What the reconciler decides for an existing allocation when the job changed. */
export type AllocUpdateDecision =
  { kind: 'ignore' } | { kind: 'destructive' } | { kind: 'inplace'; alloc: Allocation };

/** Decides ignore / destructive / in-place for one allocation against the new job. */
export type AllocUpdateFn = (existing: Allocation, job: Job, group: TaskGroup) => AllocUpdateDecision;

/** An allocation to place (new, replacement, canary, migration or reschedule). */
export interface PlaceRequest {
  name: string;
  taskGroup: TaskGroup;
  previousAlloc?: Allocation;
  reschedule: boolean;
  canary: boolean;
  /** While canarying, a non-canary placement uses the previous (stable) job version. */
  downgradeNonCanary: boolean;
  minJobVersion: number;
  lost: boolean;
  /** For destructive updates: stop `previousAlloc` with this description when placed. */
  stopPrevious?: string;
}

/** An allocation to stop, with the client status and description to record. */
export interface StopRequest {
  alloc: Allocation;
  statusDescription: string;
  clientStatus?: string;
  followupEvalId?: string;
}

/** Everything the cluster reconciler decided, as data. */
export interface ClusterReconcileResult {
  deployment?: Deployment;
  deploymentUpdates: DeploymentStatusUpdate[];
  place: PlaceRequest[];
  destructiveUpdate: PlaceRequest[];
  inplaceUpdate: Allocation[];
  stop: StopRequest[];
  attributeUpdates: Allocation[];
  /** Allocations on a disconnected node, now `unknown` (with their timeout follow-up). */
  disconnectUpdates: Allocation[];
  desiredTGUpdates: Record<string, DesiredUpdates>;
  followupEvals: Evaluation[];
  nameIndexes: Map<string, AllocNameIndex>;
}

/** Inputs of {@link reconcileCluster}. */
export interface ClusterReconcileInput {
  /** The job; undefined when purged. */
  job: Job | undefined;
  jobId: string;
  namespace: string;
  isBatch: boolean;
  /** The job's latest deployment, if any (never mutated). */
  deployment: Deployment | undefined;
  allocs: readonly Allocation[];
  /** Node id -> node for draining / down nodes, `null` when the node no longer exists. */
  taintedNodes: ReadonlyMap<string, Node | null>;
  now: number;
  evalId: string;
  evalPriority: number;
  allocUpdateFn: AllocUpdateFn;
  /** Deterministic id source for new deployments and follow-up evaluations. */
  newId: () => string;
}

/**
 * Reconciles a service or batch job with its allocations. Pure (given a pure `allocUpdateFn`).
 * Example: `reconcileCluster({ job, jobId: job.id, ..., allocs: [] }).place.length === count`.
 */
export function reconcileCluster(input: ClusterReconcileInput): ClusterReconcileResult {
  return new ClusterReconciler(input).compute();
}

function jobStopped(job: Job | undefined): boolean {
  return job === undefined || job.stop === true;
}

function updateIsEmpty(tg: TaskGroup): boolean {
  const u = tg.update;
  return u === undefined || u.maxParallel === 0;
}

class ClusterReconciler {
  private deploymentOld: Deployment | undefined;
  private deploymentCurrent: Deployment | undefined;
  private createdDeployment: Deployment | undefined;
  private deploymentPaused = false;
  private deploymentFailed = false;
  private readonly result: ClusterReconcileResult = {
    deploymentUpdates: [],
    place: [],
    destructiveUpdate: [],
    inplaceUpdate: [],
    stop: [],
    attributeUpdates: [],
    disconnectUpdates: [],
    desiredTGUpdates: {},
    followupEvals: [],
    nameIndexes: new Map(),
  };

  constructor(private readonly in_: ClusterReconcileInput) {}

  compute(): ClusterReconcileResult {
    const { job } = this.in_;
    const matrix = this.allocMatrix();
    this.cancelUnneededDeployments();
    if (jobStopped(job) || job === undefined) {
      for (const [group, set] of matrix) {
        const live = [...set.values()].filter((a) => !isTerminal(a));
        this.desired(group).stop += live.length;
        for (const a of live) this.stopAllocOnStoppedJob(a);
      }
      return this.result;
    }
    const cur = this.deploymentCurrent;
    if (cur) {
      this.deploymentPaused = ['paused', 'pending', 'initializing'].includes(cur.status);
      this.deploymentFailed = cur.status === 'failed';
    }
    let complete = true;
    for (const [group, set] of matrix) complete = this.computeGroup(job, group, set) && complete;
    if (this.deploymentCurrent && complete) {
      this.result.deploymentUpdates.push({
        deploymentId: this.deploymentCurrent.id,
        status: 'successful',
        statusDescription: DEPLOYMENT_DESC.successful,
      });
    }
    const created = this.createdDeployment;
    if (created) {
      const needsPromotion = Object.values(created.taskGroups).some(
        (s) => s.desiredCanaries > 0 && !s.promoted,
      );
      if (needsPromotion) {
        const auto = Object.values(created.taskGroups).every((s) => s.desiredCanaries === 0 || s.autoPromote);
        created.statusDescription = auto ? DEPLOYMENT_DESC.autoPromotion : DEPLOYMENT_DESC.needsPromotion;
      }
      this.result.deployment = created;
    }
    return this.result;
  }

  private stopAllocOnStoppedJob(a: Allocation): void {
    const node = this.in_.taintedNodes.get(a.nodeId);
    const lost = this.in_.taintedNodes.has(a.nodeId) && (node === null || node?.status === 'down');
    this.result.stop.push(
      lost
        ? { alloc: a, statusDescription: ALLOC_STATUS.lost, clientStatus: 'lost' }
        : { alloc: a, statusDescription: ALLOC_STATUS.notNeeded },
    );
  }

  private desired(group: string): DesiredUpdates {
    let d = this.result.desiredTGUpdates[group];
    if (!d) {
      d = emptyDesiredUpdates();
      this.result.desiredTGUpdates[group] = d;
    }
    return d;
  }

  /** Groups of the job plus groups that only old allocations still name, in a stable order. */
  private allocMatrix(): Map<string, AllocSet> {
    const groups = new Map<string, Allocation[]>();
    for (const tg of this.in_.job?.taskGroups ?? []) groups.set(tg.name, []);
    for (const a of this.in_.allocs) {
      const list = groups.get(a.taskGroup) ?? [];
      list.push(a);
      groups.set(a.taskGroup, list);
    }
    return new Map([...groups].map(([g, list]) => [g, allocSetOf(list)]));
  }

  private cancelUnneededDeployments(): void {
    const { job } = this.in_;
    const d = this.in_.deployment;
    if (jobStopped(job) || job === undefined) {
      if (d && isActiveDeploymentStatus(d.status)) {
        this.result.deploymentUpdates.push({
          deploymentId: d.id,
          status: 'cancelled',
          statusDescription: DEPLOYMENT_DESC.stoppedJob,
        });
      }
      this.deploymentOld = d;
      return;
    }
    if (!d) return;
    if (d.jobCreateIndex !== job.createIndex || d.jobVersion !== job.version) {
      if (isActiveDeploymentStatus(d.status)) {
        this.result.deploymentUpdates.push({
          deploymentId: d.id,
          status: 'cancelled',
          statusDescription: DEPLOYMENT_DESC.newerJob,
        });
      }
      this.deploymentOld = d;
      return;
    }
    if (d.status === 'successful') {
      this.deploymentOld = d;
      return;
    }
    // Work on a copy: the reconciler records per-group state on the current deployment.
    this.deploymentCurrent = {
      ...d,
      taskGroups: Object.fromEntries(
        Object.entries(d.taskGroups).map(([g, s]) => [g, { ...s, placedCanaries: [...s.placedCanaries] }]),
      ),
    };
  }

  private groups: Map<string, TaskGroup> | undefined;

  /** The job's groups by name, built once (a find per group is quadratic in groups). */
  private groupByName(job: Job): Map<string, TaskGroup> {
    if (!this.groups) {
      this.groups = new Map();
      for (const g of job.taskGroups) if (!this.groups.has(g.name)) this.groups.set(g.name, g);
    }
    return this.groups;
  }

  private computeGroup(job: Job, group: string, allIn: AllocSet): boolean {
    const desired = this.desired(group);
    const placeStart = this.result.place.length;
    const tg = this.groupByName(job).get(group);
    let all = allocSetOf([...allIn.values()].filter((a) => !isServerTerminalStopped(a)));

    // A removed or zero-count group: stop everything still live.
    if (!tg || tg.count === 0) {
      for (const a of all.values()) {
        if (isTerminal(a)) continue;
        desired.stop++;
        this.stopAllocOnStoppedJob(a);
      }
      return true;
    }

    const existingState = this.deploymentCurrent?.taskGroups[group];
    const existingDeployment = existingState !== undefined;
    const dstate: DeploymentState = existingState ?? newDeploymentState(tg);

    // Terminal batch allocations of older job versions no longer count.
    if (this.in_.isBatch) {
      const ignore = [...all.values()].filter(
        (a) =>
          isTerminal(a) &&
          ((a.job?.version ?? 0) < job.version || (a.job?.createIndex ?? 0) < job.createIndex),
      );
      desired.ignore += ignore.length;
      all = difference(all, allocSetOf(ignore));
    }

    const canariesResult = this.cancelUnneededCanaries(all, group);
    all = canariesResult.all;
    let canaries = canariesResult.canaries;

    const cls = classifyAllocs(all, this.in_.taintedNodes, this.in_.now);
    desired.ignore += cls.ignore.size;
    const reconnected = this.computeReconnecting(cls.untainted, cls.reconnecting, desired);
    const migrate = cls.migrate;
    const lost = cls.lost;
    const current = this.deploymentCurrent;
    const dep = current ? { id: current.id, status: current.status } : undefined;
    const r1 = filterByRescheduleable(reconnected, this.in_.isBatch, this.in_.now, this.in_.evalId, dep);
    let untainted = r1.untainted;
    const r2 = filterByRescheduleable(migrate, this.in_.isBatch, this.in_.now, this.in_.evalId, dep);
    const rescheduleNow = union(r1.rescheduleNow, r2.rescheduleNow);
    const rescheduleLater = [...r1.rescheduleLater, ...r2.rescheduleLater];

    if (rescheduleLater.length > 0) this.createRescheduleLaterEvals(rescheduleLater, all, desired);
    const disconnectReplace = this.computeDisconnecting(job, cls.disconnecting, desired);
    for (const a of cls.disconnecting.values()) if (!disconnectReplace.has(a.id)) untainted.set(a.id, a);

    const nameIndex = new AllocNameIndex(
      this.in_.jobId,
      group,
      tg.count,
      [...union(untainted, migrate, rescheduleNow, lost, disconnectReplace).values()].map((a) => a.name),
    );
    this.result.nameIndexes.set(group, nameIndex);

    let isCanarying = dstate.desiredCanaries !== 0 && !dstate.promoted;
    untainted = this.computeStop(tg, nameIndex, untainted, migrate, lost, canaries, isCanarying, desired);
    if (!isCanarying) this.dropReschedulesBeyondCount(tg, untainted, migrate, rescheduleNow, desired);

    const { inplace, destructive } = this.computeUpdates(job, tg, untainted, desired);
    if (!existingDeployment) dstate.desiredTotal += destructive.size + inplace.size;

    if (isCanarying) untainted = difference(untainted, canaries);
    const needsCanaries =
      !updateIsEmpty(tg) &&
      destructive.size !== 0 &&
      canaries.size < (tg.update?.canary ?? 0) &&
      !dstate.promoted;
    if (needsCanaries) this.computeCanaries(tg, dstate, destructive, canaries, nameIndex, desired);

    isCanarying = dstate.desiredCanaries !== 0 && !dstate.promoted;
    let underProvisionedBy = this.computeUnderProvisionedBy(tg, untainted, destructive, migrate, isCanarying);

    const place = computePlacements(
      tg,
      nameIndex,
      untainted,
      migrate,
      union(rescheduleNow, disconnectReplace),
      lost,
      isCanarying,
    ).map((p) =>
      p.previousAlloc && disconnectReplace.has(p.previousAlloc.id) ? { ...p, reschedule: false } : p,
    );
    if (!existingDeployment) dstate.desiredTotal += place.length;

    const placeReady = !this.deploymentPaused && !this.deploymentFailed && !isCanarying;
    underProvisionedBy = this.placeAllocs(
      placeReady,
      desired,
      place,
      migrate,
      rescheduleNow,
      lost,
      underProvisionedBy,
    );

    if (placeReady) {
      const n = Math.min(destructive.size, underProvisionedBy);
      desired.destructiveUpdate += n;
      desired.ignore += destructive.size - n;
      for (const a of nameOrder(destructive).slice(0, n)) {
        this.result.destructiveUpdate.push({
          name: a.name,
          taskGroup: tg,
          previousAlloc: a,
          reschedule: false,
          canary: false,
          downgradeNonCanary: false,
          minJobVersion: 0,
          lost: false,
          stopPrevious: ALLOC_STATUS.updating,
        });
      }
    } else {
      desired.ignore += destructive.size;
    }

    this.computeMigrations(migrate, isCanarying, tg, desired);
    this.createDeployment(job, tg, existingDeployment, dstate, all, destructive, inplace.size);

    // Never more placements than the count, per group. Each group is computed once, so its
    // placements are among those appended since it began (scanning all of them per group was
    // quadratic in task groups).
    const tail = this.result.place.slice(placeStart);
    const groupPlaces = tail.filter((p) => p.taskGroup.name === group);
    if (groupPlaces.length > tg.count) {
      const keep = new Set(groupPlaces.slice(0, tg.count));
      this.result.place.length = placeStart;
      for (const p of tail) if (p.taskGroup.name !== group || keep.has(p)) this.result.place.push(p);
      desired.place = tg.count;
    }

    canaries = new Map();
    let groupPlaced = 0;
    for (let k = placeStart; k < this.result.place.length; k++)
      if (this.result.place[k]!.taskGroup.name === group) groupPlaced++;
    let complete =
      destructive.size +
        inplace.size +
        groupPlaced +
        migrate.size +
        rescheduleNow.size +
        rescheduleLater.length ===
        0 && !needsCanaries;
    if (complete && this.deploymentCurrent) {
      const s = this.deploymentCurrent.taskGroups[group];
      if (
        s &&
        (s.healthyAllocs < Math.max(s.desiredTotal, s.desiredCanaries) ||
          (s.desiredCanaries > 0 && !s.promoted))
      ) {
        complete = false;
      }
    }
    return complete && this.deploymentCurrent !== undefined;
  }

  /** Keeps allocations back from a disconnect and stops the replacements made meanwhile. */
  private computeReconnecting(
    untainted: AllocSet,
    reconnecting: AllocSet,
    desired: DesiredUpdates,
  ): AllocSet {
    if (reconnecting.size === 0) return untainted;
    const replacements = [...untainted.values()].filter(
      (r) => r.previousAllocation !== '' && reconnecting.has(r.previousAllocation) && !isTerminal(r),
    );
    for (const r of replacements)
      this.result.stop.push({ alloc: r, statusDescription: ALLOC_STATUS.reconnected });
    desired.stop += replacements.length;
    desired.reconnect += reconnecting.size;
    return union(difference(untainted, allocSetOf(replacements)), reconnecting);
  }

  /**
   * Marks allocations of a disconnected node `unknown` with a follow-up at the end of their
   * disconnect window; returns those to replace meanwhile (`disconnect.replace`).
   */
  private computeDisconnecting(job: Job, disconnecting: AllocSet, desired: DesiredUpdates): AllocSet {
    const replace: AllocSet = new Map();
    const evals = new Map<number, Evaluation>();
    for (const a of nameOrder(disconnecting)) {
      const at = this.in_.now + disconnectTimeout(a);
      let ev = evals.get(at);
      if (!ev) {
        ev = makeFollowupEval({
          now: this.in_.now,
          id: this.in_.newId(),
          namespace: job.namespace,
          priority: this.in_.evalPriority,
          type: job.type,
          triggeredBy: 'max-disconnect-timeout',
          jobId: job.id,
          jobModifyIndex: job.modifyIndex,
          waitUntil: at,
          statusDescription: 'created for delayed disconnect timeout',
        });
        evals.set(at, ev);
        this.result.followupEvals.push(ev);
      }
      this.result.disconnectUpdates.push({
        ...a,
        clientStatus: 'unknown',
        clientDescription: ALLOC_STATUS.unknown,
        modifyTime: this.in_.now,
        followupEvalId: ev.id,
      });
      desired.disconnect++;
      if (replaceOnDisconnect(a)) replace.set(a.id, a);
    }
    return replace;
  }

  /** Stops canaries of superseded or failed deployments; returns the live canaries of the current one. */
  private cancelUnneededCanaries(allIn: AllocSet, group: string): { all: AllocSet; canaries: AllocSet } {
    let all = allIn;
    const stopIds: string[] = [];
    const collect = (d: Deployment | undefined): void => {
      if (d) stopIds.push(...this.canariesIn(d, all, true));
    };
    collect(this.deploymentOld);
    if (this.deploymentCurrent?.status === 'failed') collect(this.deploymentCurrent);
    const stopSet = allocSetOf(
      stopIds.map((id) => all.get(id)).filter((a): a is Allocation => a !== undefined),
    );
    for (const a of stopSet.values())
      this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.notNeeded });
    this.desired(group).stop += stopSet.size;
    all = difference(all, stopSet);

    let canaries: AllocSet = new Map();
    if (this.deploymentCurrent) {
      const ids = this.canariesIn(this.deploymentCurrent, all, false);
      const found = allocSetOf(ids.map((id) => all.get(id)).filter((a): a is Allocation => a !== undefined));
      const cls = classifyAllocs(found, this.in_.taintedNodes);
      for (const a of cls.migrate.values())
        this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.migrating });
      for (const a of cls.lost.values())
        this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.lost, clientStatus: 'lost' });
      canaries = cls.untainted;
      all = difference(all, cls.migrate, cls.lost);
    }
    return { all, canaries };
  }

  /** Per deployment (and promoted filter): canary id -> its position in the deployment's lists. */
  private readonly canaryOrder = new Map<Deployment, [Map<string, number>?, Map<string, number>?]>();

  /**
   * The deployment's placed canaries (unpromoted groups only with `unpromoted`) that are in
   * `all`, in the deployment's order. The index is built once per deployment: scanning every
   * group's lists for every group made the reconciler quadratic in task groups. Its lists do
   * not change during a reconcile (a deployment created here starts with none).
   */
  private canariesIn(d: Deployment, all: AllocSet, unpromoted: boolean): string[] {
    let pair = this.canaryOrder.get(d);
    if (!pair) this.canaryOrder.set(d, (pair = []));
    const k = unpromoted ? 0 : 1;
    let order = pair[k];
    if (!order) {
      order = new Map();
      for (const s of Object.values(d.taskGroups)) {
        if (unpromoted && s.promoted) continue;
        for (const id of s.placedCanaries) if (!order.has(id)) order.set(id, order.size);
      }
      pair[k] = order;
    }
    if (order.size === 0) return [];
    const out: string[] = [];
    for (const id of all.keys()) if (order.has(id)) out.push(id);
    return out.sort((a, b) => order.get(a)! - order.get(b)!);
  }

  private createRescheduleLaterEvals(
    later: DelayedReschedule[],
    all: AllocSet,
    desired: DesiredUpdates,
  ): void {
    const job = this.in_.job;
    if (!job) return;
    const sorted = [...later].sort(
      (a, b) => a.rescheduleTime - b.rescheduleTime || cmp(a.alloc.id, b.alloc.id),
    );
    let evalForBatch: Evaluation | undefined;
    let batchStart = 0;
    for (const info of sorted) {
      if (!evalForBatch || info.rescheduleTime - batchStart >= BATCHED_FAILED_ALLOC_WINDOW_NS) {
        batchStart = info.rescheduleTime;
        evalForBatch = this.followupEval(
          job,
          evalForBatch ? 'retry-failed-alloc' : 'alloc-failure',
          batchStart,
        );
        this.result.followupEvals.push(evalForBatch);
      }
      const existing = all.get(info.alloc.id) ?? info.alloc;
      this.result.attributeUpdates.push({ ...existing, followupEvalId: evalForBatch.id });
    }
    desired.rescheduleLater = later.length;
  }

  private followupEval(job: Job, triggeredBy: string, waitUntil: number): Evaluation {
    return makeFollowupEval({
      now: this.in_.now,
      id: this.in_.newId(),
      namespace: job.namespace,
      priority: this.in_.evalPriority,
      type: job.type,
      triggeredBy,
      jobId: job.id,
      jobModifyIndex: job.modifyIndex,
      waitUntil,
      statusDescription: triggeredBy === 'alloc-failure' ? 'created for delayed rescheduling' : '',
    });
  }

  /**
   * Failed allocations waiting to be rescheduled while the group shrank: replacing them all
   * would exceed the count beside the allocations kept (found by the fault property suite). The
   * highest names beyond the count are not replaced; those still desired to run are stopped.
   */
  private dropReschedulesBeyondCount(
    tg: TaskGroup,
    untainted: AllocSet,
    migrate: AllocSet,
    rescheduleNow: AllocSet,
    desired: DesiredUpdates,
  ): void {
    let known = 0;
    for (const a of untainted.values()) if (a.clientStatus !== 'unknown') known++;
    const room = Math.max(0, tg.count - known - migrate.size);
    if (rescheduleNow.size <= room) return;
    for (const a of nameOrder(rescheduleNow).slice(room)) {
      rescheduleNow.delete(a.id);
      if (a.desiredStatus !== 'run') continue;
      this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.notNeeded });
      desired.stop++;
    }
  }

  private computeStop(
    tg: TaskGroup,
    nameIndex: AllocNameIndex,
    untaintedIn: AllocSet,
    migrate: AllocSet,
    lost: AllocSet,
    canaries: AllocSet,
    isCanarying: boolean,
    desired: DesiredUpdates,
  ): AllocSet {
    const stop: AllocSet = new Map(lost);
    for (const a of lost.values())
      this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.lost, clientStatus: 'lost' });
    let working: AllocSet = new Map(untaintedIn);
    if (isCanarying) working = difference(working, canaries);
    const known = [...working.values()].filter((a) => a.clientStatus !== 'unknown');
    let remove = known.length + migrate.size - tg.count;
    const finish = (): AllocSet => {
      desired.stop += stop.size;
      return difference(untaintedIn, stop);
    };
    if (remove <= 0) return finish();
    working = allocSetOf([...working.values()].filter((a) => !isServerTerminal(a)));
    const stopOne = (a: Allocation): void => {
      stop.set(a.id, a);
      working.delete(a.id);
      this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.notNeeded });
      remove--;
    };

    // After promotion, old allocations sharing a name with a canary go first.
    if (!isCanarying && canaries.size > 0) {
      const canaryNames = new Set([...canaries.values()].map((a) => a.name));
      for (const a of nameOrder(difference(working, canaries))) {
        if (remove <= 0) return finish();
        if (canaryNames.has(a.name)) stopOne(a);
      }
    }
    if (migrate.size > 0 && remove > 0) {
      const mIndex = new AllocNameIndex(
        this.in_.jobId,
        tg.name,
        tg.count,
        [...migrate.values()].map((a) => a.name),
      );
      const names = mIndex.highest(remove);
      for (const a of nameOrder(migrate)) {
        if (remove <= 0) break;
        if (!names.has(a.name)) continue;
        migrate.delete(a.id);
        stop.set(a.id, a);
        this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.notNeeded });
        nameIndex.unsetIndex(allocIndexFromName(a.name, this.in_.jobId, tg.name));
        remove--;
      }
    }
    if (remove > 0) {
      const names = nameIndex.highest(remove);
      for (const a of nameOrder(working)) {
        if (remove <= 0) break;
        if (names.has(a.name)) stopOne(a);
      }
    }
    for (const a of nameOrder(working)) {
      if (remove <= 0) break;
      stopOne(a);
    }
    return finish();
  }

  private computeUpdates(
    job: Job,
    tg: TaskGroup,
    untainted: AllocSet,
    desired: DesiredUpdates,
  ): { inplace: AllocSet; destructive: AllocSet } {
    const inplace: AllocSet = new Map();
    const destructive: AllocSet = new Map();
    for (const [id, a] of untainted) {
      const d = this.in_.allocUpdateFn(a, job, tg);
      if (d.kind === 'ignore') desired.ignore++;
      else if (d.kind === 'destructive') destructive.set(id, a);
      else {
        inplace.set(id, d.alloc);
        this.result.inplaceUpdate.push(d.alloc);
      }
    }
    desired.inPlaceUpdate += inplace.size;
    return { inplace, destructive };
  }

  private computeCanaries(
    tg: TaskGroup,
    dstate: DeploymentState,
    destructive: AllocSet,
    canaries: AllocSet,
    nameIndex: AllocNameIndex,
    desired: DesiredUpdates,
  ): void {
    const want = tg.update?.canary ?? 0;
    dstate.desiredCanaries = want;
    if (this.deploymentPaused || this.deploymentFailed) return;
    const n = want - canaries.size;
    desired.canary += n;
    const existingNames = new Set([...canaries.values()].map((a) => a.name));
    for (const name of nameIndex.nextCanaries(
      n,
      existingNames,
      nameOrder(destructive).map((a) => a.name),
    )) {
      this.result.place.push({
        name,
        taskGroup: tg,
        reschedule: false,
        canary: true,
        downgradeNonCanary: false,
        minJobVersion: 0,
        lost: false,
      });
    }
  }

  private computeUnderProvisionedBy(
    tg: TaskGroup,
    untainted: AllocSet,
    destructive: AllocSet,
    migrate: AllocSet,
    isCanarying: boolean,
  ): number {
    if (updateIsEmpty(tg) || destructive.size + migrate.size === 0) return tg.count;
    const maxParallel = tg.update?.maxParallel ?? 0;
    const cur = this.deploymentCurrent;
    if (!cur) return maxParallel;
    if (this.deploymentPaused || this.deploymentFailed || isCanarying) return 0;
    let n = maxParallel;
    for (const a of untainted.values()) {
      if (a.deploymentId !== cur.id) continue;
      if (a.deploymentStatus?.healthy === false) return 0;
      if (a.deploymentStatus?.healthy !== true) n--;
    }
    return Math.max(0, n);
  }

  private placeAllocs(
    placeReady: boolean,
    desired: DesiredUpdates,
    place: PlaceRequest[],
    migrate: AllocSet,
    rescheduleNow: AllocSet,
    lost: AllocSet,
    underProvisionedBy: number,
  ): number {
    const failed = [...rescheduleNow.values()].filter(
      (a) => !migrate.has(a.id) && a.clientStatus !== 'unknown',
    );
    if (placeReady) {
      desired.place += place.length;
      this.result.place.push(...place);
      for (const a of failed)
        this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.rescheduled });
      desired.stop += failed.length;
      return underProvisionedBy - Math.min(place.length, underProvisionedBy);
    }
    // Paused, failed or canarying deployments still replace lost and failed allocations.
    if (lost.size > 0) {
      const allowed = Math.min(lost.size, place.length);
      desired.place += allowed;
      this.result.place.push(...place.slice(0, allowed));
    }
    if (rescheduleNow.size === 0 || place.length === 0) return underProvisionedBy;
    for (const p of place) {
      const prev = p.previousAlloc;
      const ofFailedDeployment =
        this.deploymentFailed && prev !== undefined && prev.deploymentId === this.deploymentCurrent?.id;
      if (!ofFailedDeployment && p.reschedule && prev) {
        this.result.place.push(p);
        desired.place++;
        this.result.stop.push({ alloc: prev, statusDescription: ALLOC_STATUS.rescheduled });
        desired.stop++;
      }
    }
    return underProvisionedBy;
  }

  private computeMigrations(
    migrate: AllocSet,
    isCanarying: boolean,
    tg: TaskGroup,
    desired: DesiredUpdates,
  ): void {
    desired.migrate += migrate.size;
    for (const a of nameOrder(migrate)) {
      this.result.stop.push({ alloc: a, statusDescription: ALLOC_STATUS.migrating });
      if (a.job?.type === 'batch' && a.desiredTransition?.reschedule === true) continue;
      this.result.place.push({
        name: a.name,
        taskGroup: tg,
        previousAlloc: a,
        reschedule: false,
        canary: isCanary(a),
        downgradeNonCanary: isCanarying && !isCanary(a),
        minJobVersion: a.job?.version ?? 0,
        lost: false,
      });
    }
  }

  private createDeployment(
    job: Job,
    tg: TaskGroup,
    existing: boolean,
    dstate: DeploymentState,
    all: AllocSet,
    destructive: AllocSet,
    inplace: number,
  ): void {
    if (existing || updateIsEmpty(tg) || dstate.desiredTotal === 0) return;
    const updatingSpec = destructive.size !== 0 || inplace !== 0;
    const hadRunning = [...all.values()].some(
      (a) => a.job?.version === job.version && a.job.createIndex === job.createIndex,
    );
    if (hadRunning && !updatingSpec) return;
    if (!this.deploymentCurrent) {
      this.createdDeployment = newDeployment(job, this.in_.newId(), this.in_.evalPriority, this.in_.now);
      this.deploymentCurrent = this.createdDeployment;
    }
    this.deploymentCurrent.taskGroups[tg.name] = dstate;
  }
}

/** Nomad drops server-stopped allocations, except batch ones not marked for rescheduling. */
function isServerTerminalStopped(a: Allocation): boolean {
  return isServerTerminal(a) && !(a.job?.type === 'batch' && a.desiredTransition?.reschedule !== true);
}

/**
 * The placements a group needs: failed allocations to reschedule, lost ones to replace (up to
 * count), then fresh names for the rest. Pure apart from taking names from `nameIndex`.
 */
export function computePlacements(
  tg: TaskGroup,
  nameIndex: AllocNameIndex,
  untainted: AllocSet,
  migrate: AllocSet,
  reschedule: AllocSet,
  lost: AllocSet,
  isCanarying: boolean,
): PlaceRequest[] {
  const place: PlaceRequest[] = [];
  for (const a of nameOrder(reschedule)) {
    place.push({
      name: a.name,
      taskGroup: tg,
      previousAlloc: a,
      reschedule: true,
      canary: isCanary(a),
      downgradeNonCanary: isCanarying && !isCanary(a),
      minJobVersion: a.job?.version ?? 0,
      lost: false,
    });
  }
  let existing = untainted.size + migrate.size + reschedule.size;
  for (const a of nameOrder(lost)) {
    if (existing >= tg.count) break;
    existing++;
    place.push({
      name: a.name,
      taskGroup: tg,
      previousAlloc: a,
      reschedule: false,
      canary: isCanary(a),
      downgradeNonCanary: isCanarying && !isCanary(a),
      minJobVersion: a.job?.version ?? 0,
      lost: true,
    });
  }
  if (existing < tg.count) {
    for (const name of nameIndex.next(tg.count - existing)) {
      place.push({
        name,
        taskGroup: tg,
        reschedule: false,
        canary: false,
        downgradeNonCanary: isCanarying,
        minJobVersion: 0,
        lost: false,
      });
    }
  }
  return place;
}

function newDeploymentState(tg: TaskGroup): DeploymentState {
  const u = updateIsEmpty(tg) ? undefined : tg.update;
  return {
    autoRevert: u?.autoRevert ?? false,
    autoPromote: u?.autoPromote ?? false,
    progressDeadline: u?.progressDeadline ?? 0,
    requireProgressBy: 0,
    promoted: false,
    placedCanaries: [],
    desiredCanaries: 0,
    desiredTotal: 0,
    placedAllocs: 0,
    healthyAllocs: 0,
    unhealthyAllocs: 0,
  };
}

function newDeployment(job: Job, id: string, priority: number, now: number): Deployment {
  return {
    id,
    namespace: job.namespace,
    jobId: job.id,
    jobVersion: job.version,
    jobModifyIndex: job.modifyIndex,
    jobSpecModifyIndex: job.jobModifyIndex,
    jobCreateIndex: job.createIndex,
    isMultiregion: false,
    taskGroups: {},
    status: 'running',
    statusDescription: DEPLOYMENT_DESC.running,
    evalPriority: priority,
    createIndex: 0,
    modifyIndex: 0,
    createTime: now,
    modifyTime: now,
  };
}

/** Builds a pending follow-up evaluation that waits until `waitUntil` (ns). Pure. */
export function makeFollowupEval(f: {
  id: string;
  namespace: string;
  priority: number;
  type: string;
  triggeredBy: string;
  jobId: string;
  jobModifyIndex: number;
  waitUntil: number;
  statusDescription: string;
  /** Creation time (ns). */
  now: number;
}): Evaluation {
  return newEvaluation(f);
}

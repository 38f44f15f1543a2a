/**
 * The state machine: one pure reducer per command. `applyCommand(state, index, command)`
 * returns the next immutable state and the effects for the leader (evaluations to enqueue,
 * capacity changes that may unblock evaluations), or refuses the whole command with a reason
 * and leaves the state as it was.
 */
import type { Job } from '../jobspec/types.js';
import type { Allocation } from '../structs/allocation.js';
import type { Deployment, DeploymentState } from '../structs/deployment.js';
import { evaluationProblem, type Evaluation } from '../structs/evaluation.js';
import type { Node } from '../structs/node.js';
import type {
  AllocClientUpdateCommand,
  Command,
  DeploymentAllocHealthCommand,
  DeploymentPromoteCommand,
  DeploymentStatusUpdateCommand,
  JobDeregisterCommand,
  JobRegisterCommand,
  PlanApplyCommand,
} from './commands.js';
import {
  commitWriters,
  nsKey,
  openWriters,
  StateSnapshot,
  type JobSummary,
  type StateWriters,
  type TaskGroupSummary,
} from './stateSnapshot.js';
import { namespaceDelete, namespaceOf, namespaceUpsert } from './namespaces.js';
import { UsageDeltas } from './nodeUsage.js';
import { csiVolumeClaim, csiVolumeDeregister, csiVolumeRegister } from './csiVolumes.js';
import { jobValidationError } from './validateForRegister.js';

/** What the leader must do after a command is applied. */
export interface Effects {
  /** Evaluations written by this command (the leader enqueues the pending ones, blocks the blocked ones). */
  readonly evals: Evaluation[];
  /** Computed node classes whose free capacity may have grown (blocked evaluations to release). */
  readonly capacityChanged: string[];
  /** Non-node resources created (`csi-volume:<ns>:<id>`): blocked evaluations missing them are released. */
  readonly resourcesChanged?: string[] | undefined;
}

/** The reducer's answer. */
export type ApplyResult =
  | { readonly ok: true; readonly state: StateSnapshot; readonly effects: Effects }
  | { readonly ok: false; readonly state: StateSnapshot; readonly error: string };

/** Nomad keeps this many versions of a job. */
export const JOB_TRACKED_VERSIONS = 6;
/** Nomad keeps this many scaling events per task group. */
export const JOB_TRACKED_SCALING_EVENTS = 20;

class Refused extends Error {}
const refuse = (reason: string): never => {
  throw new Refused(reason);
};
const refuseIf = (reason: string | undefined): void => {
  if (reason !== undefined) refuse(reason);
};

/** Whether an allocation's client status is terminal. */
export const clientTerminal = (s: string): boolean => s === 'complete' || s === 'failed' || s === 'lost';
/** Whether an allocation no longer holds resources (stopped, evicted or finished). */
export const allocTerminal = (a: Allocation): boolean =>
  a.desiredStatus === 'stop' || a.desiredStatus === 'evict' || clientTerminal(a.clientStatus);

interface Ctx {
  readonly w: StateWriters;
  readonly index: number;
  readonly evals: Evaluation[];
  readonly classes: Set<string>;
  readonly touchedJobs: Set<string>;
  /** Per-node usage changes, folded into the nodeUsage table once at the end of the step. */
  readonly usage: UsageDeltas;
  /**
   * Allocation counts per job and group moved by this step (working copies of the client-state
   * buckets), written to the summaries once at its end instead of a summary copy per allocation.
   */
  readonly buckets: Map<string, Map<string, TaskGroupSummary>>;
  readonly resources: Set<string>;
  schedulerConfig: StateSnapshot['schedulerConfig'];
}

/**
 * Applies one committed command. Pure: the input state is never modified.
 * @example
 * const r = applyCommand(StateSnapshot.empty(), 1, { type: 'NodeRegister', node, now });
 * if (!r.ok) console.log(r.error);
 */
export function applyCommand(state: StateSnapshot, index: number, command: Command): ApplyResult {
  const ctx: Ctx = {
    w: openWriters(state.tables),
    index,
    evals: [],
    classes: new Set(),
    touchedJobs: new Set(),
    usage: new UsageDeltas(),
    buckets: new Map(),
    resources: new Set(),
    schedulerConfig: state.schedulerConfig,
  };
  try {
    dispatch(ctx, command);
    flushBuckets(ctx);
    for (const k of ctx.touchedJobs) refreshJobStatus(ctx, k);
    ctx.usage.flush(ctx.w.nodeUsage);
  } catch (e) {
    if (e instanceof Refused) return { ok: false, state, error: e.message };
    // Total: a command this reducer cannot apply is refused whole (the writers are discarded,
    // the state stays as it was) with the reason, never thrown into the consensus layer.
    const type = (command as { type?: unknown } | null)?.type;
    return {
      ok: false,
      state,
      error: `${String(type)} could not be applied: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const next = new StateSnapshot(commitWriters(ctx.w, index), index, ctx.schedulerConfig);
  const effects: Effects = { evals: ctx.evals, capacityChanged: [...ctx.classes].sort() };
  if (ctx.resources.size > 0)
    return { ok: true, state: next, effects: { ...effects, resourcesChanged: [...ctx.resources] } };
  return { ok: true, state: next, effects };
}

function dispatch(ctx: Ctx, c: Command): void {
  switch (c.type) {
    case 'JobRegister':
      return jobRegister(ctx, c);
    case 'JobDeregister':
      return jobDeregister(ctx, c);
    case 'JobStability': {
      const job = ctx.w.jobVersions.get(versionKey(c.namespace, c.jobId, c.version));
      if (!job) return refuse(`job ${c.jobId} version ${c.version} not found`);
      ctx.w.jobVersions.put({ ...job, stable: c.stable, modifyIndex: ctx.index });
      const cur = ctx.w.jobs.get(nsKey(c.namespace, c.jobId));
      if (cur && cur.version === c.version)
        ctx.w.jobs.put({ ...cur, stable: c.stable, modifyIndex: ctx.index });
      return;
    }
    case 'JobVersionsDelete':
      for (const v of c.versions) ctx.w.jobVersions.delete(versionKey(c.namespace, c.jobId, v));
      return;
    case 'NodeRegister': {
      const old = ctx.w.nodes.get(c.node.id);
      const node: Node = {
        ...c.node,
        createIndex: old?.createIndex ?? ctx.index,
        modifyIndex: ctx.index,
        statusUpdatedAt: c.now,
        // Registration never clears a drain in progress or a manual eligibility choice.
        drainStrategy: old?.drainStrategy ?? c.node.drainStrategy,
        schedulingEligibility: old?.drainStrategy ? 'ineligible' : c.node.schedulingEligibility,
      };
      ctx.w.nodes.put(node);
      nodeCapacity(ctx, node);
      return upsertEvals(ctx, c.evaluations ?? []);
    }
    case 'NodeDeregister':
      for (const id of c.nodeIds) if (!ctx.w.nodes.get(id)) refuse(`node not found: ${id}`);
      for (const id of c.nodeIds) ctx.w.nodes.delete(id);
      return upsertEvals(ctx, c.evaluations ?? []);
    case 'NodeStatusUpdate': {
      const node = requireNode(ctx, c.nodeId);
      const next = { ...node, status: c.status, statusUpdatedAt: c.now, modifyIndex: ctx.index };
      ctx.w.nodes.put(next);
      nodeCapacity(ctx, next);
      return upsertEvals(ctx, c.evaluations ?? []);
    }
    case 'NodeDrain': {
      const node = requireNode(ctx, c.nodeId);
      const next: Node = c.drainStrategy
        ? { ...node, drainStrategy: c.drainStrategy, schedulingEligibility: 'ineligible' }
        : {
            ...node,
            drainStrategy: undefined,
            schedulingEligibility: c.markEligible ? 'eligible' : node.schedulingEligibility,
          };
      ctx.w.nodes.put({ ...next, modifyIndex: ctx.index });
      nodeCapacity(ctx, next);
      return upsertEvals(ctx, c.evaluations ?? []);
    }
    case 'NodeEligibility': {
      const node = requireNode(ctx, c.nodeId);
      if (c.eligibility !== 'eligible' && c.eligibility !== 'ineligible')
        refuse(
          `invalid scheduling eligibility ${JSON.stringify(c.eligibility)}: expected eligible or ineligible`,
        );
      if (node.drainStrategy && c.eligibility === 'eligible')
        refuse("can not set node's scheduling eligibility to eligible while it is draining");
      const next = { ...node, schedulingEligibility: c.eligibility, modifyIndex: ctx.index };
      ctx.w.nodes.put(next);
      nodeCapacity(ctx, next);
      return upsertEvals(ctx, c.evaluations ?? []);
    }
    case 'AllocClientUpdate':
      return allocClientUpdate(ctx, c);
    case 'AllocDesiredTransition':
      for (const id of Object.keys(c.transitions))
        if (!ctx.w.allocs.get(id)) refuse(`alloc not found: ${id}`);
      for (const [id, t] of Object.entries(c.transitions).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const a = ctx.w.allocs.get(id)!;
        putAlloc(ctx, { ...a, desiredTransition: { ...a.desiredTransition, ...t }, modifyIndex: ctx.index });
      }
      return upsertEvals(ctx, c.evaluations ?? []);
    case 'PlanApply':
      return planApply(ctx, c);
    case 'EvalUpdate':
      return upsertEvals(ctx, c.evals);
    case 'EvalDelete':
      for (const id of c.evalIds) ctx.w.evals.delete(id);
      for (const id of c.allocIds) {
        const a = ctx.w.allocs.get(id);
        if (a && !allocTerminal(a)) refuse(`alloc ${id} is not terminal and can not be deleted`);
      }
      for (const id of c.allocIds) ctx.w.allocs.delete(id);
      return;
    case 'DeploymentStatusUpdate':
      return deploymentStatusUpdate(ctx, c);
    case 'DeploymentPromote':
      return deploymentPromote(ctx, c);
    case 'DeploymentAllocHealth':
      return deploymentAllocHealth(ctx, c);
    case 'DeploymentDelete':
      for (const id of c.deploymentIds) ctx.w.deployments.delete(id);
      return;
    case 'PeriodicLaunch': {
      const old = ctx.w.periodicLaunches.get(nsKey(c.namespace, c.jobId));
      ctx.w.periodicLaunches.put({
        namespace: c.namespace,
        jobId: c.jobId,
        launch: c.launch,
        createIndex: old?.createIndex ?? ctx.index,
        modifyIndex: ctx.index,
      });
      return;
    }
    case 'ScalingEvent': {
      if (!ctx.w.jobs.get(nsKey(c.namespace, c.jobId))) refuse(`job not found: ${c.jobId}`);
      const old = ctx.w.scalingEvents.get(nsKey(c.namespace, c.jobId));
      const prev = old?.taskGroups[c.taskGroup] ?? [];
      const events = [{ ...c.event, createIndex: ctx.index }, ...prev].slice(0, JOB_TRACKED_SCALING_EVENTS);
      ctx.w.scalingEvents.put({
        namespace: c.namespace,
        jobId: c.jobId,
        taskGroups: { ...old?.taskGroups, [c.taskGroup]: events },
        modifyIndex: ctx.index,
      });
      return;
    }
    case 'SchedulerConfig':
      ctx.schedulerConfig = c.config;
      return;
    case 'NamespaceUpsert':
      return refuseIf(namespaceUpsert(ctx.w, ctx.index, c));
    case 'NamespaceDelete':
      return refuseIf(namespaceDelete(ctx.w, c));
    case 'ObjectUpsert':
      if (c.value === undefined) ctx.w[c.table].delete(c.key);
      else ctx.w[c.table].put({ key: c.key, value: c.value, modifyIndex: ctx.index });
      return;
    case 'CSIVolumeRegister':
      for (const v of c.volumes) ctx.resources.add(`csi-volume:${v.namespace}:${v.id}`);
      return refuseIf(csiVolumeRegister(ctx.w, ctx.index, c));
    case 'CSIVolumeDeregister':
      return refuseIf(csiVolumeDeregister(ctx.w, c, allocTerminal));
    case 'CSIVolumeClaim':
      return refuseIf(csiVolumeClaim(ctx.w, ctx.index, c));
    default:
      return refuse(`unknown command type ${JSON.stringify((c as { type?: unknown }).type)}`);
  }
}

const versionKey = (namespace: string, id: string, version: number): string =>
  `${nsKey(namespace, id)}\u0000${String(version).padStart(10, '0')}`;

function requireNode(ctx: Ctx, id: string): Node {
  return ctx.w.nodes.get(id) ?? refuse(`node not found: ${id}`);
}

function nodeCapacity(ctx: Ctx, node: Node): void {
  if (node.status === 'ready' && node.schedulingEligibility === 'eligible')
    ctx.classes.add(node.computedClass);
}

// The parts of a job the user wrote; server bookkeeping does not make a new version.
function specOf(job: Job): string {
  const {
    version: _v,
    submitTime: _s,
    createIndex: _c,
    modifyIndex: _m,
    jobModifyIndex: _jm,
    status: _st,
    statusDescription: _sd,
    stable: _sb,
    ...spec
  } = job;
  return JSON.stringify(spec);
}

function jobRegister(ctx: Ctx, c: JobRegisterCommand): void {
  const invalid = jobValidationError(c.job);
  if (invalid) refuse(invalid);
  if (!namespaceOf(ctx.w.namespaces, c.job.namespace))
    refuse(`job ${JSON.stringify(c.job.id)} is in nonexistent namespace ${JSON.stringify(c.job.namespace)}`);
  const key = nsKey(c.job.namespace, c.job.id);
  const old = ctx.w.jobs.get(key);
  if (c.enforceIndex) {
    const want = c.jobModifyIndex ?? 0;
    if (want === 0 && old) refuse(`Enforcing job modify index 0: job already exists`);
    if (want !== 0 && !old) refuse(`Enforcing job modify index ${want}: job does not exist`);
    if (old && old.jobModifyIndex !== want)
      refuse(
        `Enforcing job modify index ${want}: job exists with conflicting job modify index: ${old.jobModifyIndex}`,
      );
  }
  let job: Job;
  if (old && specOf(old) === specOf(c.job)) {
    job = { ...old, modifyIndex: ctx.index };
  } else {
    job = {
      ...c.job,
      version: old ? old.version + 1 : 0,
      stable: false,
      submitTime: c.now,
      createIndex: old?.createIndex ?? ctx.index,
      modifyIndex: ctx.index,
      jobModifyIndex: ctx.index,
    };
    ctx.w.jobVersions.put(job);
    const versions = ctx.w.jobVersions.lookupPrefix(key + '\u0000');
    // Keep the newest versions, and always the latest stable one (auto-revert's target).
    const excess = versions.length - JOB_TRACKED_VERSIONS;
    if (excess > 0) {
      const stable = [...versions].reverse().find((v) => v.stable);
      let dropped = 0;
      for (const v of versions) {
        if (dropped >= excess) break;
        if (v === stable) continue;
        ctx.w.jobVersions.delete(versionKey(v.namespace, v.id, v.version));
        dropped++;
      }
    }
  }
  ctx.w.jobs.put(job);
  ensureSummary(ctx, job);
  ctx.touchedJobs.add(key);
  if (c.evaluation) upsertEvals(ctx, [{ ...c.evaluation, jobModifyIndex: job.jobModifyIndex }]);
}

function jobDeregister(ctx: Ctx, c: JobDeregisterCommand): void {
  const key = nsKey(c.namespace, c.jobId);
  const old = ctx.w.jobs.get(key) ?? refuse(`job not found: ${c.jobId}`);
  if (c.purge) {
    ctx.w.jobs.delete(key);
    for (const v of ctx.w.jobVersions.lookupPrefix(key + '\u0000'))
      ctx.w.jobVersions.delete(versionKey(v.namespace, v.id, v.version));
    ctx.w.jobSummaries.delete(key);
    ctx.w.periodicLaunches.delete(key);
    ctx.w.scalingEvents.delete(key);
  } else if (!old.stop) {
    const job: Job = {
      ...old,
      stop: true,
      version: old.version + 1,
      stable: false,
      submitTime: c.now,
      modifyIndex: ctx.index,
      jobModifyIndex: ctx.index,
    };
    ctx.w.jobs.put(job);
    ctx.w.jobVersions.put(job);
    ctx.touchedJobs.add(key);
  }
  if (c.evaluation) upsertEvals(ctx, [c.evaluation]);
}

function emptyTgSummary(): TaskGroupSummary {
  return { queued: 0, complete: 0, failed: 0, running: 0, starting: 0, lost: 0, unknown: 0 };
}

function ensureSummary(ctx: Ctx, job: Job): void {
  const key = nsKey(job.namespace, job.id);
  const old = ctx.w.jobSummaries.get(key);
  const summary: Record<string, TaskGroupSummary> = { ...old?.summary };
  let changed = !old;
  for (const tg of job.taskGroups) {
    if (!summary[tg.name]) {
      summary[tg.name] = emptyTgSummary();
      changed = true;
    }
  }
  if (changed)
    ctx.w.jobSummaries.put({
      namespace: job.namespace,
      jobId: job.id,
      summary,
      createIndex: old?.createIndex ?? ctx.index,
      modifyIndex: ctx.index,
    });
}

const BUCKETS = ['complete', 'failed', 'running', 'starting', 'lost', 'unknown'] as const;

/** The step's working counts of one job group, read from the stored summary on first use. */
function workingBuckets(ctx: Ctx, key: string, group: string): TaskGroupSummary | undefined {
  let groups = ctx.buckets.get(key);
  let tg = groups?.get(group);
  if (tg) return tg;
  const s = ctx.w.jobSummaries.get(key);
  if (!s) return undefined;
  tg = { ...(s.summary[group] ?? emptyTgSummary()) };
  if (!groups) ctx.buckets.set(key, (groups = new Map()));
  groups.set(group, tg);
  return tg;
}

/** Writes the working counts into the summaries (queued counts stay as the step left them). */
function flushBuckets(ctx: Ctx): void {
  for (const [key, groups] of ctx.buckets) {
    const s = ctx.w.jobSummaries.get(key);
    if (!s) continue;
    const summary = { ...s.summary };
    for (const [group, work] of groups) {
      const next = { ...(summary[group] ?? emptyTgSummary()) };
      for (const b of BUCKETS) next[b] = work[b];
      summary[group] = next;
    }
    ctx.w.jobSummaries.put({ ...s, summary, modifyIndex: ctx.index });
  }
  ctx.buckets.clear();
}

function bucket(a: Allocation): keyof TaskGroupSummary | undefined {
  switch (a.clientStatus) {
    case 'pending':
      return 'starting';
    case 'running':
    case 'complete':
    case 'failed':
    case 'lost':
    case 'unknown':
      return a.clientStatus;
    default:
      return undefined;
  }
}

// Writes an allocation and keeps the job summary, node capacity and deployment counts in step.
const UNREAD = Symbol('unread');

/** Stores `a`; pass `current` when the caller just read the stored row (one lookup, not two). */
function putAlloc(ctx: Ctx, a: Allocation, current: Allocation | undefined | typeof UNREAD = UNREAD): void {
  const old = current === UNREAD ? ctx.w.allocs.get(a.id) : current;
  ctx.w.allocs.replace(a, old);
  allocWritten(ctx, old, a);
}

/** Bookkeeping after `a` replaced `old` (undefined: inserted): usage, summaries, classes, deployments. */
function allocWritten(ctx: Ctx, old: Allocation | undefined, a: Allocation): void {
  const oldLive = old !== undefined && !allocTerminal(old);
  const newLive = !allocTerminal(a);
  // Client updates keep the node and the resources: nothing to re-sum.
  if (!(oldLive && newLive && old.nodeId === a.nodeId && old.allocatedResources === a.allocatedResources)) {
    if (oldLive) ctx.usage.add(old, -1);
    if (newLive) ctx.usage.add(a, 1);
  }
  const key = nsKey(a.namespace, a.jobId);
  ctx.touchedJobs.add(key);
  const ob = old ? bucket(old) : undefined;
  const nb = bucket(a);
  if (ob !== nb) {
    const tg = workingBuckets(ctx, key, a.taskGroup);
    if (tg) {
      if (ob) tg[ob] = Math.max(0, tg[ob] - 1);
      if (nb) tg[nb] += 1;
    }
  }
  if (old && !allocTerminal(old) && allocTerminal(a)) {
    const node = ctx.w.nodes.get(a.nodeId);
    if (node) ctx.classes.add(node.computedClass);
  }
  if (a.deploymentId) trackDeployment(ctx, old, a);
}

// Nomad's per-group deployment counters: placed, canaries, healthy / unhealthy, progress deadline.
function trackDeployment(ctx: Ctx, old: Allocation | undefined, a: Allocation): void {
  const d = ctx.w.deployments.get(a.deploymentId);
  const st = d?.taskGroups[a.taskGroup];
  if (!d || !st) return;
  const next: DeploymentState = { ...st };
  let changed = false;
  if (!old || old.deploymentId !== a.deploymentId) {
    next.placedAllocs++;
    if (a.deploymentStatus?.canary) next.placedCanaries = [...st.placedCanaries, a.id];
    changed = true;
  }
  const was = old?.deploymentId === a.deploymentId ? old.deploymentStatus?.healthy : undefined;
  const now = a.deploymentStatus?.healthy;
  if (was === undefined && now !== undefined) {
    if (now) {
      next.healthyAllocs++;
      if (st.progressDeadline > 0)
        next.requireProgressBy = Math.max(
          st.requireProgressBy,
          a.deploymentStatus!.timestamp + st.progressDeadline,
        );
    } else next.unhealthyAllocs++;
    changed = true;
  }
  if (changed)
    ctx.w.deployments.put({
      ...d,
      taskGroups: { ...d.taskGroups, [a.taskGroup]: next },
      modifyIndex: ctx.index,
    });
}

function allocClientUpdate(ctx: Ctx, c: AllocClientUpdateCommand): void {
  for (const u of c.allocs) if (!ctx.w.allocs.get(u.id)) refuse(`alloc not found: ${u.id}`);
  for (const u of c.allocs) {
    const a = ctx.w.allocs.get(u.id)!;
    // A client is done with an allocation once it reported it complete, failed or lost: a late
    // (reordered) or duplicated report cannot bring it back to life beside its replacement.
    if (clientTerminal(a.clientStatus) && !clientTerminal(u.clientStatus)) continue;
    putAlloc(ctx, {
      ...a,
      clientStatus: u.clientStatus,
      clientDescription: u.clientDescription ?? a.clientDescription,
      taskStates: u.taskStates ? { ...u.taskStates } : a.taskStates,
      deploymentStatus: u.deploymentStatus
        ? { ...u.deploymentStatus, modifyIndex: ctx.index }
        : a.deploymentStatus,
      modifyIndex: ctx.index,
      modifyTime: c.now,
    });
  }
  upsertEvals(ctx, c.evaluations ?? []);
}

function planApply(ctx: Ctx, c: PlanApplyCommand): void {
  // Placements need their node; stops of allocations whose node was deregistered still apply.
  for (const a of c.allocsUpdated) {
    if (!ctx.w.nodes.get(a.nodeId)) refuse(`plan for node ${a.nodeId} that does not exist`);
  }
  for (const a of [...c.allocsStopped, ...c.allocsPreempted])
    if (!ctx.w.allocs.get(a.id)) refuse(`plan stops alloc ${a.id} that does not exist`);
  if (c.deployment) {
    const old = ctx.w.deployments.get(c.deployment.id);
    ctx.w.deployments.put({
      ...c.deployment,
      createIndex: old?.createIndex ?? ctx.index,
      modifyIndex: ctx.index,
      createTime: old?.createTime ?? c.now,
      modifyTime: c.now,
    });
  }
  for (const u of c.deploymentUpdates)
    applyDeploymentUpdate(ctx, u.deploymentId, u.status, u.statusDescription, c.now);
  for (const s of c.allocsStopped) {
    const a = ctx.w.allocs.get(s.id)!;
    putAlloc(ctx, {
      ...a,
      desiredStatus: s.desiredStatus,
      desiredDescription: s.desiredDescription,
      clientStatus: s.clientStatus || a.clientStatus,
      followupEvalId: s.followupEvalId || a.followupEvalId,
      desiredTransition: { ...a.desiredTransition, ...s.desiredTransition },
      modifyIndex: ctx.index,
      allocModifyIndex: ctx.index,
      modifyTime: c.now,
    });
  }
  for (const p of c.allocsPreempted) {
    const a = ctx.w.allocs.get(p.id)!;
    putAlloc(ctx, {
      ...a,
      desiredStatus: 'evict',
      desiredDescription: p.desiredDescription,
      preemptedByAllocation: p.preemptedByAllocation,
      modifyIndex: ctx.index,
      allocModifyIndex: ctx.index,
      modifyTime: c.now,
    });
  }
  for (const a of c.allocsUpdated) {
    const row: Allocation = {
      ...a,
      job: a.job ?? c.job,
      createIndex: ctx.index,
      createTime: a.createTime || c.now,
      modifyIndex: ctx.index,
      allocModifyIndex: ctx.index,
      modifyTime: c.now,
    };
    // New placements (nearly all rows) take one tree descent: insert unless the ID exists.
    if (ctx.w.allocs.insertIfAbsent(row)) {
      allocWritten(ctx, undefined, row);
      // The replaced allocation learns its successor.
      if (a.previousAllocation) {
        const prev = ctx.w.allocs.get(a.previousAllocation);
        if (prev) ctx.w.allocs.put({ ...prev, nextAllocation: a.id, modifyIndex: ctx.index });
      }
      continue;
    }
    const old = ctx.w.allocs.get(a.id)!;
    // As Nomad's state store, an update keeps the successor the stored row learned meanwhile:
    // a plan made from an older snapshot would otherwise unlink it, and the failed allocation
    // would be rescheduled a second time (two live allocations of one name).
    const nextAllocation = row.nextAllocation || old.nextAllocation;
    putAlloc(ctx, { ...row, nextAllocation, createIndex: old.createIndex, createTime: old.createTime }, old);
  }
  upsertEvals(ctx, c.preemptionEvals ?? []);
}

function applyDeploymentUpdate(
  ctx: Ctx,
  id: string,
  status: string,
  description: string,
  now: number,
): Deployment {
  const d = ctx.w.deployments.get(id) ?? refuse(`deployment not found: ${id}`);
  if (!deploymentActive(d)) refuse(`deployment ${id} has terminal status ${d.status}`);
  const next = { ...d, status, statusDescription: description, modifyIndex: ctx.index, modifyTime: now };
  ctx.w.deployments.put(next);
  return next;
}

/** Whether a deployment can still change (running, paused, pending, blocked, unblocking, initializing). */
export const deploymentActive = (d: Deployment): boolean =>
  d.status !== 'successful' && d.status !== 'failed' && d.status !== 'cancelled';

function registerRevert(
  ctx: Ctx,
  job: Job | undefined,
  evaluation: Evaluation | undefined,
  now: number,
): void {
  if (job) jobRegister(ctx, { type: 'JobRegister', job, evaluation, now });
  else if (evaluation) upsertEvals(ctx, [evaluation]);
}

function deploymentStatusUpdate(ctx: Ctx, c: DeploymentStatusUpdateCommand): void {
  applyDeploymentUpdate(ctx, c.update.deploymentId, c.update.status, c.update.statusDescription, c.now);
  registerRevert(ctx, c.job, c.evaluation, c.now);
}

function deploymentPromote(ctx: Ctx, c: DeploymentPromoteCommand): void {
  const d = ctx.w.deployments.get(c.deploymentId) ?? refuse(`deployment not found: ${c.deploymentId}`);
  if (!deploymentActive(d)) refuse(`can't promote terminal deployment`);
  const groups = c.groups.length > 0 ? c.groups : Object.keys(d.taskGroups);
  const taskGroups = { ...d.taskGroups };
  let any = false;
  for (const g of [...groups].sort()) {
    const st = d.taskGroups[g] ?? refuse(`deployment has no task group ${JSON.stringify(g)}`);
    if (st.desiredCanaries === 0 || st.promoted) continue;
    const healthy = st.placedCanaries.filter(
      (id) => ctx.w.allocs.get(id)?.deploymentStatus?.healthy === true,
    );
    if (healthy.length < st.desiredCanaries)
      refuse(
        `Task group ${JSON.stringify(g)} has ${healthy.length}/${st.desiredCanaries} healthy allocations`,
      );
    taskGroups[g] = { ...st, promoted: true };
    any = true;
  }
  if (!any) refuse('no canaries to promote');
  ctx.w.deployments.put({
    ...d,
    taskGroups,
    status: d.status === 'paused' ? 'running' : d.status,
    statusDescription: 'Deployment is running',
    modifyIndex: ctx.index,
    modifyTime: c.now,
  });
  if (c.evaluation) upsertEvals(ctx, [c.evaluation]);
}

function deploymentAllocHealth(ctx: Ctx, c: DeploymentAllocHealthCommand): void {
  const d = ctx.w.deployments.get(c.deploymentId) ?? refuse(`deployment not found: ${c.deploymentId}`);
  if (!deploymentActive(d)) refuse(`deployment ${d.id} has terminal status ${d.status}`);
  const ids = [
    ...c.healthyAllocIds.map((id) => [id, true] as const),
    ...c.unhealthyAllocIds.map((id) => [id, false] as const),
  ];
  for (const [id] of ids) {
    const a = ctx.w.allocs.get(id) ?? refuse(`alloc not found: ${id}`);
    if (a.deploymentId !== d.id) refuse(`alloc ${id} is not part of deployment ${d.id}`);
  }
  for (const [id, healthy] of ids) {
    const a = ctx.w.allocs.get(id)!;
    if (a.deploymentStatus?.healthy !== undefined) continue;
    putAlloc(ctx, {
      ...a,
      deploymentStatus: {
        canary: a.deploymentStatus?.canary ?? false,
        healthy,
        timestamp: c.now,
        modifyIndex: ctx.index,
      },
      modifyIndex: ctx.index,
    });
  }
  if (c.deploymentUpdate)
    applyDeploymentUpdate(ctx, d.id, c.deploymentUpdate.status, c.deploymentUpdate.statusDescription, c.now);
  registerRevert(ctx, c.job, c.evaluation, c.now);
}

function upsertEvals(ctx: Ctx, evals: readonly Evaluation[]): void {
  // Checked before any write: one malformed record refuses the whole command.
  for (const e of evals) {
    const problem = evaluationProblem(e);
    if (problem) refuse(`evaluation ${String((e as { id?: unknown } | null)?.id)}: ${problem}`);
  }
  for (const e of evals) {
    const old = ctx.w.evals.get(e.id);
    const next: Evaluation = { ...e, createIndex: old?.createIndex ?? ctx.index, modifyIndex: ctx.index };
    ctx.w.evals.put(next);
    ctx.evals.push(next);
    // The summary's queued counts follow the evaluation's report.
    if (Object.keys(e.queuedAllocations).length > 0) {
      const key = nsKey(e.namespace, e.jobId);
      const s: JobSummary | undefined = ctx.w.jobSummaries.get(key);
      if (s) {
        const summary = { ...s.summary };
        for (const [g, q] of Object.entries(e.queuedAllocations)) {
          summary[g] = { ...(summary[g] ?? emptyTgSummary()), queued: q };
        }
        ctx.w.jobSummaries.put({ ...s, summary, modifyIndex: ctx.index });
      }
    }
  }
}

// Nomad's job status: running while any allocation runs, dead once stopped or all finished.
function refreshJobStatus(ctx: Ctx, key: string): void {
  const job = ctx.w.jobs.get(key);
  if (!job) return;
  let status: string;
  if (job.periodic?.enabled || job.parameterizedJob) status = job.stop ? 'dead' : 'running';
  else {
    const allocs = ctx.w.allocs.lookup('job', key);
    if (allocs.some((a) => !allocTerminal(a))) status = 'running';
    else if (job.stop || allocs.length > 0) status = 'dead';
    else status = 'pending';
  }
  if (status !== job.status) ctx.w.jobs.put({ ...job, status, modifyIndex: ctx.index });
}

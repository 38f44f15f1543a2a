/**
 * The ControlPlane: Nomad's server wired on one Consensus and one Clock — the state machine,
 * eval broker, blocked evaluations, plan applier, workers and watchers (heartbeats, drainer,
 * deployments, periodic launches, GC). It never starts a timer: the host calls `tick()` when
 * time has moved (see `nextDue()`), and `processEvals()` to run the workers.
 */
import type { Job } from '../jobspec/types.js';
import type { Command, ClientAllocUpdate } from '../state/commands.js';
import { applyCommand, type ApplyResult } from '../state/reducer.js';
import { restoreState, serializeState, type SerializedState } from '../state/persist.js';
import { StateSnapshot } from '../state/stateSnapshot.js';
import { newEvaluation, type EvalTrigger, type Evaluation } from '../structs/evaluation.js';
import type { DrainStrategy, Node } from '../structs/node.js';
import { nodeIntakeError } from '../structs/portRanges.js';
import type { Clock } from '../util/clock.js';
import { createRng, uuid } from '../util/rng.js';
import { createSingleNodeConsensus, type Consensus, type LogEntry } from '../raft/consensus.js';
import type { ScheduleOptions } from '../scheduler/schedule.js';
import { createBlockedEvals, type BlockedEvals } from './blockedEvals.js';
import { failDeployment, watchDeployments, type DeploymentWatcherMemory } from './deploymentWatcher.js';
import { drainStep } from './drainer.js';
import {
  createEvalBroker,
  DEFAULT_EVAL_BROKER_CONFIG,
  type EvalBroker,
  type EvalBrokerConfig,
} from './evalBroker.js';
import { gcStep, DEFAULT_GC_CONFIG, type GcConfig } from './gc.js';
import { createHeartbeats, nodeUpdateEvals, type HeartbeatConfig } from './heartbeats.js';
import { nextPeriodicDue, periodicConfigError, periodicStep } from './periodic.js';
import { createPlanApplier, type PlanApplier } from './planApplier.js';
import { DEFAULT_SCHEDULERS, runWorkerOnce, type WorkerHost } from './worker.js';
import { dispatchChild, scaledJob } from './jobOps.js';

/** Nomad's EvalFailedFollowupBaselineDelay: a failed evaluation's follow-up waits at least this (ns). */
export const FAILED_FOLLOWUP_BASELINE_DELAY = 60 * 1_000_000_000;
/** Nomad's EvalFailedFollowupDelayRange: plus a random part below this (ns). */
export const FAILED_FOLLOWUP_DELAY_RANGE = 5 * 60 * 1_000_000_000;

/** Options of {@link createControlPlane}. */
export interface ControlPlaneOptions {
  /** The only source of time. Use `ManualClock` in simulations. */
  readonly clock: Clock;
  /** The log; defaults to the single-node consensus. */
  readonly consensus?: Consensus<Command, SerializedState> | undefined;
  /** Seed for evaluation and allocation IDs (default `tsnomad`). */
  readonly seed?: string | number | undefined;
  readonly broker?: Partial<EvalBrokerConfig> | undefined;
  readonly heartbeat?: Partial<HeartbeatConfig> | undefined;
  readonly gc?: Partial<GcConfig> | undefined;
  /** Passed to every `schedule` call (placer, scheduler configuration overrides). */
  readonly scheduleOptions?: Partial<ScheduleOptions> | undefined;
  /** Validates and canonicalises a job before registration; returns problems as strings. */
  readonly validateJob?: ((job: Job) => readonly string[]) | undefined;
}

/** The answer of a write: the committed index and created evaluation, or the reason it was refused. */
export type WriteResult =
  | {
      readonly ok: true;
      readonly index: number;
      readonly evalId?: string | undefined;
      readonly jobId?: string | undefined;
    }
  | { readonly ok: false; readonly error: string };

/**
 * Creates a control plane. Deterministic under a ManualClock and a fixed seed.
 * @example
 * const clock = new ManualClock(1_700_000_000e9);
 * const cp = createControlPlane({ clock });
 * await cp.registerNode(mockNode({ id: 'n1' }));
 * await cp.registerJob(job);
 * await cp.processEvals();
 * cp.state().allocsByJob('default', job.id);
 */
export function createControlPlane(opts: ControlPlaneOptions): ControlPlane {
  const clock = opts.clock;
  const consensus = opts.consensus ?? createSingleNodeConsensus<Command, SerializedState>();
  const rng = createRng(opts.seed ?? 'tsnomad');
  const newId = (): string => uuid(rng);
  const broker = createEvalBroker<Evaluation>(opts.broker);
  const blocked = createBlockedEvals<Evaluation>();
  const heartbeats = createHeartbeats(opts.heartbeat);
  const gcConfig = { ...DEFAULT_GC_CONFIG, ...opts.gc };
  const deploymentMemory: DeploymentWatcherMemory = new Map();
  let state = StateSnapshot.empty();
  const refusals: { index: number; type: string; error: string }[] = [];
  // Whether establishLeadership ran for the current term (the host and the constructor may both call it).
  let established = false;
  // Blocked evaluations a successful evaluation of their job made unnecessary (canceled by the reaper).
  let untrackedBlocked: Evaluation[] = [];

  const leader = (): boolean => consensus.leadership().isLeader;

  // Route an applied command's effects to the broker and blocked tracker (leader only).
  const routeEffects = (r: Extract<ApplyResult, { ok: true }>): void => {
    if (!leader()) return;
    const now = clock.now();
    for (const e of r.effects.evals) {
      // Nomad's handleUpsertedEval: pending ones are enqueued, blocked ones tracked (a newer
      // blocked evaluation of a job makes the older a duplicate to cancel), and a complete one
      // that placed everything ends the job's blocked evaluation.
      if (e.status === 'pending') broker.enqueue(e, now);
      else if (e.status === 'blocked') for (const again of blocked.block(e)) broker.enqueue(again, now);
      else if (e.status === 'complete' && Object.keys(e.failedTGAllocs).length === 0) {
        const old = blocked.untrack(e.namespace, e.jobId);
        if (old && old.id !== e.id) untrackedBlocked.push(old);
      }
    }
    for (const cls of r.effects.capacityChanged)
      for (const e of blocked.unblock(cls, r.state.index)) broker.enqueue(e, now);
    for (const e of blocked.unblockResources(r.effects.resourcesChanged ?? [], r.state.index))
      broker.enqueue(e, now);
  };

  consensus.attach({
    apply(entry: LogEntry<Command>) {
      const r = applyCommand(state, entry.index, entry.command);
      if (!r.ok) {
        refusals.push({ index: entry.index, type: entry.command.type, error: r.error });
        if (refusals.length > 100) refusals.shift();
        return r;
      }
      state = r.state;
      routeEffects(r);
      return r;
    },
    snapshot: () => serializeState(state),
    restore(data: SerializedState) {
      state = restoreState(data);
    },
  });

  const propose = async (command: Command): Promise<WriteResult> => {
    try {
      const { index, result } = await consensus.propose(command);
      const r = result as ApplyResult;
      return r.ok ? { ok: true, index } : { ok: false, error: r.error };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };

  const applier = createPlanApplier({
    state: () => state,
    now: () => clock.now(),
    tokenValid: (plan) => broker.outstanding(plan.evalId, plan.evalToken),
    propose: async (command) => {
      const r = await propose(command);
      return r.ok ? { index: r.index } : { index: 0, error: r.error };
    },
  });

  const workerHost: WorkerHost = {
    broker,
    applier,
    state: () => state,
    now: () => clock.now(),
    propose,
    scheduleOptions: opts.scheduleOptions,
  };

  const evalForJob = (job: Job, triggeredBy: EvalTrigger): Evaluation =>
    newEvaluation({
      id: newId(),
      namespace: job.namespace,
      jobId: job.id,
      priority: job.priority,
      type: job.type,
      triggeredBy,
      now: clock.now(),
    });

  // Superseded evaluations are written as canceled, as Nomad's reaper does; duplicate blocked
  // evaluations of a job as Nomad's reapDupBlockedEvaluations words it.
  const reapCancelable = async (): Promise<void> => {
    const dead = [...broker.takeCancelable(), ...untrackedBlocked];
    untrackedBlocked = [];
    const dupBlocked = blocked.takeCancelable();
    const failed = broker.takeFailed();
    if (dead.length + dupBlocked.length + failed.length === 0) return;
    const now = clock.now();
    const limit = opts.broker?.deliveryLimit ?? DEFAULT_EVAL_BROKER_CONFIG.deliveryLimit;
    const evals: Evaluation[] = [
      ...dead.map((e) => ({
        ...(state.evalById(e.id) ?? e),
        status: 'canceled' as const,
        statusDescription: 'canceled after more recent eval was processed',
        modifyTime: now,
      })),
      ...dupBlocked.map((e) => ({
        ...(state.evalById(e.id) ?? e),
        status: 'canceled' as const,
        statusDescription: `existing blocked evaluation exists for job ${JSON.stringify(e.jobId)}`,
        modifyTime: now,
      })),
    ];
    for (const e of failed) {
      const updated: Evaluation = {
        ...(state.evalById(e.id) ?? e),
        status: 'failed',
        statusDescription: `evaluation reached delivery limit (${limit})`,
        modifyTime: now,
      };
      evals.push(updated);
      // Nomad's failed follow-up: retry the job later, once the cluster has hopefully settled
      // (not for GC work, nor for a job that is gone).
      if (e.type === '_core' || !state.jobById(e.namespace, e.jobId)) continue;
      const wait = FAILED_FOLLOWUP_BASELINE_DELAY + Math.floor(rng.nextFloat() * FAILED_FOLLOWUP_DELAY_RANGE);
      const followup: Evaluation = newEvaluation({
        id: newId(),
        namespace: e.namespace,
        jobId: e.jobId,
        priority: e.priority,
        type: e.type,
        triggeredBy: 'failed-follow-up',
        jobModifyIndex: e.jobModifyIndex,
        now,
        wait,
        waitUntil: now + wait,
        previousEval: e.id,
      });
      updated.nextEval = followup.id;
      evals.push(followup);
    }
    await propose({ type: 'EvalUpdate', evals });
  };

  const cp = {
    /** The latest committed state (an O(1) immutable snapshot). */
    state: (): StateSnapshot => state,
    /** The consensus in use. */
    consensus,
    /** The eval broker (stats, tests). */
    broker,
    /** The blocked evaluations (stats, tests). */
    blocked,
    /** The plan applier (stats). */
    applier,
    /** Recent refused commands with their reasons. */
    refusals: (): readonly { index: number; type: string; error: string }[] => refusals,
    /** Proposes a raw command (embedders with their own endpoints). */
    propose,
    /** A fresh ID from the seeded generator. */
    newId,

    /** Creates or updates a namespace (`nomad namespace apply`); jobs may only use existing ones. */
    async upsertNamespace(ns: {
      name: string;
      description?: string | undefined;
      meta?: Record<string, string> | undefined;
    }): Promise<WriteResult> {
      return propose({ type: 'NamespaceUpsert', namespaces: [ns] });
    },

    /** Deletes a namespace (`nomad namespace delete`): refused for `default`, or while it holds a live job or a CSI volume. */
    async deleteNamespace(name: string): Promise<WriteResult> {
      return propose({ type: 'NamespaceDelete', names: [name] });
    },

    /** Registers or updates a job and creates its evaluation (none for periodic/parameterized parents). */
    async registerJob(
      job: Job,
      o: { enforceIndex?: boolean; jobModifyIndex?: number } = {},
    ): Promise<WriteResult> {
      const problems = opts.validateJob?.(job) ?? [];
      if (problems.length > 0) return { ok: false, error: problems.join('; ') };
      if (job.periodic?.enabled) {
        const bad = periodicConfigError(job.periodic);
        if (bad) return { ok: false, error: bad };
      }
      const isParent = (!!job.periodic?.enabled || !!job.parameterizedJob) && job.parentId === '';
      const evaluation = isParent ? undefined : evalForJob(job, 'job-register');
      const r = await propose({ type: 'JobRegister', job, evaluation, now: clock.now(), ...o });
      return r.ok ? { ...r, evalId: evaluation?.id, jobId: job.id } : r;
    },

    /** Stops (or purges) a job and creates its evaluation. */
    async deregisterJob(namespace: string, jobId: string, purge = false): Promise<WriteResult> {
      const job = state.jobById(namespace, jobId);
      if (!job) return { ok: false, error: `job not found: ${jobId}` };
      const evaluation = evalForJob(job, 'job-deregister');
      const r = await propose({
        type: 'JobDeregister',
        namespace,
        jobId,
        purge,
        evaluation,
        now: clock.now(),
      });
      return r.ok ? { ...r, evalId: evaluation.id } : r;
    },

    /** Dispatches a parameterized job with metadata and a payload (base64). */
    async dispatchJob(
      namespace: string,
      jobId: string,
      meta: Readonly<Record<string, string>> = {},
      payload = '',
    ): Promise<WriteResult> {
      const parent = state.jobById(namespace, jobId);
      if (!parent) return { ok: false, error: `job not found: ${jobId}` };
      const child = dispatchChild(parent, meta, payload, clock.now(), newId());
      if (typeof child === 'string') return { ok: false, error: child };
      const evaluation = evalForJob(child, 'job-register');
      const r = await propose({ type: 'JobRegister', job: child, evaluation, now: clock.now() });
      return r.ok ? { ...r, evalId: evaluation.id, jobId: child.id } : r;
    },

    /** Sets a task group's count (`nomad job scale`), recording a scaling event. */
    async scaleJob(
      namespace: string,
      jobId: string,
      group: string,
      count: number | undefined,
      message = '',
      error = false,
    ): Promise<WriteResult> {
      const job = state.jobById(namespace, jobId);
      if (!job) return { ok: false, error: `job not found: ${jobId}` };
      const tg = job.taskGroups.find((g) => g.name === group);
      if (!tg) return { ok: false, error: `task group ${JSON.stringify(group)} not found in job ${jobId}` };
      let evalId: string | undefined;
      let index = 0;
      if (count !== undefined) {
        const scaled = scaledJob(job, group, count);
        if (typeof scaled === 'string') return { ok: false, error: scaled };
        const evaluation = evalForJob(scaled, 'job-scaling');
        const r = await propose({ type: 'JobRegister', job: scaled, evaluation, now: clock.now() });
        if (!r.ok) return r;
        evalId = evaluation.id;
        index = r.index;
      }
      const r = await propose({
        type: 'ScalingEvent',
        namespace,
        jobId,
        taskGroup: group,
        event: { time: clock.now(), count, previousCount: tg.count, message, error, evalId },
      });
      return r.ok ? { ok: true, index: Math.max(index, r.index), evalId } : r;
    },

    /** Registers a node and starts its heartbeat TTL; a ready node may release blocked evaluations. */
    async registerNode(node: Node): Promise<WriteResult> {
      const bad = nodeIntakeError(node);
      if (bad) return { ok: false, error: `node ${node.id}: ${bad}` };
      const now = clock.now();
      const existing = state.nodeById(node.id);
      const evaluations =
        existing && existing.status !== node.status ? nodeUpdateEvals(state, node.id, newId, now) : [];
      const sys = state
        .jobs()
        .filter((j) => (j.type === 'system' || j.type === 'sysbatch') && !j.stop)
        .map((j) => ({ ...evalForJob(j, 'node-update'), nodeId: node.id }));
      const r = await propose({
        type: 'NodeRegister',
        node,
        evaluations: existing ? evaluations : sys,
        now,
      });
      if (r.ok) heartbeats.heartbeat(node.id, now);
      return r;
    },

    /** A client heartbeat: resets the TTL; a node that was down comes back ready. */
    async heartbeat(nodeId: string): Promise<WriteResult & { ttl?: number }> {
      const node = state.nodeById(nodeId);
      if (!node) return { ok: false, error: `node not found: ${nodeId}` };
      const ttl = heartbeats.heartbeat(nodeId, clock.now());
      if (node.status !== 'ready') return cp.updateNodeStatus(nodeId, 'ready');
      return { ok: true, index: state.index, ttl };
    },

    /** Sets a node's status, creating node-update evaluations. */
    async updateNodeStatus(nodeId: string, status: string): Promise<WriteResult> {
      if (!state.nodeById(nodeId)) return { ok: false, error: `node not found: ${nodeId}` };
      const now = clock.now();
      return propose({
        type: 'NodeStatusUpdate',
        nodeId,
        status,
        now,
        evaluations: nodeUpdateEvals(state, nodeId, newId, now),
      });
    },

    /** Starts draining a node (`deadline` ns; 0 none, negative force) or stops draining. */
    async drainNode(
      nodeId: string,
      spec: { deadline: number; ignoreSystemJobs?: boolean } | undefined,
      markEligible = false,
    ): Promise<WriteResult> {
      if (!state.nodeById(nodeId)) return { ok: false, error: `node not found: ${nodeId}` };
      const now = clock.now();
      const drainStrategy: DrainStrategy | undefined = spec
        ? {
            deadline: spec.deadline,
            ignoreSystemJobs: spec.ignoreSystemJobs ?? false,
            forceDeadline: spec.deadline > 0 ? now + spec.deadline : spec.deadline < 0 ? now : 0,
            startedAt: now,
          }
        : undefined;
      return propose({ type: 'NodeDrain', nodeId, drainStrategy, markEligible, now });
    },

    /** Sets a node's scheduling eligibility. */
    async setEligibility(nodeId: string, eligibility: 'eligible' | 'ineligible'): Promise<WriteResult> {
      const now = clock.now();
      const evaluations = state.nodeById(nodeId) ? nodeUpdateEvals(state, nodeId, newId, now) : [];
      return propose({ type: 'NodeEligibility', nodeId, eligibility, evaluations, now });
    },

    /** Client allocation updates; failed allocations get an evaluation so they are rescheduled. */
    async updateAllocs(updates: readonly ClientAllocUpdate[]): Promise<WriteResult> {
      const jobs = new Map<string, Job>();
      for (const u of updates) {
        const a = state.allocById(u.id);
        if (!a) continue;
        const job = state.jobById(a.namespace, a.jobId);
        if (job && u.clientStatus === 'failed' && a.clientStatus !== 'failed')
          jobs.set(`${job.namespace}\u0000${job.id}`, job);
      }
      const evaluations = [...jobs.keys()].sort().map((k) => evalForJob(jobs.get(k)!, 'alloc-failure'));
      return propose({ type: 'AllocClientUpdate', allocs: updates, evaluations, now: clock.now() });
    },

    /** Promotes a deployment's canaries (all groups when `groups` is empty). */
    async promoteDeployment(deploymentId: string, groups: readonly string[] = []): Promise<WriteResult> {
      const d = state.deploymentById(deploymentId);
      const job = d && state.jobById(d.namespace, d.jobId);
      return propose({
        type: 'DeploymentPromote',
        deploymentId,
        groups,
        evaluation: job ? { ...evalForJob(job, 'deployment-watcher'), deploymentId } : undefined,
        now: clock.now(),
      });
    },

    /** Marks a deployment failed (reverting when its groups ask for auto_revert). */
    async failDeployment(deploymentId: string): Promise<WriteResult> {
      const d = state.deploymentById(deploymentId);
      if (!d) return { ok: false, error: `deployment not found: ${deploymentId}` };
      const revert = Object.values(d.taskGroups).some((s) => s.autoRevert);
      return propose(failDeployment(state, d, 'Deployment marked as failed', revert, newId, clock.now()));
    },

    /** Reverts a job to an earlier version (as a new version). */
    async revertJob(namespace: string, jobId: string, version: number): Promise<WriteResult> {
      const old = state.jobByVersion(namespace, jobId, version);
      if (!old) return { ok: false, error: `job ${jobId} version ${version} not found` };
      return cp.registerJob({ ...old, stop: false });
    },

    /** Creates a new evaluation for a job (`nomad job eval`). */
    async evaluateJob(namespace: string, jobId: string): Promise<WriteResult> {
      const job = state.jobById(namespace, jobId);
      if (!job) return { ok: false, error: `job not found: ${jobId}` };
      const e = evalForJob(job, 'job-register');
      const r = await propose({ type: 'EvalUpdate', evals: [e] });
      return r.ok ? { ...r, evalId: e.id } : r;
    },

    /**
     * Runs the workers until no evaluation is ready. Returns how many evaluations were processed.
     * `limit` bounds the work (a safety net for simulations).
     */
    async processEvals(
      limit = Number.POSITIVE_INFINITY,
      schedulers: readonly string[] = DEFAULT_SCHEDULERS,
    ): Promise<number> {
      let n = 0;
      while (n < limit && (await runWorkerOnce(workerHost, schedulers))) {
        n++;
        await reapCancelable();
      }
      await reapCancelable();
      return n;
    },

    /**
     * Advances every watcher to the clock's time: broker delays and ack deadlines, heartbeats,
     * drains, deployments, periodic launches and GC. Returns the commands proposed.
     */
    async tick(): Promise<number> {
      if (!leader()) return 0;
      const now = clock.now();
      broker.tick(now);
      let n = 0;
      const run = async (cmds: readonly Command[]) => {
        for (const c of cmds) {
          await propose(c);
          n++;
        }
      };
      await run(heartbeats.tick(state, now, newId));
      await run(drainStep(state, now, newId));
      await run(watchDeployments(state, now, newId, deploymentMemory));
      await run(periodicStep(state, now, newId));
      await run(gcStep(state, now, gcConfig));
      await reapCancelable();
      return n;
    },

    /** The earliest time a watcher needs a tick (broker, heartbeats, periodic), for the host's timer. */
    nextDue(): number | undefined {
      const ts = [broker.nextDue(), heartbeats.nextDue(), nextPeriodicDue(state)].filter(
        (t): t is number => t !== undefined,
      );
      return ts.length ? Math.min(...ts) : undefined;
    },

    /**
     * Leadership gained: rebuild the broker and blocked evaluations from the state (Nomad's
     * restoreEvals). Once per term: a second call before `revokeLeadership` does nothing.
     */
    establishLeadership(): void {
      if (established) return;
      established = true;
      const now = clock.now();
      broker.setEnabled(true);
      heartbeats.initialize(state, now);
      for (const e of state.tables.evals.values()) {
        if (e.status === 'pending') broker.enqueue(e, now);
        else if (e.status === 'blocked') for (const again of blocked.block(e)) broker.enqueue(again, now);
      }
    },

    /** Leadership lost: drop the in-memory queues. */
    revokeLeadership(): void {
      established = false;
      broker.setEnabled(false);
      blocked.unblockAll();
    },

    /** Registers the given job's evaluation trigger helper (for embedders building their own). */
    evalForJob,
  };

  consensus.onLeadershipChange((l) => (l.isLeader ? cp.establishLeadership() : cp.revokeLeadership()));
  // A consensus that attached as leader (a durable log that just replayed its state) gets no
  // change event: establish now, so pending and blocked evaluations and heartbeat TTLs come back.
  // (Only when attach restored something: a fresh state has nothing to restore.)
  if (consensus.leadership().isLeader && state.index > 0) cp.establishLeadership();
  return cp;
}

/** The control plane's type. */
export interface ControlPlane {
  /** The latest committed state (an O(1) immutable snapshot). */
  state: () => StateSnapshot;
  /** The consensus in use. */
  consensus: Consensus<Command, SerializedState>;
  /** The eval broker (stats, tests). */
  broker: EvalBroker<Evaluation>;
  /** The blocked evaluations (stats, tests). */
  blocked: BlockedEvals<Evaluation>;
  /** The plan applier (stats). */
  applier: PlanApplier;
  /** Recent refused commands with their reasons. */
  refusals: () => readonly {
    index: number;
    type: string;
    error: string;
  }[];
  /** Proposes a raw command (embedders with their own endpoints). */
  propose: (command: Command) => Promise<WriteResult>;
  /** A fresh ID from the seeded generator. */
  newId: () => string;
  /** Creates or updates a namespace (`nomad namespace apply`); jobs may only use existing ones. */
  upsertNamespace(ns: {
    name: string;
    description?: string | undefined;
    meta?: Record<string, string> | undefined;
  }): Promise<WriteResult>;
  /** Deletes a namespace (`nomad namespace delete`): refused for `default`, or while it holds a live job or a CSI volume. */
  deleteNamespace(name: string): Promise<WriteResult>;
  /** Registers or updates a job and creates its evaluation (none for periodic/parameterized parents). */
  registerJob(
    job: Job,
    o?: {
      enforceIndex?: boolean;
      jobModifyIndex?: number;
    },
  ): Promise<WriteResult>;
  /** Stops (or purges) a job and creates its evaluation. */
  deregisterJob(namespace: string, jobId: string, purge?: boolean): Promise<WriteResult>;
  /** Dispatches a parameterized job with metadata and a payload (base64). */
  dispatchJob(
    namespace: string,
    jobId: string,
    meta?: Readonly<Record<string, string>>,
    payload?: string,
  ): Promise<WriteResult>;
  /** Sets a task group's count (`nomad job scale`), recording a scaling event. */
  scaleJob(
    namespace: string,
    jobId: string,
    group: string,
    count: number | undefined,
    message?: string,
    error?: boolean,
  ): Promise<WriteResult>;
  /** Registers a node and starts its heartbeat TTL; a ready node may release blocked evaluations. */
  registerNode(node: Node): Promise<WriteResult>;
  /** A client heartbeat: resets the TTL; a node that was down comes back ready. */
  heartbeat(nodeId: string): Promise<
    WriteResult & {
      ttl?: number;
    }
  >;
  /** Sets a node's status, creating node-update evaluations. */
  updateNodeStatus(nodeId: string, status: string): Promise<WriteResult>;
  /** Starts draining a node (`deadline` ns; 0 none, negative force) or stops draining. */
  drainNode(
    nodeId: string,
    spec:
      | {
          deadline: number;
          ignoreSystemJobs?: boolean;
        }
      | undefined,
    markEligible?: boolean,
  ): Promise<WriteResult>;
  /** Sets a node's scheduling eligibility. */
  setEligibility(nodeId: string, eligibility: 'eligible' | 'ineligible'): Promise<WriteResult>;
  /** Client allocation updates; failed allocations get an evaluation so they are rescheduled. */
  updateAllocs(updates: readonly ClientAllocUpdate[]): Promise<WriteResult>;
  /** Promotes a deployment's canaries (all groups when `groups` is empty). */
  promoteDeployment(deploymentId: string, groups?: readonly string[]): Promise<WriteResult>;
  /** Marks a deployment failed (reverting when its groups ask for auto_revert). */
  failDeployment(deploymentId: string): Promise<WriteResult>;
  /** Reverts a job to an earlier version (as a new version). */
  revertJob(namespace: string, jobId: string, version: number): Promise<WriteResult>;
  /** Creates a new evaluation for a job (`nomad job eval`). */
  evaluateJob(namespace: string, jobId: string): Promise<WriteResult>;
  /**
   * Runs the workers until no evaluation is ready. Returns how many evaluations were processed.
   * `limit` bounds the work (a safety net for simulations).
   */
  processEvals(limit?: number, schedulers?: readonly string[]): Promise<number>;
  /**
   * Advances every watcher to the clock's time: broker delays and ack deadlines, heartbeats,
   * drains, deployments, periodic launches and GC. Returns the commands proposed.
   */
  tick(): Promise<number>;
  /** The earliest time a watcher needs a tick (broker, heartbeats, periodic), for the host's timer. */
  nextDue(): number | undefined;
  /** Leadership gained: rebuild the broker and blocked evaluations from the state (Nomad's restoreEvals). */
  establishLeadership(): void;
  /** Leadership lost: drop the in-memory queues. */
  revokeLeadership(): void;
  /** Registers the given job's evaluation trigger helper (for embedders building their own). */
  evalForJob: (job: Job, triggeredBy: EvalTrigger) => Evaluation;
}

/**
 * The job actions under `/v1/job/<id>/…` that write or simulate: plan (with the diff),
 * evaluate, periodic force, dispatch, revert, stable, scale.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  applyCommand,
  canonicalizeJob,
  decodeJob,
  validateJob,
  encodeEvaluation,
  encodeJob,
  newEval,
  periodicChild,
  schedule,
  type Job,
} from '@tsnomad/core';
import { bodyObject, field, HttpError, optionalBody, query, setIndex, type ApiContext } from '../http.js';
import { jobDiff } from '../jobDiff.js';

/** Decodes, canonicalises and validates the `Job` of a request; 400 listing every problem. */
export function decodeRequestJob(raw: unknown, namespace: string): Job {
  if (raw === undefined || raw === null) throw new HttpError(400, 'Job must be specified');
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new HttpError(400, 'Job: expected an object');
  const decoded = decodeJob(raw);
  if (!decoded.ok) throw new HttpError(400, decoded.errors.map((e) => e.message).join('\n'));
  if (!decoded.value.id) throw new HttpError(400, "Job ID hasn't been provided");
  const job = canonicalizeJob({ ...decoded.value, namespace: decoded.value.namespace || namespace });
  const problems = validateJob(job);
  if (problems.length > 0)
    throw new HttpError(
      400,
      `Job validation failed: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return job;
}

/** Nomad's 404 for a job that does not exist. */
export const notFound = (): HttpError => new HttpError(404, 'job not found');

/** Refusals that are a conflict with the current state (409) or a missing object (404), else 400. */
export function writeError(error: string): HttpError {
  if (/not found/.test(error)) return new HttpError(404, error);
  if (/Enforcing job modify index|conflicting/.test(error)) return new HttpError(409, error);
  return new HttpError(400, error);
}

/** The job named by the path in the request's namespace, or 404 `job not found`. */
export function jobOr404In(ctx: ApiContext, req: FastifyRequest, id: string): Job {
  const ns = query(req).namespace || 'default';
  const job = ctx.host.cp.state().jobById(ns, id);
  if (!job) throw new HttpError(404, 'job not found');
  return job;
}

type Action = (req: FastifyRequest, reply: FastifyReply, id: string) => Promise<unknown>;

/** The action handlers, bound to one agent. */
export function createJobActions(
  ctx: ApiContext,
): Record<'plan' | 'evaluate' | 'periodicForce' | 'dispatch' | 'revert' | 'stable' | 'scale', Action> {
  const cp = () => ctx.host.cp;
  const jobOr404 = (req: FastifyRequest, id: string): Job => jobOr404In(ctx, req, id);
  return { plan, evaluate, periodicForce, dispatch, revert, stable, scale };

  async function plan(req: FastifyRequest, reply: FastifyReply, id: string) {
    const body = bodyObject(req);
    const q = query(req);
    if (body.Job === undefined || body.Job === null) throw new HttpError(400, 'Job must be specified');
    const job = decodeRequestJob(body.Job, q.namespace || 'default');
    if (job.id !== id) throw new HttpError(400, 'Job ID does not match');
    const wantDiff = field(body, 'Diff', 'boolean') ?? false;
    const state = cp().state();
    const old = state.jobById(job.namespace, job.id);
    const now = Date.now() * 1e6;
    const evaluation = newEval({
      id: cp().newId(),
      namespace: job.namespace,
      jobId: job.id,
      priority: job.priority,
      type: job.type,
      triggeredBy: 'job-register',
      now,
    });
    // The plan runs the scheduler on a private copy of the state with the job registered: nothing is committed.
    const applied = applyCommand(state, state.index + 1, { type: 'JobRegister', job, evaluation, now });
    if (!applied.ok) throw writeError(applied.error);
    const isParent = (!!job.periodic?.enabled || !!job.parameterizedJob) && !job.parentId;
    const result = isParent ? undefined : schedule(applied.state, evaluation, { now });
    const annotations = result?.plan.annotations ?? result?.annotations;
    const desired: Record<string, unknown> = {};
    for (const [g, d] of Object.entries(annotations?.desiredTGUpdates ?? {}))
      desired[g] = {
        Ignore: d.ignore,
        Place: d.place,
        Migrate: d.migrate,
        Stop: d.stop,
        InPlaceUpdate: d.inPlaceUpdate,
        DestructiveUpdate: d.destructiveUpdate,
        Canary: d.canary,
        Preemptions: d.preemptions,
      };
    const failed: Record<string, unknown> = {};
    for (const [g, m] of Object.entries(result?.failedTGAllocs ?? {}))
      failed[g] = metricJson(m as unknown as Record<string, unknown>);
    setIndex(reply, old?.jobModifyIndex ?? 0);
    return {
      Annotations: { DesiredTGUpdates: desired, PreemptedAllocs: null },
      FailedTGAllocs: Object.keys(failed).length ? failed : null,
      JobModifyIndex: old?.jobModifyIndex ?? 0,
      CreatedEvals: result?.blockedEval ? [encodeEvaluation(result.blockedEval)] : null,
      Diff: wantDiff
        ? jobDiff(old ? encodeJob(old) : undefined, encodeJob(job), annotations?.desiredTGUpdates ?? {})
        : null,
      NextPeriodicLaunch: null,
      Warnings: '',
      Index: old?.jobModifyIndex ?? 0,
    };
  }

  async function evaluate(req: FastifyRequest, reply: FastifyReply, id: string) {
    const body = optionalBody(req);
    const bodyId = field(body, 'JobID', 'string');
    if (bodyId !== undefined && bodyId !== id) throw new HttpError(400, 'JobID not same as job name');
    jobOr404(req, id);
    const r = await cp().evaluateJob(query(req).namespace || 'default', id);
    if (!r.ok) throw writeError(r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.index,
      JobModifyIndex: 0,
      Warnings: '',
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  }

  async function periodicForce(req: FastifyRequest, reply: FastifyReply, id: string) {
    const job = jobOr404(req, id);
    if (!job.periodic?.enabled) throw new HttpError(400, `job ${JSON.stringify(id)} is not periodic`);
    const now = Date.now() * 1e6;
    const r = await cp().registerJob(periodicChild(job, now));
    if (!r.ok) throw writeError(r.error);
    await cp().propose({ type: 'PeriodicLaunch', namespace: job.namespace, jobId: job.id, launch: now });
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.index,
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  }

  async function dispatch(req: FastifyRequest, reply: FastifyReply, id: string) {
    const body = optionalBody(req);
    const bodyId = field(body, 'JobID', 'string');
    if (bodyId !== undefined && bodyId !== id) throw new HttpError(400, 'Job ID does not match');
    const meta = field(body, 'Meta', 'object') ?? {};
    for (const [k, v] of Object.entries(meta))
      if (typeof v !== 'string') throw new HttpError(400, `Meta.${k}: expected a string`);
    const payload = field(body, 'Payload', 'string') ?? '';
    jobOr404(req, id);
    const r = await cp().dispatchJob(
      query(req).namespace || 'default',
      id,
      meta as Record<string, string>,
      payload,
    );
    if (!r.ok) throw writeError(r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      DispatchedJobID: r.jobId ?? '',
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.index,
      JobCreateIndex: r.index,
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  }

  async function revert(req: FastifyRequest, reply: FastifyReply, id: string) {
    const body = bodyObject(req);
    const bodyId = field(body, 'JobID', 'string', true);
    if (bodyId !== id) throw new HttpError(400, 'Job ID does not match');
    const version = field(body, 'JobVersion', 'number', true)!;
    const job = jobOr404(req, id);
    const enforce = field(body, 'EnforcePriorVersion', 'number');
    if (enforce !== undefined && enforce !== job.version)
      throw new HttpError(409, `Current job has version ${job.version}; enforcing version ${enforce}`);
    if (version === job.version) throw new HttpError(400, `can't revert to current version`);
    const r = await cp().revertJob(job.namespace, id, version);
    if (!r.ok) throw writeError(r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.index,
      JobModifyIndex: r.index,
      Warnings: '',
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  }

  async function stable(req: FastifyRequest, reply: FastifyReply, id: string) {
    const body = bodyObject(req);
    const bodyId = field(body, 'JobID', 'string', true);
    if (bodyId !== id) throw new HttpError(400, 'Job ID does not match');
    const version = field(body, 'JobVersion', 'number', true)!;
    const isStable = field(body, 'Stable', 'boolean') ?? false;
    const job = jobOr404(req, id);
    if (!cp().state().jobByVersion(job.namespace, id, version))
      throw new HttpError(404, `job ${JSON.stringify(id)} at version ${version} not found`);
    const r = await cp().propose({
      type: 'JobStability',
      namespace: job.namespace,
      jobId: id,
      version,
      stable: isStable,
    });
    if (!r.ok) throw writeError(r.error);
    setIndex(reply, r.index);
    return { Index: r.index };
  }

  async function scale(req: FastifyRequest, reply: FastifyReply, id: string) {
    const body = bodyObject(req);
    const target = field(body, 'Target', 'object', true)!;
    const group = target.Group;
    if (typeof group !== 'string' || group === '')
      throw new HttpError(400, 'Target.Group: expected a task group name');
    if (typeof target.Job === 'string' && target.Job !== id)
      throw new HttpError(400, 'job ID in payload did not match URL');
    const count = field(body, 'Count', 'number');
    if (count !== undefined && (!Number.isInteger(count) || count < 0))
      throw new HttpError(400, `Count: expected a non-negative integer, got ${count}`);
    const message = field(body, 'Message', 'string') ?? '';
    const error = field(body, 'Error', 'boolean') ?? false;
    const job = jobOr404(req, id);
    if (!job.taskGroups.some((g) => g.name === group))
      throw new HttpError(
        400,
        `Task group ${JSON.stringify(group)} specified for the request does not exist in job`,
      );
    const r = await cp().scaleJob(job.namespace, id, group, count, message, error);
    if (!r.ok) throw writeError(r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.evalId ? r.index : 0,
      JobModifyIndex: cp().state().jobById(job.namespace, id)?.jobModifyIndex ?? 0,
      Warnings: '',
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  }
}

// AllocMetric in PascalCase (the fields `job plan` prints for failed placements).
function metricJson(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    const key = k.charAt(0).toUpperCase() + k.slice(1);
    out[key.replace(/Id$/, 'ID')] = v;
  }
  return out;
}

/**
 * Job endpoints: `/v1/jobs`, `/v1/jobs/parse`, `/v1/validate/job` and everything under
 * `/v1/job/<id>/…`. Like Nomad, `/v1/job/` is matched by suffix so that job IDs containing
 * `/` (periodic and dispatched children) work.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  canonicalizeJob,
  decodeJob,
  encodeDeployment,
  encodeEvaluation,
  encodeJob,
  validateJob,
  type Job,
} from '@tsnomad/core';
import { decodeJobspec, formatDiagnostics } from '@tsnomad/hcl';
import {
  blockingRead,
  bodyObject,
  field,
  HttpError,
  paginate,
  query,
  route,
  setIndex,
  type ApiContext,
  type Handler,
} from '../http.js';
import { applyFilter } from '../filter.js';
import { jobDiff } from '../jobDiff.js';
import { createJobActions, decodeRequestJob, jobOr404In, notFound, writeError } from './jobActions.js';
import { nomadJobJson } from '../jobJson.js';
import { allocListStub, jobListStub, jobSummaryJson } from '../stubs.js';

export function registerJobRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;

  const register = async (req: FastifyRequest, reply: FastifyReply, pathId?: string) => {
    const body = bodyObject(req);
    const q = query(req);
    const job = decodeRequestJob(body.Job, q.namespace || 'default');
    if (pathId !== undefined && job.id !== pathId) throw new HttpError(400, 'Job ID does not match name');
    if (job.type === 'system' && job.taskGroups.some((g) => g.scaling))
      throw new HttpError(400, 'Task groups with job type system do not support scaling blocks');
    const enforceIndex = field(body, 'EnforceIndex', 'boolean') ?? false;
    const jobModifyIndex = field(body, 'JobModifyIndex', 'number') ?? 0;
    // Checked before proposing, as Nomad's endpoint does, so a conflict writes nothing to the
    // log (the reducer checks again for a racing write).
    if (enforceIndex) {
      const old = cp().state().jobById(job.namespace, job.id);
      if (jobModifyIndex === 0 && old)
        throw new HttpError(409, 'Enforcing job modify index 0: job already exists');
      if (jobModifyIndex !== 0 && !old)
        throw new HttpError(409, `Enforcing job modify index ${jobModifyIndex}: job does not exist`);
      if (old && jobModifyIndex !== 0 && old.jobModifyIndex !== jobModifyIndex)
        throw new HttpError(
          409,
          `Enforcing job modify index ${jobModifyIndex}: job exists with conflicting job modify index: ${old.jobModifyIndex}`,
        );
    }
    const r = await cp().registerJob(job, enforceIndex ? { enforceIndex, jobModifyIndex } : {});
    if (!r.ok) throw writeError(r.error);
    ctx.host.kick();
    const stored = cp().state().jobById(job.namespace, job.id);
    setIndex(reply, r.index);
    return {
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.evalId ? r.index : 0,
      JobModifyIndex: stored?.jobModifyIndex ?? r.index,
      Warnings: '',
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  };

  route(app, '/v1/jobs', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['jobs', 'jobSummaries'], (state, q) => {
        const all = q.namespace === '*';
        const withMeta = query(req).meta === 'true';
        const jobs = state
          .jobs()
          .filter((j) => (all || j.namespace === q.namespace) && j.id.startsWith(q.prefix))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.namespace < b.namespace ? -1 : 1));
        const stubs = applyFilter(
          query(req).filter,
          jobs.map((j) => jobListStub(state, j, withMeta)),
        );
        return paginate(req, reply, stubs, (j) => String(j.ID));
      }),
    PUT: (req, reply) => register(req, reply),
    POST: (req, reply) => register(req, reply),
  });

  const parse: Handler = (req) => {
    const body = bodyObject(req);
    const hcl = field(body, 'JobHCL', 'string', true)!;
    const canonicalize = field(body, 'Canonicalize', 'boolean') ?? false;
    const variables = field(body, 'Variables', 'string') ?? '';
    const r = decodeJobspec(hcl, {
      filename: 'input.hcl',
      varFiles: variables ? [{ filename: 'variables.hcl', content: variables }] : [],
    });
    if (!r.ok) throw new HttpError(400, formatDiagnostics(r.diagnostics));
    return encodeJob(canonicalize ? canonicalizeJob(r.value) : r.value);
  };
  route(app, '/v1/jobs/parse', { PUT: parse, POST: parse });

  const validate: Handler = (req) => {
    const body = bodyObject(req);
    if (body.Job === undefined || body.Job === null) throw new HttpError(400, 'Job must be specified');
    const decoded = decodeJob(body.Job);
    const errors = decoded.ok
      ? validateJob(canonicalizeJob(decoded.value)).map((p) => `${p.path}: ${p.message}`)
      : decoded.errors.map((e) => e.message);
    return {
      DriverConfigValidated: true,
      ValidationErrors: errors,
      Error: errors.length
        ? `${errors.length} error(s) occurred:\n\n${errors.map((e) => `* ${e}`).join('\n')}`
        : '',
      Warnings: '',
    };
  };
  route(app, '/v1/validate/job', { PUT: validate, POST: validate });

  // ---- /v1/job/<id>[/<action>] ----
  const SUFFIXES = [
    'evaluate',
    'allocations',
    'evaluations',
    'periodic/force',
    'plan',
    'summary',
    'dispatch',
    'versions',
    'revert',
    'deployments',
    'deployment',
    'stable',
    'scale',
  ] as const;
  type Suffix = (typeof SUFFIXES)[number] | '';

  const split = (path: string): { id: string; suffix: Suffix } => {
    for (const s of SUFFIXES)
      if (path.endsWith(`/${s}`)) return { id: path.slice(0, -s.length - 1), suffix: s };
    return { id: path, suffix: '' };
  };

  const jobOr404 = (req: FastifyRequest, id: string): Job => jobOr404In(ctx, req, id);
  const { plan, evaluate, periodicForce, dispatch, revert, stable, scale } = createJobActions(ctx);

  const handlers: Record<
    Suffix,
    Partial<
      Record<
        'GET' | 'PUT' | 'POST' | 'DELETE',
        (req: FastifyRequest, reply: FastifyReply, id: string) => unknown
      >
    >
  > = {
    '': {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['jobs'], (state, q) => {
          const job = state.jobById(q.namespace, id);
          if (!job) throw notFound();
          return nomadJobJson(job);
        }),
      PUT: (req, reply, id) => register(req, reply, id),
      POST: (req, reply, id) => register(req, reply, id),
      DELETE: async (req, reply, id) => {
        const q = query(req);
        const purge = parseBoolParam(q.purge, 'purge');
        jobOr404(req, id);
        const r = await cp().deregisterJob(q.namespace || 'default', id, purge);
        if (!r.ok) throw writeError(r.error);
        ctx.host.kick();
        setIndex(reply, r.index);
        return {
          EvalID: r.evalId ?? '',
          EvalCreateIndex: r.index,
          JobModifyIndex: r.index,
          VolumeEvalID: '',
          VolumeEvalIndex: 0,
          Index: r.index,
          LastContact: 0,
          KnownLeader: false,
        };
      },
    },
    versions: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['jobVersions'], (state, q) => {
          const versions = state.jobVersions(q.namespace, id);
          if (versions.length === 0) throw new HttpError(404, 'job versions not found');
          const sorted = [...versions].sort((a, b) => b.version - a.version);
          const diffs =
            query(req).diffs === 'true'
              ? sorted.slice(0, -1).map((v, i) => jobDiff(encodeJob(sorted[i + 1]!), encodeJob(v)))
              : null;
          return {
            Versions: sorted.map((j) => nomadJobJson(j)),
            Diffs: diffs,
            Index: state.tableIndex('jobVersions'),
            LastContact: 0,
            KnownLeader: true,
          };
        }),
    },
    allocations: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['allocs'], (state, q) => {
          // `all` also lists allocations of an earlier job with the same ID (Nomad's flag).
          const all = query(req).all === 'true';
          const job = state.jobById(q.namespace, id);
          return state
            .allocsByJob(q.namespace, id)
            .filter((a) => all || !job || a.createIndex >= job.createIndex)
            .map((a) => allocListStub(state, a));
        }),
    },
    evaluations: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['evals'], (state, q) =>
          state.evalsByJob(q.namespace, id).map((e) => encodeEvaluation(e)),
        ),
    },
    deployments: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['deployments'], (state, q) =>
          state
            .deploymentsByJob(q.namespace, id)
            .sort((a, b) => b.createIndex - a.createIndex)
            .map((d) => encodeDeployment(d)),
        ),
    },
    deployment: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['deployments'], (state, q) => {
          const d = state.latestDeploymentByJob(q.namespace, id);
          return d ? encodeDeployment(d) : null;
        }),
    },
    summary: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['jobSummaries'], (state, q) => {
          const job = state.jobById(q.namespace, id);
          if (!job) throw notFound();
          return jobSummaryJson(state, job, state.jobSummary(q.namespace, id));
        }),
    },
    plan: { PUT: (req, reply, id) => plan(req, reply, id), POST: (req, reply, id) => plan(req, reply, id) },
    evaluate: {
      PUT: (req, reply, id) => evaluate(req, reply, id),
      POST: (req, reply, id) => evaluate(req, reply, id),
    },
    'periodic/force': {
      PUT: (req, reply, id) => periodicForce(req, reply, id),
      POST: (req, reply, id) => periodicForce(req, reply, id),
    },
    dispatch: {
      PUT: (req, reply, id) => dispatch(req, reply, id),
      POST: (req, reply, id) => dispatch(req, reply, id),
    },
    revert: {
      PUT: (req, reply, id) => revert(req, reply, id),
      POST: (req, reply, id) => revert(req, reply, id),
    },
    stable: {
      PUT: (req, reply, id) => stable(req, reply, id),
      POST: (req, reply, id) => stable(req, reply, id),
    },
    scale: {
      GET: (req, reply, id) =>
        blockingRead(ctx, req, reply, ['jobs', 'allocs', 'scalingEvents'], (state, q) => {
          const job = state.jobById(q.namespace, id);
          if (!job) throw notFound();
          const allocs = state.allocsByJob(q.namespace, id);
          const events = state.scalingEvents(q.namespace, id)?.taskGroups ?? {};
          const groups: Record<string, unknown> = {};
          for (const g of job.taskGroups) {
            const mine = allocs.filter((a) => a.taskGroup === g.name && a.desiredStatus === 'run');
            groups[g.name] = {
              Desired: g.count,
              Placed: mine.length,
              Running: mine.filter((a) => a.clientStatus === 'running').length,
              Healthy: mine.filter((a) => a.deploymentStatus?.healthy === true).length,
              Unhealthy: mine.filter((a) => a.deploymentStatus?.healthy === false).length,
              Events: (events[g.name] ?? []).map((e) => ({
                Time: e.time,
                Count: e.count ?? null,
                PreviousCount: e.previousCount,
                Message: e.message,
                Error: e.error,
                Meta: e.meta ?? null,
                EvalID: e.evalId ?? null,
                CreateIndex: e.createIndex,
              })),
            };
          }
          return {
            JobID: job.id,
            Namespace: job.namespace,
            JobModifyIndex: job.jobModifyIndex,
            JobCreateIndex: job.createIndex,
            JobStopped: job.stop,
            TaskGroups: groups,
          };
        }),
      PUT: (req, reply, id) => scale(req, reply, id),
      POST: (req, reply, id) => scale(req, reply, id),
    },
  };

  route(app, '/v1/job/*', {
    GET: (req, reply) => dispatchJob(req, reply, 'GET'),
    PUT: (req, reply) => dispatchJob(req, reply, 'PUT'),
    POST: (req, reply) => dispatchJob(req, reply, 'POST'),
    DELETE: (req, reply) => dispatchJob(req, reply, 'DELETE'),
  });

  function dispatchJob(
    req: FastifyRequest,
    reply: FastifyReply,
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  ): unknown {
    const path = (req.params as Record<string, string>)['*'] ?? '';
    const { id, suffix } = split(path);
    if (!id) throw new HttpError(404, 'job not found');
    const h = handlers[suffix][method];
    if (!h) throw new HttpError(405, 'Invalid method');
    return h(req, reply, id);
  }
}

/** Nomad's `true`/`false` query flags; 400 when unparsable. */
export function parseBoolParam(v: string | undefined, name: string): boolean {
  if (v === undefined || v === '') return false;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new HttpError(400, `Failed to parse value of "${name}" (${v}) as a bool`);
}

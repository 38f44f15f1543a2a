/** Node endpoints: `/v1/nodes`, `/v1/node/:id`, its allocations, drain, eligibility, purge. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeNode, nodeUpdateEvals, SECOND } from '@tsnomad/core';
import {
  blockingRead,
  bodyObject,
  field,
  HttpError,
  optionalBody,
  query,
  route,
  setIndex,
  type ApiContext,
} from '../http.js';
import { applyFilter } from '../filter.js';
import { allocJson, nodeListStub } from '../stubs.js';

const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;

export function registerNodeRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;
  const nodeOr404 = (id: string) => {
    const n = cp().state().nodeById(id);
    if (!n) throw new HttpError(404, 'node not found');
    return n;
  };
  const updateResponse = (reply: FastifyReply, index: number, evalIds: string[]) => {
    setIndex(reply, index);
    return {
      NodeModifyIndex: index,
      EvalIDs: evalIds,
      EvalCreateIndex: evalIds.length ? index : 0,
      Index: index,
      LastContact: 0,
      KnownLeader: false,
    };
  };
  // Evaluations created by a command: those the state gained at that index.
  const evalsAt = (index: number): string[] =>
    [...cp().state().tables.evals.values()].filter((e) => e.createIndex === index).map((e) => e.id);

  route(app, '/v1/nodes', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['nodes'], (state, q) => {
        const o = query(req);
        const stubs = state
          .nodes()
          .filter((n) => n.id.startsWith(q.prefix))
          .map((n) => nodeListStub(n, { resources: o.resources === 'true', os: o.os === 'true' }));
        return applyFilter(o.filter, stubs);
      }),
  });

  route(app, '/v1/node/:id', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['nodes'], (state) => {
        const n = state.nodeById(params(req).id!);
        if (!n) throw new HttpError(404, 'node not found');
        return encodeNode(n);
      }),
  });

  route(app, '/v1/node/:id/allocations', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['allocs'], (state) =>
        state.allocsByNode(params(req).id!).map((a) => allocJson(state, a)),
      ),
  });

  const drain = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    const body = bodyObject(req);
    const spec = field(body, 'DrainSpec', 'object');
    const markEligible = field(body, 'MarkEligible', 'boolean') ?? false;
    let deadline = 0;
    let ignoreSystemJobs = false;
    if (spec) {
      const d = spec.Deadline ?? 0;
      if (typeof d !== 'number' || !Number.isFinite(d))
        throw new HttpError(
          400,
          `DrainSpec.Deadline: expected a number of nanoseconds, got ${JSON.stringify(d)}`,
        );
      deadline = d;
      const i = spec.IgnoreSystemJobs ?? false;
      if (typeof i !== 'boolean')
        throw new HttpError(400, `DrainSpec.IgnoreSystemJobs: expected a boolean, got ${JSON.stringify(i)}`);
      ignoreSystemJobs = i;
    }
    nodeOr404(id);
    const r = await cp().drainNode(id, spec ? { deadline, ignoreSystemJobs } : undefined, markEligible);
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    return updateResponse(reply, r.index, evalsAt(r.index));
  };
  route(app, '/v1/node/:id/drain', { PUT: drain, POST: drain });

  const eligibility = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    const body = bodyObject(req);
    const e = field(body, 'Eligibility', 'string', true);
    if (e !== 'eligible' && e !== 'ineligible')
      throw new HttpError(400, `invalid scheduling eligibility "${e}"`);
    const node = nodeOr404(id);
    if (node.drainStrategy && e === 'eligible')
      throw new HttpError(400, "can not set node's scheduling eligibility to eligible while it is draining");
    const r = await cp().setEligibility(id, e);
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    return updateResponse(reply, r.index, evalsAt(r.index));
  };
  route(app, '/v1/node/:id/eligibility', { PUT: eligibility, POST: eligibility });

  const purge = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    optionalBody(req);
    nodeOr404(id);
    const now = Date.now() * 1e6;
    const evaluations = nodeUpdateEvals(cp().state(), id, cp().newId, now);
    const r = await cp().propose({ type: 'NodeDeregister', nodeIds: [id], evaluations });
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      HeartbeatTTL: 0,
      EvalIDs: evaluations.map((e) => e.id),
      EvalCreateIndex: evaluations.length ? r.index : 0,
      NodeModifyIndex: r.index,
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  };
  route(app, '/v1/node/:id/purge', { PUT: purge, POST: purge });

  const evaluate = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    nodeOr404(id);
    const now = Date.now() * 1e6;
    const evaluations = nodeUpdateEvals(cp().state(), id, cp().newId, now);
    const r = await cp().propose({ type: 'EvalUpdate', evals: evaluations });
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return {
      HeartbeatTTL: 10 * SECOND,
      EvalIDs: evaluations.map((e) => e.id),
      EvalCreateIndex: r.index,
      NodeModifyIndex: r.index,
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  };
  route(app, '/v1/node/:id/evaluate', { PUT: evaluate, POST: evaluate });
}

/** Allocation and evaluation endpoints: lists, reads, alloc stop; signal/restart await the client. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeEvaluation, newEval } from '@tsnomad/core';
import { blockingRead, HttpError, optionalBody, query, route, setIndex, type ApiContext } from '../http.js';
import { applyFilter } from '../filter.js';
import { allocJson, allocListStub } from '../stubs.js';

const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;

export function registerAllocationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;

  route(app, '/v1/allocations', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['allocs'], (state, q) => {
        const all = q.namespace === '*';
        const out = [];
        for (const a of state.tables.allocs.values())
          if ((all || a.namespace === q.namespace) && a.id.startsWith(q.prefix))
            out.push(allocListStub(state, a));
        return out;
      }),
  });

  route(app, '/v1/allocation/:id', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['allocs'], (state) => {
        const a = state.allocById(params(req).id!);
        if (!a) throw new HttpError(404, 'alloc not found');
        return allocJson(state, a);
      }),
  });

  const stop = async (req: FastifyRequest, reply: FastifyReply) => {
    optionalBody(req);
    const a = cp().state().allocById(params(req).id!);
    if (!a) throw new HttpError(404, 'alloc not found');
    const job = cp().state().jobById(a.namespace, a.jobId);
    if (!job) throw new HttpError(404, 'job not found');
    const now = Date.now() * 1e6;
    const evaluation = newEval({
      id: cp().newId(),
      namespace: a.namespace,
      jobId: a.jobId,
      priority: job.priority,
      type: job.type,
      triggeredBy: 'alloc-stop',
      now,
    });
    const noShutdownDelay = query(req).no_shutdown_delay === 'true';
    const r = await cp().propose({
      type: 'AllocDesiredTransition',
      transitions: { [a.id]: { migrate: true, noShutdownDelay } },
      evaluations: [evaluation],
    });
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return { EvalID: evaluation.id, Index: r.index };
  };
  route(app, '/v1/allocation/:id/stop', { PUT: stop, POST: stop });

  // Signal and restart are carried out by the client that runs the allocation; until the
  // client host exists, the server answers that no client can take them.
  const toClient = (action: string) => (req: FastifyRequest) => {
    const a = cp().state().allocById(params(req).id!);
    if (!a) throw new HttpError(404, `Unknown allocation "${params(req).id}"`);
    throw new HttpError(
      501,
      `${action}: no client connected to this agent runs allocation ${a.id} (the client host is not part of this agent yet)`,
    );
  };
  route(app, '/v1/client/allocation/:id/signal', { PUT: toClient('signal'), POST: toClient('signal') });
  route(app, '/v1/client/allocation/:id/restart', { PUT: toClient('restart'), POST: toClient('restart') });

  route(app, '/v1/evaluations', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['evals'], (state, q) => {
        const o = query(req);
        const all = q.namespace === '*';
        const out = [];
        for (const e of state.tables.evals.values())
          if (
            (all || e.namespace === q.namespace) &&
            e.id.startsWith(q.prefix) &&
            (!o.job || e.jobId === o.job) &&
            (!o.status || e.status === o.status)
          )
            out.push(encodeEvaluation(e));
        return applyFilter(query(req).filter, out);
      }),
  });

  route(app, '/v1/evaluation/:id', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['evals'], (state) => {
        const e = state.evalById(params(req).id!);
        if (!e) throw new HttpError(404, 'eval not found');
        return encodeEvaluation(e);
      }),
  });

  route(app, '/v1/evaluation/:id/allocations', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['allocs'], (state) =>
        state.allocsByEval(params(req).id!).map((a) => allocListStub(state, a)),
      ),
  });
}

/** Deployment endpoints: list, read, allocations, promote, fail, pause, allocation health. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeDeployment, type Deployment, type WriteResult } from '@tsnomad/core';
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
import { allocListStub } from '../stubs.js';

const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;

export function registerDeploymentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;
  const deploymentOr404 = (id: string): Deployment => {
    const d = cp().state().deploymentById(id);
    if (!d) throw new HttpError(404, 'deployment not found');
    return d;
  };
  const answer = (reply: FastifyReply, r: WriteResult, d: Deployment) => {
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    const evalId =
      [...cp().state().tables.evals.values()].find((e) => e.createIndex === r.index && e.jobId === d.jobId)
        ?.id ?? '';
    return {
      EvalID: evalId,
      EvalCreateIndex: evalId ? r.index : 0,
      DeploymentModifyIndex: r.index,
      RevertedJobVersion: null,
      Index: r.index,
      LastContact: 0,
      KnownLeader: false,
    };
  };
  const checkBodyId = (body: Record<string, unknown>, id: string) => {
    const b = field(body, 'DeploymentID', 'string');
    if (b !== undefined && b !== id) throw new HttpError(400, 'Deployment ID does not match');
  };

  route(app, '/v1/deployments', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['deployments'], (state, q) => {
        const all = q.namespace === '*';
        const out = [];
        for (const d of state.tables.deployments.values())
          if ((all || d.namespace === q.namespace) && d.id.startsWith(q.prefix))
            out.push(encodeDeployment(d));
        return applyFilter(query(req).filter, out);
      }),
  });
  route(app, '/v1/deployment/:id', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['deployments'], (state) => {
        const d = state.deploymentById(params(req).id!);
        if (!d) throw new HttpError(404, 'deployment not found');
        return encodeDeployment(d);
      }),
  });
  route(app, '/v1/deployment/allocations/:id', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['allocs'], (state) =>
        state.allocsByDeployment(params(req).id!).map((a) => allocListStub(state, a)),
      ),
  });

  const promote = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    const body = bodyObject(req);
    checkBodyId(body, id);
    const all = field(body, 'All', 'boolean') ?? false;
    const groups = body.Groups ?? [];
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string'))
      throw new HttpError(400, 'Groups: expected an array of strings');
    if (!all && groups.length === 0) throw new HttpError(400, 'must specify All or Groups');
    const d = deploymentOr404(id);
    return answer(reply, await cp().promoteDeployment(id, all ? [] : (groups as string[])), d);
  };
  const fail = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    checkBodyId(optionalBody(req), id);
    const d = deploymentOr404(id);
    return answer(reply, await cp().failDeployment(id), d);
  };
  const pause = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    const body = bodyObject(req);
    checkBodyId(body, id);
    const paused = field(body, 'Pause', 'boolean', true)!;
    const d = deploymentOr404(id);
    if (d.status !== 'running' && d.status !== 'paused')
      throw new HttpError(400, `can't pause/resume a ${d.status} deployment`);
    const r = await cp().propose({
      type: 'DeploymentStatusUpdate',
      update: {
        deploymentId: id,
        status: paused ? 'paused' : 'running',
        statusDescription: paused ? 'Deployment is paused' : 'Deployment is running',
      },
      now: Date.now() * 1e6,
    });
    return answer(reply, r, d);
  };
  const health = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    const body = bodyObject(req);
    checkBodyId(body, id);
    const ids = (name: string): string[] => {
      const v = body[name] ?? [];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
        throw new HttpError(400, `${name}: expected an array of allocation IDs`);
      return v as string[];
    };
    const healthy = ids('HealthyAllocationIDs');
    const unhealthy = ids('UnhealthyAllocationIDs');
    const d = deploymentOr404(id);
    const r = await cp().propose({
      type: 'DeploymentAllocHealth',
      deploymentId: id,
      healthyAllocIds: healthy,
      unhealthyAllocIds: unhealthy,
      now: Date.now() * 1e6,
    });
    return answer(reply, r, d);
  };
  route(app, '/v1/deployment/promote/:id', { PUT: promote, POST: promote });
  route(app, '/v1/deployment/fail/:id', { PUT: fail, POST: fail });
  route(app, '/v1/deployment/pause/:id', { PUT: pause, POST: pause });
  route(app, '/v1/deployment/allocation-health/:id', { PUT: health, POST: health });
}

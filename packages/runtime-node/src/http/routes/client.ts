/**
 * Internal endpoints for client agents: Nomad's client RPCs mapped to HTTP under
 * `/v1/internal/` (documented in docs/http-api.md):
 *
 *   PUT  /v1/internal/node/register          Node.Register      {Node}
 *   PUT  /v1/internal/node/:id/status        Node.UpdateStatus  {Status} (the heartbeat)
 *   GET  /v1/internal/node/:id/allocs        Node.GetClientAllocs (blocking: index, wait)
 *   POST /v1/internal/allocs/get             Alloc.GetAllocs    {AllocIDs}
 *   PUT  /v1/internal/allocs/update          Node.UpdateAlloc   {Alloc: [{ID, ClientStatus, …}]}
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeAllocation, decodeNode, type ClientAllocUpdate } from '@tsnomad/core';
import { blockingRead, bodyObject, field, HttpError, route, setIndex, type ApiContext } from '../http.js';
import { allocJson } from '../stubs.js';

const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;

export function registerClientRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;
  const ttl = (): number => ctx.config.server.minHeartbeatTtl;

  const register = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = bodyObject(req);
    const raw = field(body, 'Node', 'object', true)!;
    const decoded = decodeNode(raw);
    if (!decoded.ok) throw new HttpError(400, decoded.errors.map((e) => e.message).join('\n'));
    const node = decoded.value;
    if (!node.id) throw new HttpError(400, 'missing node ID for client registration');
    if (!node.datacenter) throw new HttpError(400, 'missing datacenter for client registration');
    if (!node.name) throw new HttpError(400, 'missing node name for client registration');
    const r = await cp().registerNode({
      ...node,
      status: node.status || 'initializing',
      nodePool: node.nodePool || 'default',
      schedulingEligibility: node.schedulingEligibility || 'eligible',
    });
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    const evalIds = [...cp().state().tables.evals.values()]
      .filter((e) => e.createIndex === r.index)
      .map((e) => e.id);
    return {
      HeartbeatTTL: ttl(),
      EvalIDs: evalIds,
      EvalCreateIndex: evalIds.length ? r.index : 0,
      NodeModifyIndex: r.index,
      LeaderRPCAddr: '',
      NumNodes: cp().state().tables.nodes.size,
      Servers: [],
      Index: r.index,
      LastContact: 0,
      KnownLeader: true,
    };
  };
  route(app, '/v1/internal/node/register', { PUT: register, POST: register });

  const status = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = params(req).id!;
    const body = bodyObject(req);
    const s = field(body, 'Status', 'string', true)!;
    if (!['initializing', 'ready', 'down', 'disconnected'].includes(s))
      throw new HttpError(400, `invalid status for node: ${JSON.stringify(s)}`);
    const node = cp().state().nodeById(id);
    if (!node) throw new HttpError(404, `node not found: ${id}`);
    const beat = await cp().heartbeat(id);
    if (!beat.ok) throw new HttpError(400, beat.error);
    let index = beat.index;
    if (cp().state().nodeById(id)?.status !== s) {
      const r = await cp().updateNodeStatus(id, s);
      if (!r.ok) throw new HttpError(400, r.error);
      index = r.index;
    }
    ctx.host.kick();
    setIndex(reply, index);
    return {
      HeartbeatTTL: ttl(),
      EvalIDs: [],
      EvalCreateIndex: 0,
      NodeModifyIndex: cp().state().nodeById(id)?.modifyIndex ?? index,
      Index: index,
      LastContact: 0,
      KnownLeader: true,
    };
  };
  route(app, '/v1/internal/node/:id/status', { PUT: status, POST: status });

  route(app, '/v1/internal/node/:id/allocs', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['allocs'], (state) => {
        const id = params(req).id!;
        if (!state.nodeById(id)) throw new HttpError(404, `node not found: ${id}`);
        const allocs: Record<string, number> = {};
        for (const a of state.allocsByNode(id)) allocs[a.id] = a.allocModifyIndex ?? a.modifyIndex;
        return {
          Allocs: allocs,
          MigrateTokens: {},
          Index: Math.max(1, state.tableIndex('allocs')),
          LastContact: 0,
          KnownLeader: true,
        };
      }),
  });

  const get = (req: FastifyRequest, reply: FastifyReply) => {
    const body = bodyObject(req);
    const ids = body.AllocIDs;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string'))
      throw new HttpError(400, 'AllocIDs: expected an array of allocation IDs');
    const state = cp().state();
    setIndex(reply, Math.max(1, state.tableIndex('allocs')));
    const allocs = [];
    for (const id of ids as string[]) {
      const a = state.allocById(id);
      if (a) allocs.push(allocJson(state, a));
    }
    return { Allocs: allocs, Index: Math.max(1, state.tableIndex('allocs')) };
  };
  route(app, '/v1/internal/allocs/get', { PUT: get, POST: get });

  const update = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = bodyObject(req);
    const list = body.Alloc;
    if (!Array.isArray(list)) throw new HttpError(400, 'Alloc: expected an array of allocations');
    const updates: ClientAllocUpdate[] = [];
    list.forEach((item, i) => {
      const d = decodeAllocation(item);
      if (!d.ok) throw new HttpError(400, d.errors.map((e) => `Alloc[${i}]: ${e.message}`).join('\n'));
      const a = d.value;
      if (!a.id) throw new HttpError(400, `Alloc[${i}].ID must be specified`);
      if (!cp().state().allocById(a.id)) throw new HttpError(404, `Alloc[${i}]: alloc not found: ${a.id}`);
      const raw = item as Record<string, unknown>;
      updates.push({
        id: a.id,
        clientStatus: a.clientStatus,
        clientDescription: a.clientDescription,
        taskStates: raw.TaskStates ? a.taskStates : undefined,
        deploymentStatus: raw.DeploymentStatus ? a.deploymentStatus : undefined,
      });
    });
    const r = await cp().updateAllocs(updates);
    if (!r.ok) throw new HttpError(400, r.error);
    ctx.host.kick();
    setIndex(reply, r.index);
    return { Index: r.index, LastContact: 0, KnownLeader: true };
  };
  route(app, '/v1/internal/allocs/update', { PUT: update, POST: update });
}

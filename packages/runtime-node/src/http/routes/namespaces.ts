/** Namespace endpoints: list, read, upsert (`/v1/namespace` and `/v1/namespace/:name`), delete. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Namespace } from '@tsnomad/core';
import {
  blockingRead,
  bodyObject,
  empty,
  field,
  HttpError,
  route,
  setIndex,
  type ApiContext,
} from '../http.js';

const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;

/** Nomad's Namespace JSON. */
export const namespaceJson = (ns: Namespace): Record<string, unknown> => ({
  Name: ns.name,
  Description: ns.description,
  Quota: '',
  Meta: ns.meta,
  Capabilities: null,
  NodePoolConfiguration: null,
  VaultConfiguration: null,
  ConsulConfiguration: null,
  CreateIndex: ns.createIndex,
  ModifyIndex: ns.modifyIndex,
});

export function registerNamespaceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;

  route(app, '/v1/namespaces', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['namespaces'], (state, q) =>
        state
          .namespaces()
          .filter((n) => n.name.startsWith(q.prefix))
          .map(namespaceJson),
      ),
  });

  const upsert = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = bodyObject(req);
    const name = field(body, 'Name', 'string', true)!;
    const pathName = params(req).name;
    if (pathName !== undefined && pathName !== name)
      throw new HttpError(400, 'Namespace name does not match request path');
    const description = field(body, 'Description', 'string') ?? '';
    const meta = field(body, 'Meta', 'object') ?? {};
    for (const [k, v] of Object.entries(meta))
      if (typeof v !== 'string')
        throw new HttpError(400, `Meta.${k}: expected a string, got ${JSON.stringify(v)}`);
    const r = await cp().upsertNamespace({ name, description, meta: meta as Record<string, string> });
    if (!r.ok) throw new HttpError(400, r.error);
    setIndex(reply, r.index);
    return empty(reply);
  };
  route(app, '/v1/namespace', { PUT: upsert, POST: upsert });

  route(app, '/v1/namespace/:name', {
    GET: (req, reply) =>
      blockingRead(ctx, req, reply, ['namespaces'], (state) => {
        const ns = state.namespaceByName(params(req).name!);
        if (!ns) throw new HttpError(404, 'Namespace not found');
        return namespaceJson(ns);
      }),
    PUT: upsert,
    POST: upsert,
    DELETE: async (req, reply) => {
      const name = params(req).name!;
      if (!cp().state().namespaceByName(name)) throw new HttpError(404, 'Namespace not found');
      const r = await cp().deleteNamespace(name);
      if (!r.ok) throw new HttpError(/default/.test(r.error) ? 400 : 409, r.error);
      setIndex(reply, r.index);
      return empty(reply);
    },
  });
}

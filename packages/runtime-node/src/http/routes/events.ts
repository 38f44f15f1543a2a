/**
 * `GET /v1/event/stream`: newline-delimited JSON, one `{"Index":N,"Events":[…]}` object per
 * committed index, `{}` every 10 s as a heartbeat. `topic=Topic:Key` filters (repeatable;
 * `Topic` alone means every key), `index=N` resumes after N from the buffer, `namespace`
 * filters (`*` for all).
 */
import type { FastifyInstance } from 'fastify';
import type { EventBatch, StreamEvent } from '../../agent/events.js';
import { HttpError, query, route, type ApiContext } from '../http.js';

/** Heartbeat period of the stream (Nomad's). */
export const EVENT_HEARTBEAT_MS = 10_000;

/** Parses the `topic` parameters into Topic -> keys ("*" for any). */
export function parseTopics(raw: string | string[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const list = raw === undefined ? ['*:*'] : Array.isArray(raw) ? raw : [raw];
  for (const t of list) {
    const parts = t.split(':');
    if (parts.length > 2 || parts[0] === '')
      throw new HttpError(
        400,
        `Invalid topic query: error parsing topics: Invalid key value pair for topic, topic: ${t}`,
      );
    const [topic, key = '*'] = parts as [string, string?];
    out.set(topic, [...(out.get(topic) ?? []), key]);
  }
  return out;
}

function matches(e: StreamEvent, topics: Map<string, string[]>, namespace: string): boolean {
  if (namespace !== '*' && e.Namespace !== '' && e.Namespace !== namespace) return false;
  for (const topic of [e.Topic, '*']) {
    const keys = topics.get(topic);
    if (!keys) continue;
    for (const k of keys) if (k === '*' || k === e.Key || (e.FilterKeys ?? []).includes(k)) return true;
  }
  return false;
}

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  route(app, '/v1/event/stream', {
    GET: (req, reply) => {
      const q = query(req);
      let after = 0;
      if (q.index !== undefined && q.index !== '') {
        if (!/^\d+$/.test(q.index))
          throw new HttpError(
            400,
            `Unable to parse index: strconv.ParseUint: parsing ${JSON.stringify(q.index)}: invalid syntax`,
          );
        after = Number(q.index);
      }
      const topics = parseTopics((req.query as Record<string, string | string[] | undefined>).topic);
      const namespace = q.namespace || 'default';
      const events = ctx.host.events;

      reply.hijack();
      const res = reply.raw;
      // One stream per connection: ending it at shutdown closes the socket too.
      res.writeHead(200, {
        Connection: 'close',
        'Content-Type': 'application/json',
        'Cache-Control': 'no-cache',
        'X-Nomad-Index': String(ctx.host.cp.consensus.appliedIndex()),
      });
      res.flushHeaders();
      let last = after > 0 ? after - 1 : 0;
      let closed = false;
      const write = (b: EventBatch): void => {
        if (closed || b.index <= last) return;
        last = b.index;
        const mine = b.events.filter((e) => matches(e, topics, namespace));
        if (mine.length) res.write(JSON.stringify({ Index: b.index, Events: mine }) + '\n');
      };
      const end = (): void => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        res.end();
      };
      // Subscribe before reading the backlog so that nothing committed in between is lost.
      const pending: EventBatch[] = [];
      let live = false;
      const unsubscribe = events.subscribe((b) => (live ? write(b) : pending.push(b)), end);
      // `index=N` resumes with the events at N and after, as Nomad's buffer does.
      for (const b of events.since(last)) write(b);
      for (const b of pending) write(b);
      live = true;
      const heartbeat = setInterval(() => {
        if (!closed) res.write('{}\n');
      }, ctx.eventHeartbeatMs);
      req.raw.on('close', end);
      res.on('close', end);
      return undefined;
    },
  });
}

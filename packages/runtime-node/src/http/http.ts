/**
 * The pieces every endpoint shares: coded errors (Nomad's `CodedError`), method routing with
 * 405, query options (`index`, `wait`, `stale`, `prefix`, `namespace`), blocking reads with
 * the `X-Nomad-*` headers, and body decoding with positioned messages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseGoDuration, type StateSnapshot, type TableName } from '@tsnomad/core';
import { visit } from 'jsonc-parser';
import type { AgentConfig } from '../agent/config.js';
import type { Logger } from '../agent/logger.js';
import type { ServerHost } from '../agent/serverHost.js';
import type { AgentMetrics } from './metrics.js';

/** An error with the HTTP status Nomad answers it with; the message is the body (plain text). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Everything a route needs. */
export interface ApiContext {
  readonly host: ServerHost;
  readonly config: AgentConfig;
  readonly logger: Logger;
  /** The HTTP address clients reach this agent at (`host:port`), once listening. */
  address(): string;
  /** Period of the event stream's `{}` heartbeat (Nomad's 10 s). */
  readonly eventHeartbeatMs: number;
  /** Request metrics, for `/v1/metrics`. */
  readonly metrics: AgentMetrics;
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';
/** A handler returns the JSON value to send, or `undefined` when it wrote the reply itself. */
export type Handler = (req: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Registers one path for every method, answering the ones not in `handlers` with Nomad's 405
 * "Invalid method" (fastify alone would answer 404).
 */
export function route(app: FastifyInstance, url: string, handlers: Partial<Record<Method, Handler>>): void {
  app.route({
    method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
    url,
    handler: async (req, reply) => {
      const m = (req.method === 'HEAD' ? 'GET' : req.method) as Method;
      const h = handlers[m];
      if (!h) throw new HttpError(405, 'Invalid method');
      const out = await h(req, reply);
      if (out === undefined || out === reply || reply.sent) return reply;
      return sendJson(req, reply, out);
    },
  });
}

/** Writes JSON (`?pretty` indents as Nomad does). */
export function sendJson(req: FastifyRequest, reply: FastifyReply, value: unknown): FastifyReply {
  const q = req.query as Record<string, string | undefined>;
  const pretty = q.pretty !== undefined && q.pretty !== '0';
  const body = pretty ? JSON.stringify(value, null, 4) + '\n' : JSON.stringify(value);
  return reply.type('application/json').send(body);
}

/** The query string as single values (the first of repeated keys). */
export function query(req: FastifyRequest): Record<string, string | undefined> {
  const q = req.query as Record<string, string | string[] | undefined>;
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(q)) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}

/** Parsed query options of a read (Nomad's QueryOptions). */
export interface QueryOptions {
  readonly index: number;
  readonly waitMs: number;
  readonly stale: boolean;
  readonly prefix: string;
  readonly namespace: string;
  readonly region: string;
}

/** Default and longest blocking wait. */
export const DEFAULT_WAIT_MS = 5 * 60_000;
export const MAX_WAIT_MS = 10 * 60_000;
/** Nomad adds up to wait/16 of random jitter so that many waiters do not wake at once. */
export const JITTER_FRACTION = 16;

/** Reads `index`, `wait`, `stale`, `prefix`, `namespace`, `region`; 400 with Nomad's wording when bad. */
export function queryOptions(req: FastifyRequest, ctx: ApiContext): QueryOptions {
  const q = query(req);
  let index = 0;
  if (q.index !== undefined && q.index !== '') {
    if (!/^\d+$/.test(q.index) || !Number.isSafeInteger(Number(q.index)))
      throw new HttpError(400, 'Invalid index');
    index = Number(q.index);
  }
  let waitMs = DEFAULT_WAIT_MS;
  if (q.wait !== undefined && q.wait !== '') {
    const ns = parseGoDuration(q.wait) ?? (/^\d+$/.test(q.wait) ? Number(q.wait) : undefined);
    if (ns === undefined || ns < 0) throw new HttpError(400, 'Invalid wait time');
    waitMs = Math.min(ns / 1e6, MAX_WAIT_MS);
  }
  let stale = false;
  if (q.stale !== undefined) {
    if (q.stale === '' || q.stale === 'true' || q.stale === '1') stale = true;
    else if (q.stale !== 'false' && q.stale !== '0')
      throw new HttpError(400, 'Expect `true` or `false` for `stale` query string parameter');
  }
  return {
    index,
    waitMs,
    stale,
    prefix: q.prefix ?? '',
    namespace: q.namespace || 'default',
    region: q.region || ctx.config.region,
  };
}

/**
 * A blocking read: with `?index=N`, waits until one of `tables` passes N (or `wait` plus
 * jitter elapses), then reads. Sets X-Nomad-Index (never 0), X-Nomad-KnownLeader and
 * X-Nomad-LastContact.
 */
export async function blockingRead<T>(
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  tables: readonly TableName[],
  read: (state: StateSnapshot, q: QueryOptions) => T,
): Promise<T> {
  const q = queryOptions(req, ctx);
  if (q.index > 0) {
    const jitter = Math.random() * (q.waitMs / JITTER_FRACTION);
    await ctx.host.waitForIndex(tables, q.index, q.waitMs + jitter);
  }
  const state = ctx.host.cp.state();
  let index = 1;
  for (const t of tables) index = Math.max(index, state.tableIndex(t));
  setQueryMeta(ctx, reply, index);
  return read(state, q);
}

/** The read headers Nomad sets on every query answer. */
export function setQueryMeta(ctx: ApiContext, reply: FastifyReply, index: number): void {
  const leader = ctx.host.cp.consensus.leadership();
  reply.header('X-Nomad-Index', String(Math.max(1, index)));
  reply.header('X-Nomad-KnownLeader', leader.leaderId !== undefined ? 'true' : 'false');
  reply.header('X-Nomad-LastContact', '0');
}

/** Answers 200 with no body (Nomad writes nothing for a nil reply); the handler returns its result. */
export function empty(reply: FastifyReply): undefined {
  void reply.send();
  return undefined;
}

/** Sets X-Nomad-Index on a write answer. */
export function setIndex(reply: FastifyReply, index: number): void {
  reply.header('X-Nomad-Index', String(index));
}

/** The request body as a JSON object, or 400 naming what is wrong. */
export function bodyObject(req: FastifyRequest, what = 'request body'): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null) throw new HttpError(400, `Missing ${what}`);
  if (typeof b !== 'object' || Array.isArray(b))
    throw new HttpError(
      400,
      `Failed to decode ${what}: expected a JSON object, got ${Array.isArray(b) ? 'an array' : typeof b}`,
    );
  return b as Record<string, unknown>;
}

/** The body, or an empty object when there is none. */
export function optionalBody(req: FastifyRequest): Record<string, unknown> {
  return req.body === undefined || req.body === null ? {} : bodyObject(req);
}

/** Reads a typed field of a body, 400 `<Field>: expected …` otherwise. */
export function field<K extends 'string' | 'number' | 'boolean' | 'object'>(
  body: Record<string, unknown>,
  name: string,
  kind: K,
  required = false,
):
  | (K extends 'string'
      ? string
      : K extends 'number'
        ? number
        : K extends 'boolean'
          ? boolean
          : Record<string, unknown>)
  | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, `${name} must be specified`);
    return undefined;
  }
  const ok = kind === 'object' ? typeof v === 'object' && !Array.isArray(v) : typeof v === kind;
  if (!ok || (kind === 'number' && !Number.isFinite(v)))
    throw new HttpError(
      400,
      `${name}: expected ${kind === 'object' ? 'an object' : `a ${kind}`}, got ${JSON.stringify(v)}`,
    );
  return v as never;
}

/**
 * Parses a request body as JSON. Fast path JSON.parse; on failure, finds the first error's
 * line and column so that the message says where.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    let where = '';
    try {
      visit(
        text,
        {
          onError(error, offset, _length, startLine, startCharacter) {
            if (!where)
              where = `line ${startLine + 1}, column ${startCharacter + 1} (offset ${offset}): ${errorName(error)}`;
          },
        },
        { disallowComments: true, allowTrailingComma: false },
      );
    } catch {
      // Hostile nesting can exhaust the stack of either parser: refuse it as bad input.
      throw new HttpError(400, 'Failed to decode request body: JSON nested too deeply');
    }
    throw new HttpError(400, `Failed to decode request body: invalid JSON at ${where || 'end of input'}`);
  }
}

const ERROR_NAMES: Record<number, string> = {
  1: 'invalid symbol',
  2: 'invalid number format',
  3: 'property name expected',
  4: 'value expected',
  5: 'colon expected',
  6: 'comma expected',
  7: 'closing brace expected',
  8: 'closing bracket expected',
  9: 'end of file expected',
  10: 'invalid comment token',
  11: 'unexpected end of comment',
  12: 'unexpected end of string',
  13: 'unexpected end of number',
  14: 'invalid unicode',
  15: 'invalid escape character',
  16: 'invalid character',
};
const errorName = (code: number): string => ERROR_NAMES[code] ?? 'syntax error';

/** Paginates a sorted list by `per_page` and `next_token` (the next item's key), Nomad style. */
export function paginate<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  items: readonly T[],
  key: (t: T) => string,
): readonly T[] {
  const q = query(req);
  let list = items;
  if (q.next_token) {
    const start = list.findIndex((t) => key(t) >= q.next_token!);
    list = start < 0 ? [] : list.slice(start);
  }
  if (q.per_page !== undefined) {
    if (!/^\d+$/.test(q.per_page))
      throw new HttpError(400, 'Failed to parse value of "per_page" as an integer');
    const n = Number(q.per_page);
    if (n > 0 && list.length > n) {
      reply.header('X-Nomad-NextToken', key(list[n]!));
      list = list.slice(0, n);
    }
  }
  return list;
}

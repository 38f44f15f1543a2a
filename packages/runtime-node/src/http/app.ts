/**
 * The HTTP API server (fastify): JSON bodies parsed with positioned errors, a body size limit
 * answered with 413, gzip when asked for, Nomad's plain-text error bodies, request metrics,
 * and every `/v1` route. No stack trace ever reaches a client.
 */
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpError, parseJsonBody, type ApiContext } from './http.js';
import { registerAllocationRoutes } from './routes/allocations.js';
import { registerClientRoutes } from './routes/client.js';
import { registerDeploymentRoutes } from './routes/deployments.js';
import { registerEventRoutes } from './routes/events.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerNamespaceRoutes } from './routes/namespaces.js';
import { registerNodeRoutes } from './routes/nodes.js';
import { registerOperatorRoutes } from './routes/operator.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** How many requests are being answered. */
    inflight(): number;
  }
}

/** Builds the fastify instance with every route (not yet listening). */
export async function createHttpApi(ctx: ApiContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: ctx.config.limits.httpMaxBodyBytes,
    // Idle keep-alive sockets close at shutdown; in-flight requests finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  });

  await app.register(compress, { global: true, encodings: ['gzip'], threshold: 1024 });

  // Every body is read as text and parsed as JSON here, whatever its content type (Nomad's
  // clients do not always send one), so that bad JSON gets a message with its position.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // Requests being answered (event streams included), for a graceful stop.
  let inflight = 0;
  app.decorate('inflight', () => inflight);
  app.addHook('onRequest', async (_req, reply) => {
    inflight++;
    reply.raw.once('close', () => inflight--);
  });

  // X-Nomad-Token is read and carried on the request (ACL enforcement is a later issue).
  app.decorateRequest('nomadToken', '');
  app.addHook('onRequest', async (req) => {
    const token = req.headers['x-nomad-token'];
    const auth = req.headers.authorization;
    (req as { nomadToken?: string }).nomadToken =
      (typeof token === 'string' ? token : '') ||
      (typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : '');
  });

  // Answers written while shutting down (blocked queries woken by the stop) close their
  // connection, so that no keep-alive socket holds the stop for its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) void reply.header('Connection', 'close');
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.observeRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    let code = 500;
    let message = 'internal error';
    if (err instanceof HttpError) {
      code = err.statusCode;
      message = err.message;
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 413;
      message = `Request body too large: the limit is ${ctx.config.limits.httpMaxBodyBytes} bytes`;
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      code = err.statusCode;
      message = err.message;
    }
    if (code >= 500)
      ctx.logger.error(
        { '@module': 'http', method: req.method, path: req.url, error: err.message, code },
        'request failed',
      );
    else
      ctx.logger.debug(
        { '@module': 'http', method: req.method, path: req.url, error: message, code },
        'request failed',
      );
    void reply.code(code).type('text/plain; charset=utf-8').send(message);
  });

  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(`Invalid URL path: ${req.url.split('?')[0]} not found`);
  });

  registerJobRoutes(app, ctx);
  registerNodeRoutes(app, ctx);
  registerAllocationRoutes(app, ctx);
  registerDeploymentRoutes(app, ctx);
  registerNamespaceRoutes(app, ctx);
  registerOperatorRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerClientRoutes(app, ctx);
  return app;
}

/**
 * `startAgent(config)`: the one public way to host a tsnomad agent — the server (core's
 * ControlPlane on the wall clock) and the HTTP API. The `tsnomad agent` command is a thin
 * wrapper over it; tests and tools host an agent in-process with it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { createHttpApi } from '../http/app.js';
import type { ApiContext } from '../http/http.js';
import { createAgentMetrics } from '../http/metrics.js';
import { EVENT_HEARTBEAT_MS } from '../http/routes/events.js';
import type { AgentConfig, LogLevel } from './config.js';
import { createLogger, setLogLevel, type Logger } from './logger.js';
import { startServerHost, type ConsensusFactory, type ServerHost } from './serverHost.js';

/** Options of {@link startAgent} besides the configuration. */
export interface StartAgentOptions {
  /** Builds the consensus (the durable store); default core's single-node log in memory. */
  readonly consensus?: ConsensusFactory | undefined;
  /** Where log lines go (default stdout). */
  readonly logStream?: Writable | undefined;
  /** Event stream heartbeat period; default Nomad's 10 s (tests shorten it). */
  readonly eventHeartbeatMs?: number | undefined;
}

/** A running agent. */
export interface AgentHandle {
  /** `http://host:port` of the HTTP API. */
  readonly address: string;
  readonly config: AgentConfig;
  readonly logger: Logger;
  readonly server: ServerHost;
  /** The data directory in use (a temporary one in dev mode, removed at stop). */
  readonly dataDir: string;
  /** Changes the log level (SIGHUP reloads it from the configuration). */
  setLogLevel(level: LogLevel): void;
  /**
   * Graceful stop: stop accepting, answer blocked queries, finish in-flight requests and
   * writes, stop the workers and flush the consensus. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts an agent: its server and HTTP API on `addresses.http:ports.http` (port 0: any free).
 * @example
 * const agent = await startAgent(resolveConfig(mergeConfig(devConfig(), { ports: { http: 0 } }), { devMode: true }));
 * await fetch(`${agent.address}/v1/jobs`);
 * await agent.stop();
 */
export async function startAgent(config: AgentConfig, opts: StartAgentOptions = {}): Promise<AgentHandle> {
  const logger = createLogger({
    level: config.logLevel,
    json: config.logJson,
    file: config.logFile || undefined,
    stream: opts.logStream,
  });
  if (!config.server.enabled)
    throw new Error(
      'this agent runs servers only for now: enable the server (-server or server { enabled = true })',
    );
  const tempDir = config.dataDir === '' ? mkdtempSync(join(tmpdir(), 'tsnomad-')) : undefined;
  const dataDir = tempDir ?? config.dataDir;
  mkdirSync(join(dataDir, 'server'), { recursive: true });
  const effective: AgentConfig = { ...config, dataDir };

  const host = await startServerHost(effective, logger, opts.consensus);
  const metrics = createAgentMetrics(() => host);
  let address = '';
  const ctx: ApiContext = {
    host,
    config: effective,
    logger,
    metrics,
    eventHeartbeatMs: opts.eventHeartbeatMs ?? EVENT_HEARTBEAT_MS,
    address: () => address,
  };
  const app = await createHttpApi(ctx);
  try {
    await app.listen({ host: effective.addresses.http, port: effective.ports.http });
  } catch (e) {
    await host.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  const a = app.server.address();
  const port = typeof a === 'object' && a ? a.port : effective.ports.http;
  const shownHost = effective.addresses.http === '0.0.0.0' ? '127.0.0.1' : effective.addresses.http;
  address = `${shownHost}:${port}`;
  logger.info({ '@module': 'http', address: `http://${address}`, data_dir: dataDir }, 'agent started');

  let stopping: Promise<void> | undefined;
  const server = host;
  return {
    address: `http://${address}`,
    config: { ...effective, ports: { ...effective.ports, http: port } },
    logger,
    server,
    dataDir,
    setLogLevel: (level) => setLogLevel(logger, level),
    stop() {
      stopping ??= (async () => {
        logger.info({ '@module': 'agent' }, 'shutting down');
        // Stop accepting, wake blocked queries and end event streams, let in-flight requests
        // finish (bounded), then drop the idle keep-alive sockets.
        const closing = app.close();
        server.release();
        const deadline = Date.now() + 30_000;
        while (app.inflight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        app.server.closeAllConnections();
        await closing;
        await server.stop();
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
        logger.info({ '@module': 'agent' }, 'shutdown complete');
      })();
      return stopping;
    },
  };
}

/**
 * A minimal durable registration server for the crash test and the `api-register` benchmark,
 * until `tsnomad agent` with durable state is on main: core's ControlPlane on the durable
 * consensus, serving Nomad's `PUT /v1/jobs`, `GET /v1/jobs` and `GET /v1/evaluations` shapes
 * over node:http on loopback. Run: `node --conditions=source --import tsx
 * benchmarks/api-register-host.ts <data_dir>`; prints `LISTENING <port>` then serves until killed.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  canonicalizeJob,
  createControlPlane,
  decodeJob,
  validateJob,
  type Clock,
  type Job,
} from '@tsnomad/core';
import { openDurableConsensus } from '@tsnomad/runtime-node';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: api-register-host.ts <data_dir>');
  process.exit(2);
}
const MAX_BODY = 1 << 20;
const wallClock: Clock = { now: () => Date.now() * 1e6 };
const consensus = openDurableConsensus({ dataDir });
// A fresh seed per process: evaluation IDs drawn after a restart never repeat earlier ones.
const cp = createControlPlane({ clock: wallClock, consensus, seed: randomUUID() });
console.log(`RECOVERY ${JSON.stringify(consensus.recovery)}`);

const send = (res: ServerResponse, status: number, body: unknown, index?: number): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...(index !== undefined ? { 'X-Nomad-Index': String(index) } : {}),
  });
  res.end(text);
};

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (b: Buffer) => {
      n += b.length;
      if (n <= MAX_BODY) parts.push(b);
    });
    req.on('end', () => resolve(n > MAX_BODY ? undefined : Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

async function register(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req);
  if (text === undefined) return send(res, 413, `request body larger than ${MAX_BODY} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return send(res, 400, `invalid JSON: ${(e as Error).message}`);
  }
  const decoded = decodeJob(json);
  if (!decoded.ok) return send(res, 400, decoded.errors.map((e) => e.message).join('; '));
  const job: Job = canonicalizeJob(decoded.value);
  const problems = validateJob(job);
  if (problems.length > 0) return send(res, 400, problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  const r = await cp.registerJob(job);
  if (!r.ok) return send(res, 500, r.error);
  send(
    res,
    200,
    {
      EvalID: r.evalId ?? '',
      EvalCreateIndex: r.evalId ? r.index : 0,
      JobModifyIndex: r.index,
      Index: r.index,
    },
    r.index,
  );
}

const server = createServer({ keepAlive: true }, (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/v1/jobs' && (req.method === 'PUT' || req.method === 'POST')) {
    register(req, res).catch((e: Error) => send(res, 500, e.message));
    return;
  }
  const state = cp.state();
  if (path === '/v1/jobs' && req.method === 'GET')
    return send(
      res,
      200,
      state.jobs().map((j) => ({ ID: j.id, CreateIndex: j.createIndex, JobModifyIndex: j.jobModifyIndex })),
      state.index,
    );
  if (path === '/v1/evaluations' && req.method === 'GET')
    return send(
      res,
      200,
      [...state.tables.evals.values()].map((e) => ({ ID: e.id, JobID: e.jobId, CreateIndex: e.createIndex })),
      state.index,
    );
  // Group-commit counters, for the benchmark's report.
  if (path === '/v1/store/stats' && req.method === 'GET') return send(res, 200, consensus.stats());
  send(res, 404, `no handler for ${req.method} ${path}`);
});
server.keepAliveTimeout = 30_000;
// A deep accept queue: a thousand clients connecting at once would otherwise wait out SYN retries.
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const a = server.address();
  console.log(`LISTENING ${typeof a === 'object' && a ? a.port : 0}`);
});
const stop = (): void => {
  server.close();
  void consensus.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

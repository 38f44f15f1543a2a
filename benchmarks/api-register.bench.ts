/**
 * Durable job registrations over HTTP: a server process (core's ControlPlane on the durable
 * SQLite consensus, `benchmarks/api-register-host.ts`, bundled like this file) on loopback,
 * driven with keep-alive connections and 64 requests in flight. Every answered registration is
 * fsynced (group commit). Reports registrations per second, p50/p99 latency, the server's CPU
 * time per registration (the machine is shared, so wall time varies) and the mean group-commit
 * batch. Goal (issue 14): >= 2,000 durable registrations/s on a 2-core machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { median, type BenchOptions, type BenchResult } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const IN_FLIGHT = 64;

const external: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) =>
      a.path.startsWith('@tsnomad/') ? undefined : { path: a.path, external: true },
    );
  },
};

const jobBody = (id: string): string =>
  JSON.stringify({
    Job: {
      ID: id,
      Name: id,
      Type: 'batch',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'g',
          Count: 1,
          Tasks: [
            {
              Name: 't',
              Driver: 'raw_exec',
              Config: { command: '/bin/true' },
              Resources: { CPU: 100, MemoryMB: 64 },
            },
          ],
        },
      ],
    },
  });

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// utime + stime of a process, in ms (Linux /proc; clock ticks are 100 Hz here).
const cpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

async function drive(
  agent: Agent,
  port: number,
  prefix: string,
  n: number,
  latencies?: number[],
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      const r = await call(agent, port, 'PUT', '/v1/jobs', jobBody(`${prefix}-${i}`));
      if (r.status !== 200) throw new Error(`registration ${i}: ${r.status} ${r.text}`);
      latencies?.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

export default async function apiRegister(opts: BenchOptions): Promise<BenchResult> {
  const warm = opts.quick ? 500 : 3000;
  const timed = opts.quick ? 3000 : 20000;
  const dataDir = mkdtempSync(join(tmpdir(), 'tsnomad-bench-'));
  const bundle = join(here, '.api-register-host.bundle.mjs');
  await build({
    entryPoints: [join(here, 'api-register-host.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    plugins: [external],
    logLevel: 'warning',
  });
  const child = spawn(process.execPath, [bundle, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /^LISTENING (\d+)$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (c) => reject(new Error(`host exited (${c}): ${out}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    await drive(agent, port, 'warm', warm);
    const stats0 = JSON.parse((await call(agent, port, 'GET', '/v1/store/stats')).text) as {
      batches: number;
      entries: number;
    };
    const latencies: number[] = [];
    const cpu0 = cpuMs(child.pid!);
    const t0 = performance.now();
    await drive(agent, port, 'job', timed, latencies);
    const wallMs = performance.now() - t0;
    const serverCpuMs = cpuMs(child.pid!) - cpu0;
    const stats1 = JSON.parse((await call(agent, port, 'GET', '/v1/store/stats')).text) as {
      batches: number;
      entries: number;
      maxBatch: number;
    };
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    const batches = stats1.batches - stats0.batches;
    return {
      summary: {
        registrations: timed,
        inFlight: IN_FLIGHT,
        durable: true,
        registrationsPerSecond: Math.round((timed * 1000) / wallMs),
        p50Ms: Number(median(latencies).toFixed(1)),
        p99Ms: Number(p99.toFixed(1)),
        // Wall time depends on what else runs on the machine; the server's CPU time does not.
        serverCpuMsPerRegistration: Number((serverCpuMs / timed).toFixed(3)),
        registrationsPerServerCpuSecond: Math.round((timed * 1000) / serverCpuMs),
        meanBatch: Number(((stats1.entries - stats0.entries) / batches).toFixed(1)),
        goalPerSecond: 2000,
      },
      details: {
        warmup: warm,
        wallMs: Math.round(wallMs),
        serverCpuMs,
        batches,
        maxBatch: stats1.maxBatch,
        host: 'benchmarks/api-register-host.ts',
      },
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(bundle, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

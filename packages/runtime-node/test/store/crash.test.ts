/**
 * The crash test of issue 14: 1,000 concurrent job registrations over HTTP against a real server
 * process on loopback, `kill -9` at several points, restart on the same data_dir: every
 * registration answered 200 is there with the index it was given; none that got no answer is
 * half-applied (a job without the evaluation committed with it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const HOST = fileURLToPath(new URL('../../../../benchmarks/api-register-host.ts', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Host {
  child: ChildProcess;
  port: number;
  recovery: { lastIndex: number; cut?: unknown; wal: { problem?: string } };
  exited: Promise<number | null>;
}

function startHost(dataDir: string): Promise<Host> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', HOST, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      children.delete(child);
      r(code);
    }),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let recovery: Host['recovery'] | undefined;
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const r = /^RECOVERY (.*)$/m.exec(out);
      if (r) recovery = JSON.parse(r[1]!) as Host['recovery'];
      const m = /^LISTENING (\d+)$/m.exec(out);
      if (m && recovery) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), recovery, exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`host exited (${code}) before listening: ${out}`)));
  });
}

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString()) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const jobBody = (id: string) => ({
  Job: {
    ID: id,
    Name: id,
    Type: 'batch',
    Datacenters: ['dc1'],
    TaskGroups: [
      { Name: 'g', Count: 1, Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/true' } }] },
    ],
  },
});

type KillPoint = { afterAcks: number } | { afterMs: number };

async function crashRound(dataDir: string, round: number, kill: KillPoint) {
  const host = await startHost(dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const acked = new Map<string, number>();
  const unanswered = new Set<string>();
  let killed = false;
  const killNow = (): void => {
    if (killed) return;
    killed = true;
    host.child.kill('SIGKILL');
  };
  if ('afterMs' in kill) setTimeout(killNow, kill.afterMs);
  const ids = Array.from({ length: 1000 }, (_, i) => `r${round}-job-${String(i).padStart(4, '0')}`);
  await Promise.all(
    ids.map(async (id) => {
      try {
        const r = await call(agent, host.port, 'PUT', '/v1/jobs', jobBody(id));
        if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.json)}`);
        acked.set(id, (r.json as { JobModifyIndex: number }).JobModifyIndex);
        if ('afterAcks' in kill && acked.size >= kill.afterAcks) killNow();
      } catch (e) {
        // A refused request would be a bug; only a dropped connection counts as "no answer".
        if (!killed) throw e;
        unanswered.add(id);
      }
    }),
  );
  killNow();
  agent.destroy();
  expect(await host.exited).toBe(null); // killed by the signal, not exited
  return { acked, unanswered };
}

describe('crash test: kill -9 during 1,000 concurrent registrations', () => {
  it('keeps every acknowledged registration at its index and never half-applies the rest', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tsnomad-crash-'));
    dirs.push(dataDir);
    // Early, middle, late and a time-based point (which may fall before or after the first answers).
    const r = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
    const points: KillPoint[] = [
      { afterAcks: r(1, 60) },
      { afterAcks: r(400, 600) },
      { afterAcks: r(940, 1000) },
      { afterMs: r(100, 600) },
    ];
    console.log(`crash test kill points: ${JSON.stringify(points)}`);
    const allAcked = new Map<string, number>();
    const allUnanswered = new Set<string>();
    for (const [round, kill] of points.entries()) {
      const { acked, unanswered } = await crashRound(dataDir, round, kill);
      if ('afterAcks' in kill) expect(acked.size).toBeGreaterThanOrEqual(kill.afterAcks);
      expect(acked.size + unanswered.size).toBe(1000);
      for (const [k, v] of acked) allAcked.set(k, v);
      for (const k of unanswered) allUnanswered.add(k);

      // Restart on the same data_dir and read everything back over HTTP.
      const host = await startHost(dataDir);
      const agent = new Agent({ keepAlive: true });
      try {
        expect(host.recovery.cut).toBeUndefined();
        const jobs = (await call(agent, host.port, 'GET', '/v1/jobs')).json as {
          ID: string;
          JobModifyIndex: number;
        }[];
        const evals = (await call(agent, host.port, 'GET', '/v1/evaluations')).json as {
          JobID: string;
          CreateIndex: number;
        }[];
        const jobIndex = new Map(jobs.map((j) => [j.ID, j.JobModifyIndex]));
        const evalIndexes = new Map<string, number[]>();
        for (const e of evals) evalIndexes.set(e.JobID, [...(evalIndexes.get(e.JobID) ?? []), e.CreateIndex]);

        for (const [id, index] of allAcked) {
          expect(jobIndex.get(id), `acknowledged ${id}`).toBe(index);
          expect(evalIndexes.get(id), `evaluation of acknowledged ${id}`).toEqual([index]);
        }
        for (const id of allUnanswered) {
          const index = jobIndex.get(id);
          // Committed but unanswered is fine; then it is whole: its evaluation at the same index.
          if (index === undefined) expect(evalIndexes.has(id), `stray evaluation of ${id}`).toBe(false);
          else expect(evalIndexes.get(id), `evaluation of unanswered ${id}`).toEqual([index]);
        }
        // Nothing else, and the log has no holes: indexes 1..N, one per registration.
        expect(jobs.length).toBe(evals.length);
        const sorted = jobs.map((j) => j.JobModifyIndex).sort((a, b) => a - b);
        expect(sorted).toEqual(sorted.map((_, i) => i + 1));
        expect(host.recovery.lastIndex).toBe(jobs.length);
      } finally {
        agent.destroy();
        host.child.kill('SIGTERM');
        expect(await host.exited).toBe(0);
      }
    }
    expect(allAcked.size).toBeGreaterThan(1000);
  }, 400_000);
});

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests walk untyped JSON answers */
/**
 * End to end: the built `tsnomad agent -dev` as a child process, driven only over HTTP — a job
 * from HCL through /v1/jobs/parse and /v1/jobs, read back with Nomad's JSON, planned with a
 * diff, scaled, stopped and purged; blocking queries; the event stream.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, type AgentProcess } from './helpers/agentProcess.js';
import { call, EXAMPLE_HCL, testNode } from './helpers/http.js';

const EXPECTED_JOB = JSON.parse(
  readFileSync(new URL('./fixtures/example-job.expected.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
// Fields the server sets at registration time.
const VOLATILE = ['SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'Status', 'Version'];

let agent: AgentProcess;
let A: string;
let apiJob: Record<string, unknown>;

beforeAll(async () => {
  agent = await spawnAgent();
  A = agent.address;
  const n = await call(A, 'PUT', '/v1/internal/node/register', {
    Node: testNode('6a1b0c3d-1111-4222-8333-000000000001'),
  });
  expect(n.status).toBe(200);
});

afterAll(async () => {
  expect(await agent.stop('SIGTERM')).toBe(0);
});

const index = (h: Headers): number => Number(h.get('x-nomad-index'));

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a job from HCL, end to end over HTTP', () => {
  it('parses HCL into Nomad API JSON with /v1/jobs/parse', async () => {
    const r = await call<Record<string, unknown>>(A, 'POST', '/v1/jobs/parse', {
      JobHCL: EXAMPLE_HCL,
      Canonicalize: true,
    });
    expect(r.status).toBe(200);
    apiJob = r.body;
    expect(apiJob).toMatchObject({ ID: 'example', Type: 'service', Datacenters: ['dc1'] });
    expect((apiJob.TaskGroups as { Count: number }[])[0]!.Count).toBe(2);
  });

  it('registers it with PUT /v1/jobs and creates an evaluation', async () => {
    const r = await call<Record<string, unknown>>(A, 'PUT', '/v1/jobs', { Job: apiJob });
    expect(r.status).toBe(200);
    expect(r.body.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.JobModifyIndex).toBeGreaterThan(0);
    expect(index(r.headers)).toBe(r.body.Index);
  });

  it('reads it back with the field names, order and defaults Nomad returns', async () => {
    const r = await call<Record<string, unknown>>(A, 'GET', '/v1/job/example');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-nomad-knownleader')).toBe('true');
    expect(r.headers.get('x-nomad-lastcontact')).toBe('0');
    const got = { ...r.body };
    for (const k of VOLATILE) {
      expect(got).toHaveProperty(k);
      delete got[k];
    }
    // Same keys in the same order, same values (JSON text compared).
    expect(JSON.stringify(got, null, 2)).toBe(JSON.stringify(EXPECTED_JOB, null, 2));
  });

  it('places the allocations on the registered node', async () => {
    const allocs = await waitFor(async () => {
      const r = await call<{ ClientStatus: string; NodeID: string }[]>(
        A,
        'GET',
        '/v1/job/example/allocations',
      );
      return r.body.length === 2 ? r.body : undefined;
    });
    expect(allocs.every((a) => a.NodeID === '6a1b0c3d-1111-4222-8333-000000000001')).toBe(true);
  });

  it('plans a change with a diff and commits nothing', async () => {
    const before = await call(A, 'GET', '/v1/job/example');
    const changed = structuredClone(apiJob) as { TaskGroups: { Count: number }[] };
    changed.TaskGroups[0]!.Count = 3;
    const r = await call<Record<string, any>>(A, 'POST', '/v1/job/example/plan', {
      Job: changed,
      Diff: true,
    });
    expect(r.status).toBe(200);
    expect(r.body.Annotations.DesiredTGUpdates.web.Place).toBe(1);
    expect(r.body.Diff.Type).toBe('Edited');
    expect(r.body.Diff.TaskGroups[0]).toMatchObject({
      Type: 'Edited',
      Name: 'web',
      Fields: [{ Type: 'Edited', Name: 'Count', Old: '2', New: '3', Annotations: ['forces create'] }],
    });
    expect(r.body.JobModifyIndex).toBe((before.body as { JobModifyIndex: number }).JobModifyIndex);
    const after = await call(A, 'GET', '/v1/job/example');
    expect(index(after.headers)).toBe(index(before.headers));
  });

  it('scales a group with POST /v1/job/:id/scale and reports it in GET', async () => {
    const r = await call<Record<string, unknown>>(A, 'POST', '/v1/job/example/scale', {
      Count: 3,
      Target: { Group: 'web' },
      Message: 'more',
    });
    expect(r.status).toBe(200);
    expect(r.body.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    const s = await waitFor(async () => {
      const g = await call<Record<string, any>>(A, 'GET', '/v1/job/example/scale');
      return g.body.TaskGroups.web.Placed === 3 ? g.body : undefined;
    });
    expect(s.TaskGroups.web.Desired).toBe(3);
    expect(s.TaskGroups.web.Events[0]).toMatchObject({ Count: 3, PreviousCount: 2, Message: 'more' });
  });

  it('stops the job with DELETE /v1/job/:id, then purges it', async () => {
    const stop = await call<Record<string, unknown>>(A, 'DELETE', '/v1/job/example');
    expect(stop.status).toBe(200);
    const stopped = await call<Record<string, unknown>>(A, 'GET', '/v1/job/example');
    expect(stopped.body.Stop).toBe(true);
    await waitFor(async () => {
      const r = await call<{ DesiredStatus: string }[]>(A, 'GET', '/v1/job/example/allocations');
      return r.body.every((a) => a.DesiredStatus === 'stop') ? true : undefined;
    });
    const purge = await call(A, 'DELETE', '/v1/job/example?purge=true');
    expect(purge.status).toBe(200);
    const gone = await call(A, 'GET', '/v1/job/example');
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('job not found');
  });
});

describe('blocking queries', () => {
  const job = (count: number) => {
    const j = structuredClone(apiJob) as Record<string, any>;
    j.ID = j.Name = 'blocking';
    j.TaskGroups[0].Count = count;
    return j;
  };

  it('wakes /v1/job/:id/allocations within 100 ms of a change', async () => {
    expect((await call(A, 'PUT', '/v1/jobs', { Job: job(1) })).status).toBe(200);
    const first = await waitFor(async () => {
      const r = await call<unknown[]>(A, 'GET', '/v1/job/blocking/allocations');
      return r.body.length === 1 ? r : undefined;
    });
    await new Promise((r) => setTimeout(r, 200)); // let the workers settle
    const at = index((await call(A, 'GET', '/v1/job/blocking/allocations')).headers);
    expect(at).toBeGreaterThanOrEqual(index(first.headers));
    let answeredAt = 0;
    const blocked = call<unknown[]>(A, 'GET', `/v1/job/blocking/allocations?index=${at}&wait=30s`).then(
      (r) => {
        answeredAt = performance.now();
        return r;
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(answeredAt).toBe(0); // still blocked
    const alloc = (first.body as { ID: string }[])[0]!;
    const writtenAt = performance.now();
    const u = await call(A, 'PUT', '/v1/internal/allocs/update', {
      Alloc: [{ ID: alloc.ID, ClientStatus: 'running' }],
    });
    expect(u.status).toBe(200);
    const r = await blocked;
    expect(r.status).toBe(200);
    expect(index(r.headers)).toBeGreaterThan(at);
    expect(answeredAt - writtenAt).toBeLessThan(100);
  });

  it('answers at `wait` when nothing changes, with the same index', async () => {
    const now = await call(A, 'GET', '/v1/job/blocking/allocations');
    const at = index(now.headers);
    const t0 = performance.now();
    const r = await call(A, 'GET', `/v1/job/blocking/allocations?index=${at}&wait=1s`);
    const took = performance.now() - t0;
    expect(r.status).toBe(200);
    expect(index(r.headers)).toBe(at);
    expect(took).toBeGreaterThanOrEqual(990);
    expect(took).toBeLessThan(1000 + 1000 / 16 + 1500); // wait + Nomad's jitter (at most wait/16) + slack for a loaded machine
  });
});

describe('the event stream', () => {
  // Reads ndjson lines from /v1/event/stream until `enough` says stop.
  async function readStream(path: string, enough: (events: any[]) => boolean): Promise<any[]> {
    const ctrl = new AbortController();
    const res = await fetch(A + path, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    const batches: any[] = [];
    const timer = setTimeout(() => ctrl.abort(), 10_000);
    try {
      while (!enough(batches)) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim() && line !== '{}') batches.push(JSON.parse(line));
        }
      }
    } finally {
      clearTimeout(timer);
      ctrl.abort();
    }
    return batches;
  }

  it("delivers a job's events in index order and resumes from an index after a reconnect", async () => {
    const start = index((await call(A, 'GET', '/v1/jobs')).headers);
    const j = structuredClone(apiJob) as Record<string, any>;
    j.ID = j.Name = 'streamed';
    const stream = readStream(`/v1/event/stream?topic=Job:streamed&index=${start + 1}`, (b) => b.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(A, 'PUT', '/v1/jobs', { Job: j })).status).toBe(200);
    j.Meta = { v: '2' };
    expect((await call(A, 'PUT', '/v1/jobs', { Job: j })).status).toBe(200);
    const batches = await stream;
    const events = batches.flatMap((b) => b.Events);
    expect(events.map((e) => [e.Topic, e.Type, e.Key])).toEqual([
      ['Job', 'JobRegistered', 'streamed'],
      ['Job', 'JobRegistered', 'streamed'],
    ]);
    expect(batches[0].Index).toBeLessThan(batches[1].Index);
    expect(events[1].Payload.Job.Meta).toEqual({ v: '2' });
    // Reconnect from the second event's index: it comes again, nothing before it.
    const resumed = await readStream(
      `/v1/event/stream?topic=Job:streamed&index=${batches[1].Index}`,
      (b) => b.length >= 1,
    );
    expect(resumed[0].Index).toBe(batches[1].Index);
    expect(resumed[0].Events[0].Payload.Job.Meta).toEqual({ v: '2' });
  });

  it('filters by topic: Evaluation events carry the job as a filter key', async () => {
    const batches = await readStream(
      '/v1/event/stream?topic=Evaluation:streamed&index=1',
      (b) => b.length >= 1,
    );
    expect(batches[0].Events[0]).toMatchObject({ Topic: 'Evaluation', Type: 'EvaluationUpdated' });
    expect(batches[0].Events[0].FilterKeys).toContain('streamed');
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests walk untyped JSON answers */
/**
 * Every `/v1` endpoint against an agent hosted in-process (real HTTP on loopback): paths,
 * methods, Nomad's JSON shapes and headers.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentHandle } from '../src/agent/startAgent.js';
import { call, EXAMPLE_HCL, testNode } from './helpers/http.js';
import { startTestAgent } from './helpers/inProcess.js';

let agent: AgentHandle;
let A: string;
const NODE = '7c2d1e4f-2222-4333-8444-000000000001';

const get = <T = any>(path: string) => call<T>(A, 'GET', path);
const put = <T = any>(path: string, body?: unknown) => call<T>(A, 'PUT', path, body);
const post = <T = any>(path: string, body?: unknown) => call<T>(A, 'POST', path, body);
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

/** A service job in API JSON, from the example HCL with another ID and count. */
async function apiJob(id: string, count = 1, hcl = EXAMPLE_HCL): Promise<any> {
  const r = await post('/v1/jobs/parse', {
    JobHCL: hcl.replace('job "example"', `job "${id}"`),
    Canonicalize: true,
  });
  expect(r.status).toBe(200);
  r.body.TaskGroups[0].Count = count;
  return r.body;
}

async function register(job: any): Promise<any> {
  const r = await put('/v1/jobs', { Job: job });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

beforeAll(async () => {
  agent = await startTestAgent();
  A = agent.address;
  expect((await put('/v1/internal/node/register', { Node: testNode(NODE, 'node-1') })).status).toBe(200);
});
afterAll(async () => {
  await agent.stop();
});

describe('jobs', () => {
  it('GET /v1/jobs lists stubs with prefix, namespace=* and per_page/next_token', async () => {
    for (const id of ['list-a', 'list-b', 'list-c']) await register(await apiJob(id));
    const all = await get('/v1/jobs?prefix=list-');
    expect(all.body.map((j: any) => j.ID)).toEqual(['list-a', 'list-b', 'list-c']);
    expect(all.body[0]).toMatchObject({
      ID: 'list-a',
      Type: 'service',
      Namespace: 'default',
      Status: expect.any(String),
      JobSummary: { JobID: 'list-a' },
    });
    expect(Object.keys(all.body[0])).toContain('JobModifyIndex');
    const page = await get('/v1/jobs?prefix=list-&per_page=2');
    expect(page.body.map((j: any) => j.ID)).toEqual(['list-a', 'list-b']);
    expect(page.headers.get('x-nomad-nexttoken')).toBe('list-c');
    const next = await get('/v1/jobs?prefix=list-&per_page=2&next_token=list-c');
    expect(next.body.map((j: any) => j.ID)).toEqual(['list-c']);
    const filtered = await get(
      `/v1/jobs?filter=${encodeURIComponent('ID matches "^list-[ab]$" and Type == "service"')}`,
    );
    expect(filtered.body.map((j: any) => j.ID)).toEqual(['list-a', 'list-b']);
    const nodes = await get(`/v1/nodes?filter=${encodeURIComponent('Name == "node-1"')}`);
    expect(nodes.body.map((n: any) => n.ID)).toEqual([NODE]);
    const star = await get('/v1/jobs?namespace=*&prefix=list-a&meta=true');
    expect(star.body).toHaveLength(1);
    expect(star.body[0]).toHaveProperty('Meta');
  });

  it('PUT /v1/jobs honours EnforceIndex (409 on a stale index)', async () => {
    const job = await apiJob('enforced');
    const first = await put('/v1/jobs', { Job: job, EnforceIndex: true, JobModifyIndex: 0 });
    expect(first.status).toBe(200);
    const again = await put('/v1/jobs', { Job: job, EnforceIndex: true, JobModifyIndex: 0 });
    expect(again.status).toBe(409);
    expect(again.text).toBe('Enforcing job modify index 0: job already exists');
    const ok = await put('/v1/jobs', {
      Job: { ...job, Meta: { x: '1' } },
      EnforceIndex: true,
      JobModifyIndex: first.body.JobModifyIndex,
    });
    expect(ok.status).toBe(200);
  });

  it('POST /v1/job/:id registers too, and refuses a mismatched ID', async () => {
    const job = await apiJob('by-path');
    expect((await post('/v1/job/by-path', { Job: job })).status).toBe(200);
    const bad = await post('/v1/job/other', { Job: job });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('Job ID does not match name');
  });

  it('POST /v1/jobs/parse takes HCL variables and returns API JSON (not canonicalized by default)', async () => {
    const hcl =
      'variable "n" {\n  type = number\n}\njob "vars" {\n  group "g" {\n    count = var.n\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n';
    const r = await post('/v1/jobs/parse', { JobHCL: hcl, Variables: 'n = 3\n' });
    expect(r.status).toBe(200);
    expect(r.body.ID).toBe('vars');
    expect(r.body.TaskGroups[0].Count).toBe(3);
    expect(r.body.Priority).toBeUndefined(); // defaults only with Canonicalize
    const bad = await post('/v1/jobs/parse', { JobHCL: 'job "x" {\n  group = = 1\n}\n' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/^input\.hcl:2:\d+: /);
  });

  it('POST /v1/validate/job reports validation errors with their paths', async () => {
    const ok = await post('/v1/validate/job', { Job: await apiJob('valid') });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ValidationErrors: [], Error: '' });
    const job = await apiJob('invalid');
    job.TaskGroups[0].Count = -1;
    const bad = await post('/v1/validate/job', { Job: job });
    expect(bad.status).toBe(200);
    expect(bad.body.ValidationErrors.join('\n')).toMatch(/TaskGroups\[0\]\.Count|count/i);
  });

  it('GET /v1/job/:id/versions lists versions newest first, with diffs on request', async () => {
    const job = await apiJob('versioned');
    await register(job);
    await register({ ...job, Meta: { v: '2' } });
    const r = await get('/v1/job/versioned/versions?diffs=true');
    expect(r.status).toBe(200);
    expect(r.body.Versions.map((j: any) => j.Version)).toEqual([1, 0]);
    expect(r.body.Diffs[0].Type).toBe('Edited');
    expect(r.body.Diffs[0].Objects[0]).toMatchObject({ Name: 'Meta', Type: 'Added' });
  });

  it('GET /v1/job/:id/allocations, /evaluations and /summary', async () => {
    await register(await apiJob('reads', 2));
    const allocs = await waitFor(async () => {
      const r = await get('/v1/job/reads/allocations');
      return r.body.length === 2 ? r.body : undefined;
    });
    expect(allocs[0]).toMatchObject({
      JobID: 'reads',
      TaskGroup: 'web',
      NodeID: NODE,
      NodeName: 'node-1',
      JobType: 'service',
      DesiredStatus: 'run',
    });
    const evals = await get('/v1/job/reads/evaluations');
    expect(evals.body[0]).toMatchObject({ JobID: 'reads', TriggeredBy: 'job-register' });
    const summary = await get('/v1/job/reads/summary');
    expect(summary.body).toMatchObject({
      JobID: 'reads',
      Namespace: 'default',
      Summary: { web: { Starting: 2 } },
    });
  });

  it('POST /v1/job/:id/plan on a new job shows an Added diff and commits nothing', async () => {
    const before = (await get('/v1/agent/self')).body.stats.raft.applied_index;
    const r = await post('/v1/job/planned/plan', { Job: await apiJob('planned', 2), Diff: true });
    expect(r.status).toBe(200);
    expect(r.body.Diff.Type).toBe('Added');
    expect(r.body.Annotations.DesiredTGUpdates.web.Place).toBe(2);
    expect(r.body.JobModifyIndex).toBe(0);
    expect((await get('/v1/job/planned')).status).toBe(404);
    expect((await get('/v1/agent/self')).body.stats.raft.applied_index).toBe(before);
  });

  it('POST /v1/job/:id/evaluate creates an evaluation', async () => {
    await register(await apiJob('evaluated'));
    const r = await post('/v1/job/evaluated/evaluate', {});
    expect(r.status).toBe(200);
    const e = await get(`/v1/evaluation/${r.body.EvalID}`);
    expect(e.body.JobID).toBe('evaluated');
  });

  it('POST /v1/job/:id/dispatch dispatches a parameterized job', async () => {
    const hcl =
      'job "batchy" {\n  type = "batch"\n  parameterized {\n    meta_required = ["who"]\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n';
    const job = (await post('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true })).body;
    await register(job);
    const r = await post('/v1/job/batchy/dispatch', { Meta: { who: 'me' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.DispatchedJobID).toMatch(/^batchy\/dispatch-/);
    const child = await get(`/v1/job/${r.body.DispatchedJobID}`);
    expect(child.status).toBe(200);
    expect(child.body.ParentID).toBe('batchy');
    const missing = await post('/v1/job/batchy/dispatch', { Meta: {} });
    expect(missing.status).toBe(400);
  });

  it('POST /v1/job/:id/periodic/force launches a periodic child now', async () => {
    const hcl =
      'job "cron" {\n  type = "batch"\n  periodic {\n    crons = ["0 0 1 1 *"]\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n';
    await register((await post('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true })).body);
    const r = await post('/v1/job/cron/periodic/force');
    expect(r.status, r.text).toBe(200);
    expect(r.body.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    const jobs = await get('/v1/jobs?prefix=cron/periodic-');
    expect(jobs.body).toHaveLength(1);
    const summary = await get('/v1/job/cron/summary');
    expect(summary.body.Children.Pending + summary.body.Children.Running + summary.body.Children.Dead).toBe(
      1,
    );
  });

  it('POST /v1/job/:id/revert and /stable', async () => {
    const job = await apiJob('reverted');
    await register(job);
    await register({ ...job, Meta: { v: '2' } });
    const r = await post('/v1/job/reverted/revert', { JobID: 'reverted', JobVersion: 0 });
    expect(r.status, r.text).toBe(200);
    const now = await get('/v1/job/reverted');
    expect(now.body.Version).toBe(2);
    expect(now.body.Meta).toBeNull();
    const s = await post('/v1/job/reverted/stable', { JobID: 'reverted', JobVersion: 2, Stable: true });
    expect(s.status, s.text).toBe(200);
    expect((await get('/v1/job/reverted')).body.Stable).toBe(true);
  });

  it('GET /v1/job/:id/deployments and /deployment', async () => {
    await register(await apiJob('deployed'));
    const list = await waitFor(async () => {
      const r = await get('/v1/job/deployed/deployments');
      return r.body.length > 0 ? r.body : undefined;
    });
    expect(list[0]).toMatchObject({ JobID: 'deployed', Status: expect.any(String) });
    const latest = await get('/v1/job/deployed/deployment');
    expect(latest.body.ID).toBe(list[0].ID);
    expect((await get('/v1/job/no-such-job/deployment')).body).toBeNull();
  });
});

describe('nodes', () => {
  const other = '7c2d1e4f-2222-4333-8444-000000000002';
  it('GET /v1/nodes and /v1/node/:id', async () => {
    const list = await get('/v1/nodes?resources=true');
    expect(list.body.find((n: any) => n.ID === NODE)).toMatchObject({
      Name: 'node-1',
      Datacenter: 'dc1',
      Status: 'ready',
      SchedulingEligibility: 'eligible',
      Drain: false,
      NodeResources: expect.any(Object),
    });
    const one = await get(`/v1/node/${NODE}`);
    expect(one.body).toMatchObject({ ID: NODE, Name: 'node-1', Status: 'ready' });
  });
  it('GET /v1/node/:id/allocations returns whole allocations with their Job', async () => {
    await register(await apiJob('on-node'));
    const allocs = await waitFor(async () => {
      const r = await get(`/v1/node/${NODE}/allocations`);
      return r.body.some((a: any) => a.JobID === 'on-node') ? r.body : undefined;
    });
    expect(allocs.find((a: any) => a.JobID === 'on-node').Job.ID).toBe('on-node');
  });
  it('PUT /v1/node/:id/evaluate creates node-update evaluations for its jobs', async () => {
    const r = await put(`/v1/node/${NODE}/evaluate`);
    expect(r.status).toBe(200);
    expect(r.body.EvalIDs.length).toBeGreaterThan(0);
    const e = await get(`/v1/evaluation/${r.body.EvalIDs[0]}`);
    expect(e.body).toMatchObject({ TriggeredBy: 'node-update', NodeID: NODE });
  });
  it('PUT /v1/node/:id/eligibility, /drain and /purge', async () => {
    expect((await put('/v1/internal/node/register', { Node: testNode(other, 'node-2') })).status).toBe(200);
    const e = await put(`/v1/node/${other}/eligibility`, { Eligibility: 'ineligible' });
    expect(e.status).toBe(200);
    expect((await get(`/v1/node/${other}`)).body.SchedulingEligibility).toBe('ineligible');
    const d = await put(`/v1/node/${other}/drain`, {
      DrainSpec: { Deadline: 60e9, IgnoreSystemJobs: false },
      MarkEligible: false,
    });
    expect(d.status).toBe(200);
    expect(d.body.NodeModifyIndex).toBeGreaterThan(0);
    expect((await get(`/v1/node/${other}`)).body.DrainStrategy).not.toBeNull();
    const p = await put(`/v1/node/${other}/purge`);
    expect(p.status).toBe(200);
    expect((await get(`/v1/node/${other}`)).status).toBe(404);
  });
});

describe('allocations and evaluations', () => {
  it('GET /v1/allocations, /v1/allocation/:id, POST /v1/allocation/:id/stop', async () => {
    await register(await apiJob('stoppable'));
    const stub = await waitFor(async () =>
      (await get('/v1/allocations?prefix=')).body.find((a: any) => a.JobID === 'stoppable'),
    );
    const full = await get(`/v1/allocation/${stub.ID}`);
    expect(full.body).toMatchObject({ ID: stub.ID, JobID: 'stoppable', Job: { ID: 'stoppable' } });
    const s = await post(`/v1/allocation/${stub.ID}/stop`);
    expect(s.status).toBe(200);
    expect(s.body.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(async () =>
      (await get(`/v1/allocation/${stub.ID}`)).body.DesiredStatus === 'stop' ? true : undefined,
    );
  });
  it('signal and restart answer 501 until the client host exists (404 for an unknown allocation)', async () => {
    const any = (await get('/v1/allocations')).body[0];
    const s = await post(`/v1/client/allocation/${any.ID}/signal`, { Signal: 'SIGHUP' });
    expect(s.status).toBe(501);
    expect(s.text).toContain(any.ID);
    const r = await post('/v1/client/allocation/00000000-0000-0000-0000-000000000000/restart', {});
    expect(r.status).toBe(404);
  });
  it('GET /v1/evaluations (job and status filters), /v1/evaluation/:id and its allocations', async () => {
    const reg = await register(await apiJob('evaled'));
    const list = await waitFor(async () => {
      const r = await get('/v1/evaluations?job=evaled&status=complete');
      return r.body.length > 0 ? r.body : undefined;
    });
    expect(list.every((e: any) => e.JobID === 'evaled' && e.Status === 'complete')).toBe(true);
    const one = await get(`/v1/evaluation/${reg.EvalID}`);
    expect(one.body).toMatchObject({ ID: reg.EvalID, JobID: 'evaled', Type: 'service' });
    const allocs = await get(`/v1/evaluation/${reg.EvalID}/allocations`);
    expect(allocs.body.every((a: any) => a.EvalID === reg.EvalID)).toBe(true);
    expect(allocs.body.length).toBe(1);
  });
});

describe('deployments', () => {
  const CANARY_HCL = EXAMPLE_HCL.replace(
    '    count = 2\n',
    '    count = 1\n\n    update {\n      canary = 1\n    }\n',
  );
  let deploymentId = '';
  it('GET /v1/deployments, /v1/deployment/:id and /v1/deployment/allocations/:id', async () => {
    const job = await apiJob('canaried', 1, CANARY_HCL);
    await register(job);
    await waitFor(async () =>
      (await get('/v1/job/canaried/allocations')).body.length === 1 ? true : undefined,
    );
    await register({ ...job, Meta: { v: '2' } });
    const d = await waitFor(async () => {
      const r = await get('/v1/job/canaried/deployment');
      return r.body && r.body.JobVersion === 1 && r.body.TaskGroups.web.PlacedCanaries?.length === 1
        ? r.body
        : undefined;
    });
    deploymentId = d.ID;
    expect((await get('/v1/deployments')).body.some((x: any) => x.ID === d.ID)).toBe(true);
    expect((await get(`/v1/deployment/${d.ID}`)).body).toMatchObject({ ID: d.ID, JobID: 'canaried' });
    const allocs = await get(`/v1/deployment/allocations/${d.ID}`);
    expect(allocs.body.length).toBe(1);
  });
  it('PUT /v1/deployment/pause/:id, /allocation-health/:id, /promote/:id', async () => {
    const paused = await put(`/v1/deployment/pause/${deploymentId}`, {
      DeploymentID: deploymentId,
      Pause: true,
    });
    expect(paused.status, paused.text).toBe(200);
    expect((await get(`/v1/deployment/${deploymentId}`)).body.Status).toBe('paused');
    expect(
      (await put(`/v1/deployment/pause/${deploymentId}`, { DeploymentID: deploymentId, Pause: false }))
        .status,
    ).toBe(200);
    const canary = (await get(`/v1/deployment/allocations/${deploymentId}`)).body[0];
    await put('/v1/internal/allocs/update', { Alloc: [{ ID: canary.ID, ClientStatus: 'running' }] });
    const h = await put(`/v1/deployment/allocation-health/${deploymentId}`, {
      DeploymentID: deploymentId,
      HealthyAllocationIDs: [canary.ID],
    });
    expect(h.status, h.text).toBe(200);
    const p = await put(`/v1/deployment/promote/${deploymentId}`, { DeploymentID: deploymentId, All: true });
    expect(p.status, p.text).toBe(200);
    expect((await get(`/v1/deployment/${deploymentId}`)).body.TaskGroups.web.Promoted).toBe(true);
  });
  it('PUT /v1/deployment/fail/:id', async () => {
    const job = await apiJob('failing', 1, CANARY_HCL);
    await register(job);
    const d = await waitFor(async () => {
      const r = await get('/v1/job/failing/deployment');
      return r.body?.Status === 'running' ? r.body : undefined;
    });
    const f = await put(`/v1/deployment/fail/${d.ID}`);
    expect(f.status, f.text).toBe(200);
    expect((await get(`/v1/deployment/${d.ID}`)).body.Status).toBe('failed');
  });
});

describe('namespaces', () => {
  it('list, upsert (both paths), read, delete', async () => {
    expect((await get('/v1/namespaces')).body.map((n: any) => n.Name)).toContain('default');
    expect((await put('/v1/namespace', { Name: 'team-a', Description: 'A' })).status).toBe(200);
    expect((await post('/v1/namespace/team-b', { Name: 'team-b', Meta: { owner: 'b' } })).status).toBe(200);
    const a = await get('/v1/namespace/team-a');
    expect(a.body).toMatchObject({ Name: 'team-a', Description: 'A', CreateIndex: expect.any(Number) });
    expect((await get('/v1/namespace/team-b')).body.Meta).toEqual({ owner: 'b' });
    const del = await call(A, 'DELETE', '/v1/namespace/team-a');
    expect(del.status).toBe(200);
    expect((await get('/v1/namespace/team-a')).status).toBe(404);
    const delDefault = await call(A, 'DELETE', '/v1/namespace/default');
    expect(delDefault.status).toBe(400);
  });
});

describe('status, agent, regions, operator, system', () => {
  it('GET /v1/status/leader and /v1/status/peers', async () => {
    const l = await get('/v1/status/leader');
    expect(l.body).toBe('127.0.0.1:4647');
    expect(l.headers.get('x-nomad-knownleader')).toBe('true');
    expect((await get('/v1/status/peers')).body).toEqual(['127.0.0.1:4647']);
  });
  it('GET /v1/agent/self, /v1/agent/members, /v1/agent/health, /v1/regions', async () => {
    const self = await get('/v1/agent/self');
    expect(self.body.config).toMatchObject({
      Region: 'global',
      Datacenter: 'dc1',
      NodeName: 'test-agent',
      Server: { Enabled: true },
    });
    expect(self.body.member.Name).toBe('test-agent.global');
    expect(self.body.stats.nomad.leader).toBe('true');
    const m = await get('/v1/agent/members');
    expect(m.body).toMatchObject({
      ServerName: 'test-agent',
      ServerRegion: 'global',
      ServerDC: 'dc1',
      Members: [{ Name: 'test-agent.global', Status: 'alive' }],
    });
    const h = await get('/v1/agent/health');
    expect(h.body).toEqual({ server: { ok: true, message: 'ok' }, client: { ok: true, message: 'ok' } });
    expect((await get('/v1/regions')).body).toEqual(['global']);
  });
  it('GET/PUT /v1/operator/scheduler/configuration with cas', async () => {
    const r = await get('/v1/operator/scheduler/configuration');
    expect(r.body.SchedulerConfig).toMatchObject({
      SchedulerAlgorithm: 'binpack',
      PreemptionConfig: { SystemSchedulerEnabled: true },
    });
    const u = await put('/v1/operator/scheduler/configuration', {
      SchedulerAlgorithm: 'spread',
      PreemptionConfig: { SystemSchedulerEnabled: true },
    });
    expect(u.body.Updated).toBe(true);
    expect((await get('/v1/operator/scheduler/configuration')).body.SchedulerConfig.SchedulerAlgorithm).toBe(
      'spread',
    );
    const stale = await put('/v1/operator/scheduler/configuration?cas=1', { SchedulerAlgorithm: 'binpack' });
    expect(stale.body.Updated).toBe(false);
    expect((await get('/v1/operator/scheduler/configuration')).body.SchedulerConfig.SchedulerAlgorithm).toBe(
      'spread',
    );
    const cas = await put(`/v1/operator/scheduler/configuration?cas=${u.body.Index}`, {
      SchedulerAlgorithm: 'binpack',
    });
    expect(cas.body.Updated).toBe(true);
  });
  it('GET /v1/operator/raft/configuration', async () => {
    const r = await get('/v1/operator/raft/configuration');
    expect(r.body.Servers).toEqual([
      expect.objectContaining({ Leader: true, Voter: true, Address: '127.0.0.1:4647' }),
    ]);
  });
  it('PUT /v1/system/gc removes a stopped job; PUT /v1/system/reconcile/summaries answers 200', async () => {
    await register(await apiJob('collected'));
    await waitFor(async () =>
      (await get('/v1/job/collected/allocations')).body.length === 1 ? true : undefined,
    );
    expect((await call(A, 'DELETE', '/v1/job/collected')).status).toBe(200);
    const allocs = (await get('/v1/job/collected/allocations')).body;
    await put('/v1/internal/allocs/update', {
      Alloc: allocs.map((a: any) => ({ ID: a.ID, ClientStatus: 'complete' })),
    });
    await waitFor(async () => ((await get('/v1/job/collected')).body.Status === 'dead' ? true : undefined));
    const gc = await put('/v1/system/gc');
    expect(gc.status).toBe(200);
    expect((await get('/v1/job/collected')).status).toBe(404);
    expect((await put('/v1/system/reconcile/summaries')).status).toBe(200);
  });
  it('GET /v1/metrics as Nomad JSON and as Prometheus text', async () => {
    const j = await get('/v1/metrics');
    expect(j.body.Gauges.find((g: any) => g.Name === 'nomad.nomad.broker.total_ready')).toBeDefined();
    expect(j.body.Counters.length).toBeGreaterThan(0);
    const p = await call(A, 'GET', '/v1/metrics?format=prometheus');
    expect(p.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(p.text).toMatch(/^# HELP nomad_nomad_broker_total_ready /m);
    expect(p.text).toMatch(
      /^nomad_http_requests_total\{method="GET",route="\/v1\/metrics",code="200"\} \d+/m,
    );
  });
});

describe('event stream parameters', () => {
  it('rejects a malformed topic with 400', async () => {
    const r = await get('/v1/event/stream?topic=Job:a:b');
    expect(r.status).toBe(400);
    expect(r.text).toContain('Invalid key value pair for topic, topic: Job:a:b');
  });
});

describe('internal client endpoints', () => {
  const id = '7c2d1e4f-2222-4333-8444-000000000003';
  it('register, heartbeat (status), blocking allocs, allocs/get, allocs/update', async () => {
    const reg = await put('/v1/internal/node/register', {
      Node: { ...testNode(id, 'node-3'), Status: 'initializing' },
    });
    expect(reg.body.HeartbeatTTL).toBe(10e9);
    expect((await get(`/v1/node/${id}`)).body.Status).toBe('initializing');
    const hb = await put(`/v1/internal/node/${id}/status`, { Status: 'ready' });
    expect(hb.status).toBe(200);
    expect((await get(`/v1/node/${id}`)).body.Status).toBe('ready');
    const before = await get(`/v1/internal/node/${id}/allocs`);
    const t0 = Date.now();
    const blocked = get(`/v1/internal/node/${id}/allocs?index=${index(before.headers)}&wait=20s`);
    // Only the new node is ready and eligible besides node-1: place enough to reach it.
    await put(`/v1/node/${NODE}/eligibility`, { Eligibility: 'ineligible' });
    await register(await apiJob('for-node-3'));
    const woke = await blocked;
    expect(Date.now() - t0).toBeLessThan(10_000);
    const ids = Object.keys(woke.body.Allocs);
    expect(ids.length).toBeGreaterThan(0);
    const got = await post('/v1/internal/allocs/get', { AllocIDs: ids });
    expect(got.body.Allocs[0]).toMatchObject({ NodeID: id, Job: { ID: 'for-node-3' } });
    const up = await put('/v1/internal/allocs/update', {
      Alloc: [
        {
          ID: ids[0],
          ClientStatus: 'running',
          TaskStates: { server: { State: 'running', Failed: false, Restarts: 0 } },
        },
      ],
    });
    expect(up.status, up.text).toBe(200);
    const after = await get(`/v1/allocation/${ids[0]}`);
    expect(after.body.ClientStatus).toBe('running');
    expect(after.body.TaskStates.server.State).toBe('running');
    await put(`/v1/node/${NODE}/eligibility`, { Eligibility: 'eligible' });
  });
});

describe('transport', () => {
  it('?stale is accepted on reads', async () => {
    const r = await get('/v1/jobs?stale');
    expect(r.status).toBe(200);
    expect(Number(r.headers.get('x-nomad-index'))).toBeGreaterThan(0);
    expect((await get('/v1/job/reads?stale=true')).status).toBe(200);
  });
  it('?pretty indents, gzip compresses when asked, X-Nomad-Token is accepted', async () => {
    const pretty = await fetch(`${A}/v1/regions?pretty`);
    expect(await pretty.text()).toBe('[\n    "global"\n]\n');
    const res = await fetch(`${A}/v1/jobs`, {
      headers: { 'Accept-Encoding': 'gzip', 'X-Nomad-Token': 'abc' },
    });
    expect(res.status).toBe(200);
    // fetch decodes gzip itself; read the raw encoding through node:http semantics instead.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const raw = await new Promise<Buffer>((resolve, reject) => {
      void import('node:http').then(({ get: hget }) =>
        hget(`${A}/v1/jobs`, { headers: { 'Accept-Encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    expect(Array.isArray(JSON.parse(gunzipSync(raw).toString('utf8')))).toBe(true);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests walk untyped JSON answers */
/**
 * Every class of bad input gets Nomad's status code and a message that says what and where,
 * never a stack trace, and changes nothing: the applied index and the job list are the same
 * before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentHandle } from '../src/agent/startAgent.js';
import { call, EXAMPLE_HCL, testNode } from './helpers/http.js';
import { startTestAgent } from './helpers/inProcess.js';

let agent: AgentHandle;
let A: string;
let job: any;
const LIMIT = 64 * 1024;

beforeAll(async () => {
  agent = await startTestAgent({ limits: { http_max_body_bytes: LIMIT } });
  A = agent.address;
  await call(A, 'PUT', '/v1/internal/node/register', {
    Node: testNode('8d3e2f50-3333-4444-8555-000000000001'),
  });
  job = (await call<any>(A, 'POST', '/v1/jobs/parse', { JobHCL: EXAMPLE_HCL, Canonicalize: true })).body;
  expect((await call(A, 'PUT', '/v1/jobs', { Job: job })).status).toBe(200);
});
afterAll(async () => {
  await agent.stop();
});

/** What must not change: the applied index, the jobs, the stored job. */
async function snapshot(): Promise<string> {
  const self = await call<any>(A, 'GET', '/v1/agent/self');
  const jobs = await call<any>(A, 'GET', '/v1/jobs');
  const one = await call<any>(A, 'GET', '/v1/job/example');
  return JSON.stringify([self.body.stats.raft.applied_index, jobs.body, one.body]);
}

/** Sends a bad request, checks status and message, and that the state did not move. */
async function expectRefused(
  method: string,
  path: string,
  body: unknown,
  status: number,
  message: string | RegExp,
): Promise<void> {
  // Let the workers settle so that the state is still before and after.
  await new Promise((r) => setTimeout(r, 100));
  const before = await snapshot();
  const r = await call(A, method, path, body);
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
  if (typeof message === 'string') expect(r.text).toBe(message);
  else expect(r.text).toMatch(message);
  expect(r.text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // no stack trace
  expect(await snapshot()).toBe(before);
}

describe('bad input changes nothing and says what is wrong', () => {
  it('malformed JSON: 400 with the line and column', async () => {
    await expectRefused(
      'PUT',
      '/v1/jobs',
      '{"Job": {"ID": "x",\n  "Name": }',
      400,
      'Failed to decode request body: invalid JSON at line 2, column 11 (offset 30): value expected',
    );
  });

  it('hostile nesting: 400, never a crash', async () => {
    await expectRefused(
      'PUT',
      '/v1/jobs',
      '['.repeat(60_000),
      400,
      /^Failed to decode request body: (JSON nested too deeply|invalid JSON at .*)$/,
    );
    await expectRefused(
      'PUT',
      '/v1/jobs',
      `{"Job": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
      400,
      'Job: expected an object',
    );
  });

  it('a body that is not an object: 400', async () => {
    await expectRefused(
      'PUT',
      '/v1/jobs',
      '[1, 2]',
      400,
      'Failed to decode request body: expected a JSON object, got an array',
    );
  });

  it('wrong types: 400 naming the JSON path, expected type and value', async () => {
    const bad = structuredClone(job);
    bad.TaskGroups[0].Count = 'three';
    await expectRefused(
      'PUT',
      '/v1/jobs',
      { Job: bad },
      400,
      'Job.TaskGroups[0].Count: expected a number, got "three"',
    );
    await expectRefused(
      'PUT',
      '/v1/jobs',
      { Job: job, EnforceIndex: 'yes' },
      400,
      'EnforceIndex: expected a boolean, got "yes"',
    );
    await expectRefused(
      'POST',
      '/v1/job/example/scale',
      { Count: '3', Target: { Group: 'web' } },
      400,
      'Count: expected a number, got "3"',
    );
  });

  it('an invalid job: 400 with every problem and its path', async () => {
    const bad = structuredClone(job);
    bad.TaskGroups[0].Count = -1;
    await expectRefused('PUT', '/v1/jobs', { Job: bad }, 400, /^Job validation failed: .*TaskGroups\[0\]/);
  });

  it('a missing Job: 400', async () => {
    await expectRefused('PUT', '/v1/jobs', { EnforceIndex: false }, 400, 'Job must be specified');
  });

  it('an unknown job: 404 job not found', async () => {
    await expectRefused('GET', '/v1/job/nope', undefined, 404, 'job not found');
    await expectRefused(
      'POST',
      '/v1/job/nope/scale',
      { Count: 1, Target: { Group: 'web' } },
      404,
      'job not found',
    );
    await expectRefused('DELETE', '/v1/job/nope', undefined, 404, 'job not found');
    await expectRefused('POST', '/v1/job/nope/evaluate', undefined, 404, 'job not found');
    await expectRefused('GET', '/v1/job/nope/summary', undefined, 404, 'job not found');
  });

  it('an unknown task group: 400', async () => {
    await expectRefused(
      'POST',
      '/v1/job/example/scale',
      { Count: 1, Target: { Group: 'nope' } },
      400,
      'Task group "nope" specified for the request does not exist in job',
    );
  });

  it("bad index, wait and stale parameters: 400 with Nomad's wording", async () => {
    await expectRefused('GET', '/v1/jobs?index=abc', undefined, 400, 'Invalid index');
    await expectRefused('GET', '/v1/jobs?index=-1', undefined, 400, 'Invalid index');
    await expectRefused(
      'GET',
      '/v1/job/example/allocations?index=1&wait=soon',
      undefined,
      400,
      'Invalid wait time',
    );
    await expectRefused(
      'GET',
      '/v1/jobs?stale=maybe',
      undefined,
      400,
      'Expect `true` or `false` for `stale` query string parameter',
    );
    await expectRefused(
      'DELETE',
      '/v1/job/example?purge=perhaps',
      undefined,
      400,
      'Failed to parse value of "purge" (perhaps) as a bool',
    );
  });

  it('a bad filter expression: 400 naming the column', async () => {
    await expectRefused(
      'GET',
      `/v1/jobs?filter=${encodeURIComponent('Status = "x"')}`,
      undefined,
      400,
      'failed to read filter expression: unexpected "=" at column 8',
    );
  });

  it('an oversize body: 413 naming the configured limit', async () => {
    const big = { Job: { ...job, Meta: { pad: 'x'.repeat(LIMIT) } } };
    await expectRefused('PUT', '/v1/jobs', big, 413, `Request body too large: the limit is ${LIMIT} bytes`);
  });

  it('a stale EnforceIndex: 409', async () => {
    await expectRefused(
      'PUT',
      '/v1/jobs',
      { Job: job, EnforceIndex: true, JobModifyIndex: 999999 },
      409,
      /^Enforcing job modify index 999999: job exists with conflicting job modify index: \d+$/,
    );
  });

  it('a method the path does not take: 405 Invalid method', async () => {
    await expectRefused('DELETE', '/v1/jobs', undefined, 405, 'Invalid method');
    await expectRefused('PUT', '/v1/job/example/allocations', undefined, 405, 'Invalid method');
    await expectRefused('POST', '/v1/status/leader', undefined, 405, 'Invalid method');
  });

  it('an unknown path: 404', async () => {
    await expectRefused(
      'GET',
      '/v1/nothing-here',
      undefined,
      404,
      'Invalid URL path: /v1/nothing-here not found',
    );
  });

  it('bad values in other endpoints: 400 naming the field', async () => {
    await expectRefused(
      'PUT',
      '/v1/node/8d3e2f50-3333-4444-8555-000000000001/eligibility',
      { Eligibility: 'maybe' },
      400,
      'invalid scheduling eligibility "maybe"',
    );
    await expectRefused(
      'PUT',
      '/v1/operator/scheduler/configuration',
      { SchedulerAlgorithm: 'random' },
      400,
      'invalid scheduler algorithm: random',
    );
    await expectRefused(
      'PUT',
      '/v1/namespace',
      { Name: 'n', Meta: { a: 1 } },
      400,
      'Meta.a: expected a string, got 1',
    );
    await expectRefused(
      'PUT',
      '/v1/node/8d3e2f50-3333-4444-8555-000000000001/drain',
      { DrainSpec: { Deadline: '1h' } },
      400,
      'DrainSpec.Deadline: expected a number of nanoseconds, got "1h"',
    );
  });
});

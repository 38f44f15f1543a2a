/**
 * `tsnomad demo` run in-process: the guide's jobs on the simulated cluster, asserting on what
 * `nomad job status` would show for them.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../src/cli/demo.js';

const BROKEN = fileURLToPath(new URL('../../core/test/fixtures/broken/', import.meta.url));

describe('runDemo on the guide jobs', () => {
  let r: DemoResult;
  beforeAll(async () => {
    r = await runDemo();
  });

  const job = (id: string) => {
    const j = r.jobs.find((x) => x.id === id);
    if (!j) throw new Error(`job ${id} missing from the demo: ${r.jobs.map((x) => x.id).join(', ')}`);
    return j;
  };

  it('accepts every guide job and settles', () => {
    expect(r.exitCode).toBe(0);
    expect(r.jobs).toHaveLength(36);
    expect(r.settledAfter).toBeGreaterThanOrEqual(30); // batch allocations complete after 30 s
    expect(r.output).toMatch(
      /10 nodes, 36 of 36 jobs accepted; cluster settled after \d+s of simulated time\n$/,
    );
  });

  it('places the guide jobs on the nodes they can use', () => {
    // §3.2 asks for 6 in us-east-*; only the two us-east-1 nodes have its host volume and they fill up.
    expect(job('web-api')).toMatchObject({ allocs: 4, running: 4, placementFailure: true });
    expect(job('ecommerce-platform')).toMatchObject({ allocs: 10, running: 10 }); // 4 frontend + 6 api
    expect(job('gpu-training')).toMatchObject({ allocs: 1, running: 1 });
    expect(job('group-spread')).toMatchObject({ allocs: 12, running: 12 });
    // The GPU job lands on the only node with an nvidia/gpu device and class gpu-enabled.
    expect(r.output).toMatch(
      /==> guide-L618-gpu-training\.hcl[\s\S]*?\n[0-9a-f]{8} {2}c9d8e7f6 {2}training {2}/,
    );
    // A sysbatch job runs once per node and completes.
    expect(r.output).toMatch(/ID {12}= security-scan[\s\S]*?Status {8}= dead/);
  });

  it('lays the status out as nomad job status does', () => {
    expect(r.output).toContain(
      [
        'Summary',
        'Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown',
        'api         2       0         4        0       0         0     0',
      ].join('\n'),
    );
    expect(r.output).toContain('Allocations\nID        Node ID   Task Group  Version  Desired  Status\n');
    expect(r.output).toContain('Parameterized Job Summary\nPending  Running  Dead\n');
    // §10.1's rolling update: its first deployment completes once the allocations are healthy.
    expect(r.output).toMatch(
      /ID {12}= web-api-3[\s\S]*?\nLatest Deployment\nID {10}= [0-9a-f]{8}\nStatus {6}= successful\nDescription = Deployment completed successfully\n\nDeployed\nTask Group {2}Auto Revert {2}Desired {2}Placed {2}Healthy {2}Unhealthy {2}Progress Deadline\napi {9}true {9}6 {8}6 {7}6 {8}0 {10}2026-01-01T\d\d:\d\d:\d\dZ\n/,
    );
  });

  it('explains a placement failure with the filtered constraint and the exhausted dimension', () => {
    // The us-east nodes have 3 GiB each and only the us-east-1 ones offer host volume "data":
    // §3.2's web-api, scheduled after the priority-70 e-commerce job there, runs out of memory.
    // §7.4's csi-volume job names a volume nobody registered: Nomad blocks it the same way.
    // The guide's security-scan and §14.1's web-api (namespace production) find the general nodes'
    // memory taken by the jobs placed before them (which nodes fill first follows the seeded
    // node order, so it moves when the command sequence does).
    expect(r.jobs.filter((j) => j.placementFailure).map((j) => j.id)).toEqual([
      'web-api',
      'security-scan',
      'csi-volume',
      'web-api',
    ]);
    expect(r.output).toContain(
      '  * Constraint "missing CSI volume(s) postgres-data": 4 nodes excluded by filter\n',
    );
    expect(r.output).toContain(
      [
        'Placement Failure',
        'Task Group "api" (failed to place 2 allocations):',
        '  * Class "general": 1 nodes excluded by filter',
        '  * Constraint "missing compatible host volumes": 1 nodes excluded by filter',
        '  * Resources exhausted on 2 nodes',
        '  * Class "general" exhausted on 2 nodes',
        '  * Dimension "memory" exhausted on 2 nodes',
        '',
      ].join('\n'),
    );
  });

  it('renames jobs whose ID an earlier example took', () => {
    expect(r.jobs.filter((j) => j.id.startsWith('web-api')).map((j) => j.id)).toEqual([
      'web-api',
      'web-api-2',
      'web-api-3',
      'web-api-4',
      'web-api-5',
      'web-api-6',
      'web-api', // §14.1's, in namespace production: a different job
    ]);
    expect(r.output).toContain('(registered as "web-api-2": "web-api" is an earlier example\'s ID)');
  });

  it('is deterministic', async () => {
    const again = await runDemo();
    expect(again.output).toBe(r.output);
  });
});

describe('runDemo on given files', () => {
  it('reports a job that does not decode with its path and exits 1', async () => {
    const r = await runDemo({ files: [`${BROKEN}memory-string.json`] });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toContain('==> memory-string.json: invalid\n');
    expect(r.errors).toContain(
      '  Job.TaskGroups[0].Tasks[1].Resources.MemoryMB: expected a number, got "256MB"',
    );
    expect(r.jobs).toEqual([]);
  });
});

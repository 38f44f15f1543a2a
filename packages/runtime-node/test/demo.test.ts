/**
 * `tsnomad demo` run in-process: the package's example jobs (examples/jobs) on the simulated
 * cluster, asserting on what `nomad job status` would show for them.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../src/cli/demo.js';
import { exampleJobFiles } from '../src/cli/guideJobs.js';

const BROKEN = fileURLToPath(new URL('./fixtures/broken/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/jobs/', import.meta.url));

describe('runDemo on the example jobs', () => {
  let r: DemoResult;
  beforeAll(async () => {
    r = await runDemo();
  });

  const job = (id: string) => {
    const j = r.jobs.find((x) => x.id === id);
    if (!j) throw new Error(`job ${id} missing from the demo: ${r.jobs.map((x) => x.id).join(', ')}`);
    return j;
  };

  it('loads every file the package ships in examples/jobs', () => {
    expect(exampleJobFiles().map((f) => f.slice(EXAMPLES.length))).toEqual(readdirSync(EXAMPLES).sort());
    expect(exampleJobFiles().length).toBeGreaterThanOrEqual(15);
  });

  it('accepts every example job and settles', () => {
    const n = exampleJobFiles().length;
    expect(r.exitCode).toBe(0);
    expect(r.jobs).toHaveLength(n);
    expect(r.settledAfter).toBeGreaterThanOrEqual(30); // batch allocations complete after 30 s
    expect(r.output).toMatch(
      new RegExp(`10 nodes, ${n} of ${n} jobs accepted; cluster settled after \\d+s of simulated time\\n$`),
    );
  });

  it('places the example jobs on the nodes they can use', () => {
    // storefront asks for 8 × 796 MB in us-east-*; only the two 3 GiB us-east-1 nodes have its
    // host volume, and they hold 3 each.
    expect(job('storefront')).toMatchObject({ allocs: 6, running: 6, placementFailure: true });
    expect(job('reviews')).toMatchObject({ allocs: 4, running: 4, placementFailure: false });
    expect(job('catalog-db')).toMatchObject({ allocs: 2, running: 2 });
    // The renderer lands on the only node with an nvidia/gpu device and class gpu-enabled.
    expect(job('cover-renderer')).toMatchObject({ allocs: 1, running: 1 });
    expect(r.output).toMatch(/==> cover-renderer\.hcl[\s\S]*?\n[0-9a-f]{8} {2}c9d8e7f6 {2}render {6}/);
    // The mysql group needs host volume "mysql-data": only dc1-db-1 (a1b2c3d4) has it.
    expect(r.output).toMatch(/==> catalog-db\.hcl[\s\S]*?\n[0-9a-f]{8} {2}a1b2c3d4 {2}mysql {7}/);
    // A sysbatch job runs once on each of dc1's four nodes and completes.
    expect(r.output).toMatch(
      /ID {12}= disk-audit[\s\S]*?Status {8}= dead[\s\S]*?\naudit {7}0 {7}0 {9}0 {8}0 {7}4 {9}0 {5}0\n/,
    );
    // The system job runs on every node of dc1 and dc2 (seven).
    expect(job('host-metrics')).toMatchObject({ allocs: 7, running: 7 });
  });

  it('lays the status out as nomad job status does', () => {
    expect(r.output).toContain(
      [
        'Summary',
        'Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown',
        'web         2       0         6        0       0         0     0',
      ].join('\n'),
    );
    expect(r.output).toContain('Allocations\nID        Node ID   Task Group  Version  Desired  Status\n');
    expect(r.output).toMatch(
      /ID {12}= order-export[\s\S]*?Parameterized Job Summary\nPending {2}Running {2}Dead\n/,
    );
    expect(r.output).toMatch(/ID {12}= reindex[\s\S]*?Periodic {6}= true[\s\S]*?Children Job Summary\n/);
    // The rolling update's first deployment completes once the allocations are healthy.
    expect(r.output).toMatch(
      /ID {12}= reviews\n[\s\S]*?\nLatest Deployment\nID {10}= [0-9a-f]{8}\nStatus {6}= successful\nDescription = Deployment completed successfully\n\nDeployed\nTask Group {2}Auto Revert {2}Desired {2}Placed {2}Healthy {2}Unhealthy {2}Progress Deadline\nreviews {5}true {9}4 {8}4 {7}4 {8}0 {10}2026-01-01T\d\d:\d\d:\d\dZ\n/,
    );
  });

  it('explains a placement failure with the filtered constraint and the exhausted dimension', () => {
    // ledger names a CSI volume nobody registered: Nomad blocks it the same way.
    expect(r.jobs.filter((j) => j.placementFailure).map((j) => j.id)).toEqual(['ledger', 'storefront']);
    expect(r.output).toContain(
      '  * Constraint "missing CSI volume(s) ledger-data": 4 nodes excluded by filter\n',
    );
    expect(r.output).toContain(
      [
        'Placement Failure',
        'Task Group "web" (failed to place 2 allocations):',
        '  * Class "general": 1 nodes excluded by filter',
        '  * Constraint "missing compatible host volumes": 1 nodes excluded by filter',
        '  * Resources exhausted on 2 nodes',
        '  * Class "general" exhausted on 2 nodes',
        '  * Dimension "memory" exhausted on 2 nodes',
        '',
      ].join('\n'),
    );
  });

  it('runs a job in the namespace it names', () => {
    expect(r.output).toMatch(/ID {12}= admin-console\n[\s\S]*?Namespace {5}= staging\n/);
  });

  it('is deterministic', async () => {
    const again = await runDemo();
    expect(again.output).toBe(r.output);
  });
});

describe('runDemo on the same job twice', () => {
  it('registers the second under a free ID and says so', async () => {
    const reviews = exampleJobFiles().find((f) => f.endsWith('reviews-rolling.hcl'))!;
    const r = await runDemo({ files: [reviews, reviews] });
    expect(r.exitCode).toBe(0);
    expect(r.jobs.map((j) => j.id)).toEqual(['reviews', 'reviews-2']);
    expect(r.output).toContain('(registered as "reviews-2": "reviews" is an earlier example\'s ID)');
  });
});

describe('runDemo on given files', () => {
  it('reports a job that does not decode with its path and exits 1', async () => {
    const r = await runDemo({ files: [`${BROKEN}memory-string.json`] });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toContain('==> memory-string.json: invalid\n');
    expect(r.errors).toContain(
      '  Job.TaskGroups[0].Tasks[1].Resources.MemoryMB: expected a number, got "128MB"',
    );
    expect(r.jobs).toEqual([]);
  });
});

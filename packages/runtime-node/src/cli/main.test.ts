import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const BROKEN = fileURLToPath(new URL('../../test/fixtures/broken/', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
  });

describe('tsnomad demo (the command)', () => {
  it('runs the example jobs on the simulated cluster and exits 0', () => {
    const r = run('demo');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\n10 nodes, (\d+) of \1 jobs accepted; cluster settled after \d+s/);
    expect(r.stdout).toContain('==> storefront.hcl\nID            = storefront\n');
  });

  it('prints errors with their paths and exits 1 on a broken job', () => {
    const r = run('demo', `${BROKEN}memory-string.json`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'Job.TaskGroups[0].Tasks[1].Resources.MemoryMB: expected a number, got "128MB"',
    );
    expect(r.stdout).not.toContain('expected a number');
  });

  it('exits 2 on bad usage', () => {
    expect(run('bogus').status).toBe(2);
  });
});

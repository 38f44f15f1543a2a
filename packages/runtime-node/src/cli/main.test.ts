import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const BROKEN = fileURLToPath(new URL('../../../core/test/fixtures/broken/', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
  });

describe('tsnomad demo', () => {
  it('checks every guide job and exits 0', () => {
    const r = run('demo');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\n(\d+) of \1 job\(s\) valid\n$/);
    expect(r.stdout).toContain('s3-2-service-web-api.json: job "web-api" (service, priority 50');
    expect(r.stdout).toContain(
      'task "api-server" driver docker: cpu 1000 MHz, memory 512 MB, kill_timeout 30s',
    );
  });

  it('prints errors with their paths and exits 1 on a broken job', () => {
    const r = run('demo', `${BROKEN}memory-string.json`);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'Job.TaskGroups[0].Tasks[1].Resources.MemoryMB: expected a number, got "256MB"',
    );
  });

  it('exits 2 on bad usage', () => {
    expect(run('bogus').status).toBe(2);
  });
});

/**
 * `tsnomad demo`'s argument handling, through the real command in a child process: help, unknown
 * flags, errors on stderr, control characters from files escaped, and paths that are not
 * regular files refused at once (a FIFO used to block the command forever).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeControl } from '../src/cli/demo.js';

// eslint-disable-next-line no-control-regex -- looking for raw control characters is the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tsnomad-demo-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command; a run that does not end within `ms` is killed and reported as a hang. */
function run(
  args: string[],
  ms = 60_000,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tsnomad ${args.join(' ')} did not end within ${ms} ms`));
    }, ms);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('tsnomad demo arguments', () => {
  it('prints the usage on stdout and exits 0 for --help and -h', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await run(['demo', flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: tsnomad demo [options]');
      expect(r.stderr).toBe('');
    }
  });

  it('refuses an unknown flag on stderr with exit 1 instead of reading it as a file', async () => {
    const r = await run(['demo', '--bogus']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: unknown flag "--bogus"\n/);
    expect(r.stderr).toContain('Usage: tsnomad demo');
  });

  it('treats arguments after -- as files', async () => {
    const r = await run(['demo', '--', '--help']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('==> --help: invalid');
  });

  it('refuses a FIFO, a directory and a device at once, on stderr', async () => {
    const fifo = join(dir, 'job.fifo.hcl');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await run(['demo', fifo, dir, '/dev/zero'], 30_000);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is a FIFO; a job file must be a regular file');
    expect(r.stderr).toContain('is a directory; a job file must be a regular file');
    expect(r.stderr).toContain('is a device; a job file must be a regular file');
    expect(r.stdout).toMatch(/0 of 3 jobs accepted/);
  });

  it('escapes control characters from a file instead of echoing them to the terminal', async () => {
    const bad = join(dir, 'ansi.hcl');
    writeFileSync(bad, 'job "x" {\n  \u001b[2J\u001b]0;pwned\u0007 = 1\n}\n');
    const r = await run(['demo', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('\\x1b[2J');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('escapeControl', () => {
  it('escapes C0, C1 and bidi controls and keeps newlines, tabs and other text', () => {
    expect(escapeControl('a\u001b[31mb\tc\nd\u009b\u202eé')).toBe('a\\x1b[31mb\tc\nd\\x9b\\u202eé');
  });
});

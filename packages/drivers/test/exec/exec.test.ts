import { readFile, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestTaskConfig,
  type TaskDriver,
  type TestTask,
  type TestTaskOptions,
} from '../../src/index.js';
import { createExecDriver } from '../../src/exec/execDriver.js';
import { cgroupGone, type TaskCgroup } from '../../src/cgroups/cgroups.js';
import { assertNoProcesses } from '../helpers/leftovers.js';
import { requireIsolation } from '../helpers/requireIsolation.js';

await requireIsolation();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Start an exec task running `script` under sh; everything is cleaned up after the test. */
async function run(script: string, extra: Partial<TestTaskOptions> = {}) {
  const driver: TaskDriver = createExecDriver();
  const task: TestTask = await createTestTaskConfig({
    driverConfig: { command: '/bin/sh', args: ['-c', script] },
    ...extra,
  });
  cleanups.push(() => task.cleanup());
  const { handle } = await driver.startTask(task.config);
  cleanups.push(() => driver.destroyTask(handle.config.id, true));
  const cgroup = (handle.driverState as { cgroup: TaskCgroup }).cgroup;
  const stdout = () => readFile(task.config.stdoutPath, 'utf8');
  return { driver, task, handle, cgroup, stdout, id: handle.config.id };
}

async function untilStarted(stdout: () => Promise<string>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await stdout().catch(() => '')).includes('started')) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('task did not print "started" within 5s');
}

describe('exec driver against real namespaces and cgroups', () => {
  it('kills a task over its memory limit and reports it as OOM, then removes the cgroup', async () => {
    // tail keeps an unterminated line in memory: 200 MiB against a 32 MiB limit.
    const t = await run('head -c 200m /dev/zero | tail > /dev/null; exit $?', { memoryMB: 32 });
    const exit = await t.driver.waitTask(t.id);
    expect(exit.oomKilled).toBe(true);
    expect(exit.exitCode).toBe(137);
    expect(await cgroupGone(t.cgroup)).toBe(true);
    await assertNoProcesses(t.handle);
  });

  it('a task under its limit is not reported as OOM', async () => {
    const t = await run('head -c 8m /dev/zero | tail > /dev/null', { memoryMB: 64 });
    const exit = await t.driver.waitTask(t.id);
    expect(exit).toMatchObject({ exitCode: 0, oomKilled: false });
  });

  it('applies memory limit, memory_max as the hard limit, and cpu shares from MHz', async () => {
    const t = await run('echo started; while true; do sleep 0.1; done', {
      memoryMB: 64,
      memoryMaxMB: 96,
      cpuMHz: 750,
    });
    await untilStarted(t.stdout);
    const read = (c: keyof TaskCgroup, f: string) =>
      readFile(join(t.cgroup[c]!, f), 'utf8').then((s) => s.trim());
    expect(await read('memory', 'memory.limit_in_bytes')).toBe(String(96 * 1024 * 1024));
    expect(await read('memory', 'memory.soft_limit_in_bytes')).toBe(String(64 * 1024 * 1024));
    expect(await read('cpu', 'cpu.shares')).toBe('750');
    const procs = (await read('memory', 'cgroup.procs')).split('\n');
    expect(procs.length).toBeGreaterThanOrEqual(2);
    await t.driver.stopTask(t.id, 1e9, 'SIGKILL');
    expect(await cgroupGone(t.cgroup)).toBe(true);
  });

  it('pins reserved cores through cpuset', async () => {
    const driver = createExecDriver();
    const task = await createTestTaskConfig({
      driverConfig: { command: '/bin/sh', args: ['-c', 'cat /proc/self/status'] },
    });
    cleanups.push(() => task.cleanup());
    const { handle } = await driver.startTask({
      ...task.config,
      resources: { ...task.config.resources, cores: 1, reservedCores: [1] },
    });
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    await driver.waitTask(handle.config.id);
    expect(await readFile(task.config.stdoutPath, 'utf8')).toMatch(/Cpus_allowed_list:\s+1\n/);
  });

  it('runs in its own pid, mount, ipc and uts namespaces inside a task root', async () => {
    const script = [
      'echo procs=$(ls /proc | grep -c "^[0-9]")',
      'echo pid=$(readlink /proc/self/ns/pid) ipc=$(readlink /proc/self/ns/ipc) uts=$(readlink /proc/self/ns/uts)',
      // Without CAP_SYS_ADMIN (not in Nomad's defaults) the task cannot rename its uts namespace.
      'hostname tsnomad-task-host 2>/dev/null && echo host=$(hostname) || echo host=denied',
      'ls /',
      'touch /usr/should-fail 2>/dev/null && echo usr=writable || echo usr=readonly',
      'echo shared > /alloc/data/x && echo alloc=writable',
      'test -e /root && echo root-visible || echo root-hidden',
      'touch /sys/fs/cgroup/memory/x 2>/dev/null && echo cgroup=writable || echo cgroup=readonly',
    ].join('; ');
    const t = await run(script);
    const exit = await t.driver.waitTask(t.id);
    expect(exit.exitCode).toBe(0);
    const out = await t.stdout();
    // A private /proc: only the namespace's own few processes are visible.
    expect(Number(/^procs=(\d+)$/m.exec(out)?.[1])).toBeLessThan(6);
    for (const ns of ['pid', 'ipc', 'uts']) {
      const host = await readlink(`/proc/self/ns/${ns}`);
      const inside = new RegExp(`${ns}=(${ns}:\\[\\d+\\])`).exec(out)?.[1];
      expect(inside, `${ns} namespace in ${out}`).toBeDefined();
      expect(inside).not.toBe(host);
    }
    expect(out).toContain('host=denied');
    expect(hostname()).not.toBe('tsnomad-task-host');
    expect(out).toContain('usr=readonly');
    expect(out).toContain('alloc=writable');
    expect(out).toContain('root-hidden');
    expect(out).toContain('cgroup=readonly');
    expect(await readFile(join(t.task.config.allocDir, 'alloc/data/x'), 'utf8')).toBe('shared\n');
  });

  it('runs as the configured user', async () => {
    const t = await run('id -u; id -g', { user: 'nobody' });
    await t.driver.waitTask(t.id);
    expect((await t.stdout()).split('\n').slice(0, 2)).toEqual(['65534', '65534']);
  });

  it('an unknown user is a config error with a path', async () => {
    const driver = createExecDriver();
    const task = await createTestTaskConfig({
      driverConfig: { command: '/bin/true' },
      user: 'no-such-user-xyz',
    });
    cleanups.push(() => task.cleanup());
    await expect(driver.startTask(task.config)).rejects.toMatchObject({
      code: 'invalid-config',
      configErrors: [{ path: 'user' }],
    });
  });

  it('pid_mode = "host" shares the host pid namespace', async () => {
    const driver = createExecDriver();
    const task = await createTestTaskConfig({
      driverConfig: { command: '/bin/sh', args: ['-c', 'readlink /proc/self/ns/pid'], pid_mode: 'host' },
    });
    cleanups.push(() => task.cleanup());
    const { handle } = await driver.startTask(task.config);
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    await driver.waitTask(handle.config.id);
    expect((await readFile(task.config.stdoutPath, 'utf8')).trim()).toBe(await readlink('/proc/self/ns/pid'));
  });

  it('execTaskStreaming streams stdin/stdout/stderr of a command inside the task root', async () => {
    const t = await run('echo started; while true; do sleep 0.1; done');
    await untilStarted(t.stdout);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (b: Buffer) => out.push(b));
    stderr.on('data', (b: Buffer) => err.push(b));
    const done = t.driver.execTaskStreaming!(
      t.id,
      ['/bin/sh', '-c', 'cat; ls / | grep -c local; echo e >&2; exit 2'],
      {
        stdin,
        stdout,
        stderr,
      },
    );
    stdin.end('typed input\n');
    const exit = await done;
    expect(exit.exitCode).toBe(2);
    expect(Buffer.concat(out).toString()).toBe('typed input\n1\n');
    expect(Buffer.concat(err).toString()).toBe('e\n');
  });

  it("limits capabilities to Nomad's defaults, honours cap_drop, refuses cap_add outside allow_caps", async () => {
    const bits: Record<string, number> = {
      chown: 0,
      dac_override: 1,
      fowner: 3,
      fsetid: 4,
      kill: 5,
      setgid: 6,
    };
    Object.assign(bits, { setuid: 7, setpcap: 8, net_bind_service: 10, sys_chroot: 18, mknod: 27 });
    Object.assign(bits, { audit_write: 29, setfcap: 31 });
    const mask = (names: string[]) => names.reduce((m, n) => m | (1n << BigInt(bits[n]!)), 0n);
    const capBnd = (out: string) => BigInt('0x' + /CapBnd:\s+([0-9a-f]+)/.exec(out)![1]);
    const script =
      'grep CapBnd /proc/self/status; touch /tmp/f; chown 65534 /tmp/f && echo chown=ok || echo chown=denied';
    const plain = await run(script);
    await plain.driver.waitTask(plain.id);
    expect(capBnd(await plain.stdout())).toBe(mask(Object.keys(bits)));
    expect(await plain.stdout()).toContain('chown=ok');

    const driver = createExecDriver();
    const task = await createTestTaskConfig({
      driverConfig: { command: '/bin/sh', args: ['-c', script], cap_drop: ['CHOWN'] },
    });
    cleanups.push(() => task.cleanup());
    const { handle } = await driver.startTask(task.config);
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    await driver.waitTask(handle.config.id);
    const out = await readFile(task.config.stdoutPath, 'utf8');
    expect(out).toContain('chown=denied');
    expect(capBnd(out) & mask(['chown'])).toBe(0n);

    expect(driver.validateTaskConfig({ command: '/bin/true', cap_add: ['net_raw'] })).toMatchObject([
      { path: 'config.cap_add', actual: 'net_raw' },
    ]);
    expect(
      createExecDriver({ allow_caps: ['all'] }).validateTaskConfig({
        command: '/bin/true',
        cap_add: ['net_raw'],
      }),
    ).toEqual([]);
  });

  it('fingerprints healthy as root with cgroups', async () => {
    const fp = await createExecDriver().fingerprint();
    expect(fp).toMatchObject({ health: 'healthy', attributes: { 'driver.exec': '1' } });
  });
});

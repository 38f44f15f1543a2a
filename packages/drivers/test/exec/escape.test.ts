/**
 * Sandbox escapes tried from inside real exec and java-shaped tasks (root and a configured user).
 * A host directory outside everything the task root exposes holds a secret; every attempt must
 * fail to read it and fail to write beside it, and the task must still see its own root.
 */
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestTaskConfig, type TestTaskOptions } from '../../src/index.js';
import { createExecDriver } from '../../src/exec/execDriver.js';
import { assertNoProcesses } from '../helpers/leftovers.js';
import { requireIsolation } from '../helpers/requireIsolation.js';

await requireIsolation();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let hostDir = '';
const SECRET = `host-secret-${process.pid}-${Date.now()}`;
beforeAll(async () => {
  hostDir = await mkdtemp(join(tmpdir(), 'tsnomad-escape-'));
  await writeFile(join(hostDir, 'secret'), SECRET);
});
afterAll(async () => {
  await rm(hostDir, { recursive: true, force: true });
});

/** Run `argv` as an exec task to completion; returns stdout + stderr. */
async function runTask(
  argv: string[],
  extra: Partial<TestTaskOptions> = {},
  pluginConfig: Record<string, unknown> = {},
): Promise<{ out: string; exitCode: number }> {
  const driver = createExecDriver(pluginConfig);
  const [command, ...args] = argv;
  const task = await createTestTaskConfig({
    ...extra,
    driverConfig: { command, args, ...(extra.driverConfig ?? {}) },
  });
  cleanups.push(() => task.cleanup());
  const { handle } = await driver.startTask(task.config);
  cleanups.push(() => driver.destroyTask(handle.config.id, true));
  const exit = await driver.waitTask(handle.config.id);
  await assertNoProcesses(handle);
  const out =
    (await readFile(task.config.stdoutPath, 'utf8')) + (await readFile(task.config.stderrPath, 'utf8'));
  return { out, exitCode: exit.exitCode };
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * The classic chroot break-out in one process (perl is part of every Debian base system):
 * chroot into a subdirectory, walk up past the new root with chdir(".."), chroot("."). Then try
 * to read the host secret and write beside it, and list "/" to show where the process ended up.
 */
function chrootEscape(dir: string): string[] {
  const script = [
    'my $d = (-w "/" ? "/escape" : "/tmp/escape"); mkdir $d;',
    'if (chroot $d) { print "chroot=ok\\n"; chdir ".." for 1 .. 64; print "chroot2=", (chroot(".") ? "ok" : "denied"), "\\n"; }',
    'else { print "chroot=denied\\n"; }',
    `if (open(my $f, "<", "${dir}/secret")) { print "read=", <$f>, "\\n"; } else { print "read=failed\\n"; }`,
    `if (open(my $w, ">", "${dir}/written")) { print $w "x"; close $w; print "write=ok\\n"; } else { print "write=failed\\n"; }`,
    'opendir(my $r, "/"); print "root=", join(",", sort grep { !/^\\./ } readdir $r), "\\n";',
  ].join(' ');
  return ['/usr/bin/perl', '-e', script];
}

describe('exec sandbox escapes', () => {
  it('root: the chroot break-out stays inside the task root', async () => {
    const { out } = await runTask(chrootEscape(hostDir));
    // Root has sys_chroot by default, so both chroots succeed: the walk up ends at the task root.
    expect(out).toContain('chroot=ok');
    expect(out).toContain('chroot2=ok');
    expect(out).toContain('read=failed');
    expect(out).toContain('write=failed');
    expect(out).not.toContain(SECRET);
    // After the break-out "/" is still the task root (its local/ and secrets/ dirs, no host /root).
    const root = /^root=(.*)$/m.exec(out)?.[1]?.split(',') ?? [];
    expect(root).toEqual(expect.arrayContaining(['local', 'secrets', 'alloc']));
    expect(root).not.toContain('root');
    expect(await exists(join(hostDir, 'written'))).toBe(false);
  });

  it('a configured user: the chroot break-out is refused and reaches nothing', async () => {
    const { out } = await runTask(chrootEscape(hostDir), { user: 'nobody' });
    expect(out).toContain('chroot=denied');
    expect(out).toContain('read=failed');
    expect(out).not.toContain(SECRET);
    expect(await exists(join(hostDir, 'written'))).toBe(false);
  });

  for (const user of [undefined, 'nobody']) {
    it(`${user ?? 'root'} with cap_add sys_ptrace: /proc/1/root and /proc/self/root lead to the task root`, async () => {
      const script = [
        `cat /proc/1/root${hostDir}/secret 2>/dev/null && echo p1=read || echo p1=failed`,
        `cat /proc/self/root${hostDir}/secret 2>/dev/null && echo self=read || echo self=failed`,
        `echo x > /proc/1/root${hostDir}/written 2>/dev/null && echo p1w=ok || echo p1w=failed`,
        'ls /proc/1/root/ | tr "\\n" ,; echo',
      ].join('; ');
      const { out } = await runTask(
        ['/bin/sh', '-c', script],
        { ...(user ? { user } : {}), driverConfig: { cap_add: ['sys_ptrace'] } },
        { allow_caps: ['all'] },
      );
      expect(out).toContain('p1=failed');
      expect(out).toContain('self=failed');
      expect(out).toContain('p1w=failed');
      expect(out).not.toContain(SECRET);
      expect(await exists(join(hostDir, 'written'))).toBe(false);
    });
  }

  it('root: mounting and unsharing are refused; device nodes it makes cannot be opened', async () => {
    const script = [
      `mkdir -p /m; mount --bind / /m 2>/dev/null && echo bind=ok || echo bind=denied`,
      'mount -t proc proc /m 2>/dev/null && echo proc=ok || echo proc=denied',
      'mount -t tmpfs t /m 2>/dev/null && echo tmpfs=ok || echo tmpfs=denied',
      'unshare --mount true 2>/dev/null && echo unshare=ok || echo unshare=denied',
      // mknod is in Nomad's default set: a node the task makes (here for the memory-backed null
      // device, harmless but openable on any mount that allows devices) must not open, wherever
      // the task can write: its root, /alloc, /dev, /dev/shm, /tmp.
      ...['/', '/alloc/', '/dev/', '/dev/shm/', '/tmp/'].map(
        (d, i) =>
          `mknod ${d}node${i} c 1 3 && echo mknod${i}=made; (echo x > ${d}node${i}) 2>/dev/null && echo dev${i}=opened || echo dev${i}=denied`,
      ),
    ].join('; ');
    const { out } = await runTask(['/bin/sh', '-c', script]);
    for (const k of ['bind', 'proc', 'tmpfs', 'unshare']) expect(out).toContain(`${k}=denied`);
    expect(out).toContain('mknod0=made');
    for (let i = 0; i < 5; i++) expect(out).toContain(`dev${i}=denied`);
  });

  it('the task inherits no descriptor of a directory (an fchdir way out) nor the exit-status file', async () => {
    const script =
      'for f in /proc/$$/fd/*; do n=${f##*/}; [ -d "$f" ] && echo "dir=$n"; echo "fd=$n:$(readlink "$f")"; done';
    const { out } = await runTask(['/bin/sh', '-c', script]);
    expect(out).toMatch(/^fd=0:/m);
    expect(out).not.toMatch(/^dir=/m);
    expect(out).not.toContain('.tsnomad');
  });
});

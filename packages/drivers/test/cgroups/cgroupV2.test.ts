import { access, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cgroupGone,
  cgroupPids,
  cgroupUsage,
  createTaskCgroup,
  destroyTaskCgroup,
  type TaskCgroup,
} from '../../src/cgroups/cgroups.js';
import { launchTask } from '../../src/process/launcher.js';
import { isSameProcessAlive } from '../../src/process/procfs.js';

// This machine is hybrid: the v2 tree at /sys/fs/cgroup/unified has no memory or cpu controller,
// so v2 limits are checked on files (cgroups.test.ts); membership, cpu.stat, cgroup.kill and
// removal run here against the real v2 kernel interface.
const UNIFIED = '/sys/fs/cgroup/unified';

describe('cgroup v2 task groups on the real unified hierarchy', () => {
  it('joins a task, reads its cpu usage, kills it with cgroup.kill and removes the group', async () => {
    const present = await access(join(UNIFIED, 'cgroup.procs')).then(
      () => true,
      () => false,
    );
    if (!present) throw new Error(`no cgroup v2 hierarchy at ${UNIFIED} (or /sys/fs/cgroup): cannot test v2`);
    const dir = await mkdtemp(join(tmpdir(), 'tsnomad-cg2-task-'));
    let cg: TaskCgroup | undefined;
    try {
      cg = await createTaskCgroup(
        `v2test-${process.pid}`,
        { memoryMB: 64, memoryMaxMB: 0, cpuMHz: 500, cores: [] },
        UNIFIED,
        'v2',
      );
      expect(Object.keys(cg)).toEqual(['unified']);
      const { task } = await launchTask({
        argv: ['/bin/sh', '-c', 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 1000'],
        env: {},
        cwd: dir,
        stdoutPath: join(dir, 'out'),
        stderrPath: join(dir, 'err'),
        stateDir: join(dir, 'state'),
        cgroupProcsFiles: [join(cg.unified!, 'cgroup.procs')],
      });
      for (let i = 0; i < 100 && !(await cgroupPids(cg)).includes(task.taskPid); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await cgroupPids(cg)).toContain(task.taskPid);
      await new Promise((r) => setTimeout(r, 300));
      expect((await cgroupUsage(cg)).cpuNs).toBeGreaterThan(0);
      expect(await destroyTaskCgroup(cg)).toBeUndefined();
      expect(await cgroupGone(cg)).toBe(true);
      expect(await isSameProcessAlive(task.taskPid, task.taskStart)).toBe(false);
    } finally {
      if (cg) await destroyTaskCgroup(cg);
      // The parent is ours too on this hierarchy, which nothing else uses here; keep it if busy.
      await rmdir(join(UNIFIED, 'tsnomad')).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

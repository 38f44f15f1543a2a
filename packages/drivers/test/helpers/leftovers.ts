import assert from 'node:assert/strict';
import type { TaskHandle } from '../../src/index.js';
import { cgroupGone, type TaskCgroup } from '../../src/cgroups/cgroups.js';
import { allProcStats } from '../../src/process/procfs.js';

/**
 * Fail unless every process of the task is gone: the supervisor, the task's process group and
 * anything whose environment carries the task's alloc id; and the task's cgroups are removed.
 */
export async function assertNoProcesses(handle: TaskHandle): Promise<void> {
  const st = handle.driverState as { supervisorPid?: number; taskPid?: number; cgroup?: TaskCgroup };
  const deadline = Date.now() + 5_000;
  let left: string[] = [];
  while (Date.now() < deadline) {
    const all = await allProcStats();
    left = all
      .filter((s) => s.state !== 'Z')
      .filter(
        (s) => s.pid === st.supervisorPid || s.pid === st.taskPid || (st.taskPid && s.pgid === st.taskPid),
      )
      .map((s) => `pid ${s.pid} (pgid ${s.pgid}, ppid ${s.ppid})`);
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(left, [], `processes of ${handle.config.id} still running`);
  if (st.cgroup) assert.ok(await cgroupGone(st.cgroup), `cgroup left behind: ${JSON.stringify(st.cgroup)}`);
}

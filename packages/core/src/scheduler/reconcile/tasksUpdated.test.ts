import { describe, expect, it } from 'vitest';
import { mkGroup, mkJob, mkTask } from '../../../test/scenarios/fixtures.js';
import { tasksUpdated } from './tasksUpdated.js';

const withTask = (over: Parameters<typeof mkTask>[0]) =>
  mkJob({ taskGroups: [mkGroup({ tasks: [mkTask(over)] })] });

describe('tasksUpdated', () => {
  const base = withTask({});
  it.each([
    ['task driver', withTask({ driver: 'docker' })],
    ['task config', withTask({ config: { command: '/bin/x' } })],
    ['task env', withTask({ env: { A: '1' } })],
    ['task user', withTask({ user: 'nobody' })],
    ['task meta', withTask({ meta: { k: 'v' } })],
    ['task cpu', withTask({ resources: { ...mkTask().resources, cpu: 501 } })],
    ['task memory', withTask({ resources: { ...mkTask().resources, memoryMB: 512 } })],
  ])('%s forces a destructive update', (label, job) => {
    expect(tasksUpdated(base, job, 'web')).toEqual({ modified: true, label });
  });

  it('group meta, ephemeral disk and task count are destructive too', () => {
    expect(tasksUpdated(base, mkJob({ meta: { a: 'b' } }), 'web').label).toBe('task meta');
    const disk = mkJob({
      taskGroups: [mkGroup({ ephemeralDisk: { sticky: false, migrate: false, sizeMB: 500 } })],
    });
    expect(tasksUpdated(base, disk, 'web').label).toBe('ephemeral disk');
    const two = mkJob({ taskGroups: [mkGroup({ tasks: [mkTask(), mkTask({ name: 'b' })] })] });
    expect(tasksUpdated(base, two, 'web').label).toBe('number of tasks');
  });

  it('count, kill timeout, constraints, non-connect services and priority are in-place', () => {
    const j = mkJob({
      priority: 90,
      taskGroups: [
        mkGroup({
          count: 9,
          constraints: [{ ltarget: '${attr.kernel.name}', rtarget: 'linux', operand: '=' }],
          tasks: [mkTask({ killTimeout: 30e9 })],
        }),
      ],
    });
    expect(tasksUpdated(base, j, 'web').modified).toBe(false);
  });
});

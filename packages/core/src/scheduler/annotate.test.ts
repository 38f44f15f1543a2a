import { describe, expect, it } from 'vitest';
import { emptyDesiredUpdates } from '../structs/plan.js';
import { mkGroup, mkJob, mkTask } from '../../test/scenarios/fixtures.js';
import { annotateCountChange, annotateTask, formatTaskGroupUpdates, taskGroupUpdates } from './annotate.js';

describe('plan annotations', () => {
  it('names the non-zero desired updates as job plan does', () => {
    const d = { ...emptyDesiredUpdates(), place: 2, ignore: 1, destructiveUpdate: 3, canary: 1 };
    expect(taskGroupUpdates(d)).toEqual({ ignore: 1, create: 2, canary: 1, 'create/destroy update': 3 });
    expect(formatTaskGroupUpdates(d)).toBe('(1 canary, 2 create, 3 create/destroy update, 1 ignore)');
    expect(formatTaskGroupUpdates(emptyDesiredUpdates())).toBe('');
  });

  it('annotates count and task changes', () => {
    expect(annotateCountChange(2, 3)).toBe('forces create');
    expect(annotateCountChange(3, 2)).toBe('forces destroy');
    expect(annotateCountChange(2, 2)).toBeUndefined();
    const v1 = mkJob();
    const image = mkJob({
      taskGroups: [mkGroup({ tasks: [mkTask({ config: { command: '/bin/other' } })] })],
    });
    const kill = mkJob({ taskGroups: [mkGroup({ tasks: [mkTask({ killTimeout: 99e9 })] })] });
    const added = mkJob({ taskGroups: [mkGroup({ tasks: [mkTask(), mkTask({ name: 'side' })] })] });
    expect(annotateTask(v1, image, 'web', 'web')).toBe('forces create/destroy update');
    expect(annotateTask(v1, kill, 'web', 'web')).toBe('forces in-place update');
    expect(annotateTask(v1, added, 'web', 'side')).toBe('forces create');
    expect(annotateTask(added, v1, 'web', 'side')).toBe('forces destroy');
    expect(annotateTask(v1, v1, 'web', 'web')).toBeUndefined();
  });
});

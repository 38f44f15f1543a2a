import { emptyAllocMetric } from '@tsnomad/core/structs';
import { describe, expect, it } from 'vitest';
import { formatAllocMetrics, formatDeployment, formatKV, formatList, formatTime } from './jobStatus.js';

describe('nomad job status layout', () => {
  it('aligns columns two spaces apart without padding the last one', () => {
    expect(formatList(['ID|Node ID|Status', 'abc|d|running', 'abcdefghij|node|x'])).toBe(
      ['ID          Node ID  Status', 'abc         d        running', 'abcdefghij  node     x'].join('\n'),
    );
  });

  it('aligns key = value headers', () => {
    expect(formatKV(['ID|web', 'Datacenters|dc1,dc2'])).toBe('ID          = web\nDatacenters = dc1,dc2');
  });

  it("explains a metric in Nomad's wording and order, map keys sorted", () => {
    const m = {
      ...emptyAllocMetric(),
      nodesEvaluated: 5,
      nodesAvailable: { dc1: 5, dc9: 0 },
      classFiltered: { windows: 2 },
      constraintFiltered: { '${attr.kernel.name} = linux': 2, 'missing drivers': 1 },
      nodesExhausted: 3,
      classExhausted: { general: 3 },
      dimensionExhausted: { memory: 2, cpu: 1 },
    };
    expect(formatAllocMetrics(m)).toEqual([
      '  * No nodes are available in datacenter "dc9"',
      '  * Class "windows": 2 nodes excluded by filter',
      '  * Constraint "${attr.kernel.name} = linux": 2 nodes excluded by filter',
      '  * Constraint "missing drivers": 1 nodes excluded by filter',
      '  * Resources exhausted on 3 nodes',
      '  * Class "general" exhausted on 3 nodes',
      '  * Dimension "cpu" exhausted on 1 nodes',
      '  * Dimension "memory" exhausted on 2 nodes',
    ]);
    expect(formatAllocMetrics(emptyAllocMetric(), '')).toEqual(['* No nodes were eligible for evaluation']);
  });

  it('prints a deployment with the canary and deadline columns only when they apply', () => {
    const state = {
      autoRevert: false,
      autoPromote: false,
      progressDeadline: 600e9,
      requireProgressBy: 1_767_225_610e9,
      promoted: false,
      placedCanaries: ['a'],
      desiredCanaries: 1,
      desiredTotal: 3,
      placedAllocs: 1,
      healthyAllocs: 0,
      unhealthyAllocs: 0,
    };
    const d = {
      id: '0123456789abcdef',
      namespace: 'default',
      jobId: 'web',
      jobVersion: 1,
      jobModifyIndex: 0,
      jobSpecModifyIndex: 0,
      jobCreateIndex: 0,
      isMultiregion: false,
      taskGroups: { web: state, db: { ...state, desiredCanaries: 0, requireProgressBy: 0 } },
      status: 'running',
      statusDescription: 'Deployment is running but requires manual promotion',
      evalPriority: 50,
      createIndex: 0,
      modifyIndex: 0,
      createTime: 0,
      modifyTime: 0,
    };
    expect(formatDeployment(d)).toBe(
      [
        'ID          = 01234567',
        'Status      = running',
        'Description = Deployment is running but requires manual promotion',
        '',
        'Deployed',
        'Task Group  Promoted  Desired  Canaries  Placed  Healthy  Unhealthy  Progress Deadline',
        'db          N/A       3        0         1       0        0          N/A',
        'web         false     3        1         1       0        0          2026-01-01T00:00:10Z',
      ].join('\n'),
    );
    expect(formatTime(0)).toBe('');
  });
});

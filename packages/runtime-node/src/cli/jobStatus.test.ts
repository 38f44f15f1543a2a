import { emptyAllocMetric } from '@tsnomad/core';
import { describe, expect, it } from 'vitest';
import { formatAllocMetrics, formatKV, formatList } from './jobStatus.js';

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
});

// The README's library example, run as written: if this test changes, change README.md too.
import { describe, expect, it } from 'vitest';
import { canonicalizeJob, createSnapshot, decodeJob, schedule, validateJob } from '@tsnomad/core';
import { mockEval, mockNode } from '@tsnomad/core/testing';

describe('README example', () => {
  it('places a job from Nomad API JSON on the best nodes, deterministically', () => {
    // --- README begins ---
    const decoded = decodeJob({
      Job: {
        ID: 'web',
        TaskGroups: [
          {
            Name: 'web',
            Count: 3,
            Tasks: [
              {
                Name: 'nginx',
                Driver: 'docker',
                Config: { image: 'nginx:1.25' },
                Resources: { CPU: 500, MemoryMB: 256 },
              },
            ],
          },
        ],
      },
    });
    if (!decoded.ok) throw new Error(decoded.errors.map((e) => e.message).join('\n'));
    const job = canonicalizeJob(decoded.value); // Nomad's defaults: service, priority 50, dc "*" …
    const problems = validateJob(job); // [] or every problem with its path

    const snapshot = createSnapshot({
      nodes: [
        mockNode({ id: 'node-a', cpu: 4000, memoryMB: 8192 }),
        mockNode({ id: 'node-b', cpu: 4000, memoryMB: 8192 }),
      ],
      jobs: [job],
      index: 1,
    });
    const result = schedule(snapshot, mockEval({ id: 'eval-1', jobId: 'web' }), { now: 0 });
    const placed = Object.values(result.plan.nodeAllocation).flat();
    // --- README ends ---

    expect(problems).toEqual([]);
    expect(placed).toHaveLength(3);
    expect(placed.map((a) => a.name).sort()).toEqual(['web.web[0]', 'web.web[1]', 'web.web[2]']);
    expect(new Set(placed.map((a) => a.nodeId))).toEqual(new Set(['node-a', 'node-b']));
    expect(result.evaluation.status).toBe('complete');
    const again = schedule(snapshot, mockEval({ id: 'eval-1', jobId: 'web' }), { now: 0 });
    expect(again).toEqual(result);
  });
});

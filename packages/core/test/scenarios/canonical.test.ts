import { describe, expect, it } from 'vitest';
import { canonicalizeJob } from '../../src/jobspec/canonicalize.js';
import { Cluster, mkNode, placed } from './fixtures.js';

describe('jobs straight from canonicalizeJob', () => {
  it('schedules a canonicalized service and batch job with Nomad defaults', () => {
    const c = new Cluster();
    for (let i = 0; i < 3; i++) c.addNode(mkNode(`node-${i}`));
    const svc = canonicalizeJob({
      id: 'web',
      datacenters: ['dc1'],
      taskGroups: [
        { name: 'g', count: 2, tasks: [{ name: 't', driver: 'exec', config: { command: '/bin/true' } }] },
      ],
    });
    c.register(svc);
    const r = c.step({}, 'web');
    expect(
      placed(r.plan)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['web.g[0]', 'web.g[1]']);
    expect(r.evaluation.status).toBe('complete');
    const batch = canonicalizeJob({
      id: 'b',
      type: 'batch',
      datacenters: ['dc1'],
      taskGroups: [
        { name: 'g', count: 1, tasks: [{ name: 't', driver: 'exec', config: { command: '/bin/true' } }] },
      ],
    });
    c.register(batch);
    const rb = c.step({}, 'b');
    expect(placed(rb.plan).length).toBe(1);
    // Batch default reschedule: 1 attempt in 24h after a 5s constant delay.
    const a = c.live('b')[0]!;
    c.setClient([a.id], 'failed');
    const f = c.step({ triggeredBy: 'alloc-failure' }, 'b');
    expect(f.followupEvals.map((e) => e.waitUntil - c.now)).toEqual([5e9]);
  });
});

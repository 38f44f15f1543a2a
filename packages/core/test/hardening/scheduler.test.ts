/**
 * Issue #18 scheduler defects: max_allocs seen by the scheduler (5), distinct_property under
 * system destructive updates (6).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulate/simulate.js';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { Job } from '../../src/jobspec/types.js';
import { createSnapshot } from '../../src/index.js';
import { schedule } from '../../src/scheduler/schedule.js';
import { mockEval } from '../../src/simulate/mock.js';
import { validateJob } from '../../src/jobspec/validate.js';

describe('max_allocs (issue #18 item 5)', () => {
  it('places up to the limit and blocks the rest instead of failing the evaluation', async () => {
    const node = { ...mockNode({ id: 'n1' }), nodeMaxAllocs: 2 };
    const sim = createSimulation({ nodes: [node] });
    await sim.start();
    const r = await sim.cp.registerJob(mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 3)] }));
    expect(r.ok).toBe(true);
    await sim.cp.processEvals();
    const evalId = r.ok ? r.evalId! : '';
    const ev = sim.cp.state().evalById(evalId)!;
    expect(ev.status).toBe('complete');
    expect(ev.failedTGAllocs['web']?.dimensionExhausted['max allocation exceeded']).toBeGreaterThan(0);
    expect(ev.blockedEval).not.toBe('');
    expect(sim.cp.state().evalById(ev.blockedEval)?.status).toBe('blocked');
    expect(sim.liveAllocs('web').length).toBe(2);
  });
});

function systemJob(version: string): Job {
  const task = mockTask('t');
  task.config = { command: '/bin/sleep', args: [version] };
  return mockJob({
    id: 'sys',
    type: 'system',
    constraints: [{ ltarget: '${meta.rack}', rtarget: '1', operand: 'distinct_property' }],
    taskGroups: [mockTaskGroup('g', 1, task)],
  });
}

describe('distinct_property under system destructive updates (issue #18 item 6)', () => {
  for (const type of ['system', 'sysbatch'] as const) {
    it(`${type}: never two allocations on one rack with limit 1`, async () => {
      const nodes = [
        mockNode({ id: 'a1', meta: { rack: 'r1' } }),
        mockNode({ id: 'a2', meta: { rack: 'r1' } }),
        mockNode({ id: 'b1', meta: { rack: 'r2' } }),
      ];
      const sim = createSimulation({ nodes });
      await sim.start();
      const perRack = () => {
        const racks = new Map<string, number>();
        for (const a of sim.liveAllocs('sys')) {
          const rack = nodes.find((n) => n.id === a.nodeId)!.meta['rack']!;
          racks.set(rack, (racks.get(rack) ?? 0) + 1);
        }
        return racks;
      };
      expect((await sim.cp.registerJob({ ...systemJob('1'), type })).ok).toBe(true);
      await sim.cp.processEvals();
      expect(perRack()).toEqual(
        new Map([
          ['r1', 1],
          ['r2', 1],
        ]),
      );
      for (const v of ['2', '3', '4']) {
        expect((await sim.cp.registerJob({ ...systemJob(v), type })).ok).toBe(true);
        await sim.cp.processEvals();
        for (const n of perRack().values()) expect(n).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe('schedule() is linear in task groups (issue #18 item 11)', () => {
  // Operation counts, not time: every read of a group's name is counted. A reconciler that scans
  // all groups (or all placements) per group reads names ~n²/2 times.
  const nameReads = (n: number): number => {
    let reads = 0;
    const job = mockJob({
      id: 'wide',
      taskGroups: Array.from({ length: n }, (_, i) => mockTaskGroup(`g${i}`, 1)),
    });
    for (const tg of job.taskGroups) {
      const name = tg.name;
      Object.defineProperty(tg, 'name', {
        get: () => {
          reads++;
          return name;
        },
        enumerable: true,
      });
    }
    const snap = createSnapshot({ nodes: [], jobs: [job], index: 5 });
    const result = schedule(snap, mockEval({ id: 'e1', jobId: 'wide' }), { now: 1 });
    expect(Object.keys(result.failedTGAllocs).length).toBe(n);
    return reads;
  };

  it('reads each group a bounded number of times, whatever the group count', () => {
    const small = nameReads(500);
    const large = nameReads(2000);
    // Linear: 4x the groups, ~4x the reads. Quadratic would be ~16x.
    expect(large / small).toBeLessThan(6);
    expect(large).toBeLessThan(2000 * 200);
  });
});

describe('regexp constraints use RE2 (linear time, Go semantics)', () => {
  it('a catastrophic-backtracking pattern is matched in linear time on every node', async () => {
    const nodes = Array.from({ length: 20 }, (_, i) =>
      mockNode({ id: `0123456789abcdef-0123456789abcdef-0123456789ab-${i}` }),
    );
    const sim = createSimulation({ nodes });
    await sim.start();
    const job = mockJob({
      id: 'redos',
      constraints: [{ ltarget: '${node.unique.id}', rtarget: '^([0-9a-f]+-?)+X$', operand: 'regexp' }],
    });
    const r = await sim.cp.registerJob(job);
    expect(r.ok).toBe(true);
    await sim.cp.processEvals();
    const ev = sim.cp.state().evalById(r.ok ? r.evalId! : '')!;
    // No node matches (no trailing X); every node is filtered by the constraint.
    expect(ev.failedTGAllocs['web']?.constraintFiltered['${node.unique.id} regexp ^([0-9a-f]+-?)+X$']).toBe(
      20,
    );
  });

  it('patterns RE2 rejects are validation errors in Go wording', () => {
    const job = mockJob({
      id: 'bad',
      constraints: [
        { ltarget: '${attr.kernel.name}', rtarget: '(a)\\1', operand: 'regexp' },
        { ltarget: '${attr.kernel.name}', rtarget: '(?=x)', operand: 'regexp' },
      ],
    });
    expect(validateJob(job).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'Job.Constraints[0].RTarget: Regular expression failed to compile: error parsing regexp: invalid escape sequence: `\\1`',
      'Job.Constraints[1].RTarget: Regular expression failed to compile: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import { placeAll, setup } from './helpers.js';

const group = (count: number, cpu = 1000, memoryMB = 1024) =>
  mockTaskGroup('web', count, mockTask('t', { cpu, memoryMB }));

describe('placement stack', () => {
  it('bin-packs: prefers the fuller node', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(1)] });
    const full = mockNode({ id: 'full', cpu: 4000, memoryMB: 4096 });
    const empty = mockNode({ id: 'empty', cpu: 4000, memoryMB: 4096 });
    const other = mockJob({ id: 'other', taskGroups: [group(1, 2000, 2048)] });
    const existing = mockAlloc({ id: 'a0', jobId: 'other', job: other, nodeId: 'full', taskGroup: 'web' });
    const s = setup(job, { nodes: [empty, full], allocations: [existing], jobs: [other] });
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.node?.id).toBe('full');
    // util after placement: cpu 3000/4000, mem 3072/4096 → 20 − 2·10^0.25 over 18.
    expect(sel.score).toBeCloseTo((20 - 2 * Math.pow(10, 0.25)) / 18, 10);
    expect(sel.metric.scoreMetaData[0]?.scores.binpack).toBeCloseTo(sel.score, 10);
  });

  it('spread algorithm prefers the emptier node', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(1)] });
    const other = mockJob({ id: 'other', taskGroups: [group(1, 2000, 2048)] });
    const s = setup(
      job,
      {
        nodes: [mockNode({ id: 'full' }), mockNode({ id: 'empty' })],
        allocations: [mockAlloc({ id: 'a0', jobId: 'other', job: other, nodeId: 'full' })],
        jobs: [other],
      },
      { config: { algorithm: 'spread' } },
    );
    expect(s.stack.select(job.taskGroups[0]!).node?.id).toBe('empty');
  });

  it('filters by constraint and reports it in the metric, class-cached after the first node', () => {
    const job = mockJob({
      id: 'j',
      taskGroups: [group(1)],
      constraints: [{ ltarget: '${attr.kernel.name}', operand: '=', rtarget: 'windows' }],
    });
    const nodes = [1, 2, 3].map((i) => mockNode({ id: `n${i}` }));
    const s = setup(job, { nodes });
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.node).toBeUndefined();
    expect(sel.metric.nodesEvaluated).toBe(3);
    expect(sel.metric.nodesFiltered).toBe(3);
    expect(sel.metric.constraintFiltered).toEqual({
      '${attr.kernel.name} = windows': 1,
      'computed class ineligible': 2,
    });
  });

  it('reports exhaustion by dimension', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(1, 9000)] });
    const s = setup(job, { nodes: [mockNode({ id: 'n1' }), mockNode({ id: 'n2' })] });
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.node).toBeUndefined();
    expect(sel.metric.nodesExhausted).toBe(2);
    expect(sel.metric.dimensionExhausted).toEqual({ cpu: 2 });
  });

  it('later placements see earlier ones: job anti-affinity and capacity', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(4, 1500, 1024)] });
    const s = setup(job, { nodes: [mockNode({ id: 'a' }), mockNode({ id: 'b' })] });
    const placed = placeAll(s, job.taskGroups[0]!, 6);
    const counts: Record<string, number> = {};
    for (const p of placed) if (p) counts[p.id] = (counts[p.id] ?? 0) + 1;
    // 4000 MHz nodes fit two 1500 MHz allocations each; the fifth and sixth find no room.
    expect(counts).toEqual({ a: 2, b: 2 });
    expect(placed.slice(4)).toEqual([undefined, undefined]);
  });

  it('anti-affinity score: −(collisions+1)/count', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(4)] });
    const s = setup(job, { nodes: [mockNode({ id: 'only' })] });
    placeAll(s, job.taskGroups[0]!, 2);
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.metric.scoreMetaData[0]?.scores['job-anti-affinity']).toBe(-0.75);
  });

  it('distinct_hosts never puts two allocations of the job on one node', () => {
    const job = mockJob({
      id: 'j',
      taskGroups: [group(3)],
      constraints: [{ ltarget: '', operand: 'distinct_hosts', rtarget: 'true' }],
    });
    const s = setup(job, { nodes: [mockNode({ id: 'a' }), mockNode({ id: 'b' })] });
    const placed = placeAll(s, job.taskGroups[0]!, 3);
    expect(new Set(placed.slice(0, 2).map((n) => n?.id))).toEqual(new Set(['a', 'b']));
    expect(placed[2]).toBeUndefined();
  });

  it('distinct_property limits allocations per value', () => {
    const job = mockJob({
      id: 'j',
      taskGroups: [group(3)],
      constraints: [{ ltarget: '${meta.rack}', operand: 'distinct_property', rtarget: '2' }],
    });
    const nodes = ['a', 'b', 'c'].map((id) => mockNode({ id, meta: { rack: 'r1' } }));
    const s = setup(job, { nodes });
    const placed = placeAll(s, job.taskGroups[0]!, 3);
    expect(placed.filter(Boolean)).toHaveLength(2);
    const sel = s.stack.select(job.taskGroups[0]!);
    expect(sel.metric.constraintFiltered['distinct_property: ${meta.rack}=r1 used by 2 allocs']).toBe(3);
  });

  it('spread with targets reproduces Nomad: dc1 0.625, dc2 0.5 (80% of 10 in dc1, 2 existing)', () => {
    const tg = group(10, 100, 64);
    tg.spreads = [
      { attribute: '${node.datacenter}', weight: 100, spreadTarget: [{ value: 'dc1', percent: 80 }] },
    ];
    const job = mockJob({ id: 'j', datacenters: ['dc1', 'dc2'], taskGroups: [tg] });
    const dcs = ['dc1', 'dc2', 'dc1', 'dc1'];
    const nodes = dcs.map((dc, i) => mockNode({ id: `n${i}`, datacenter: dc }));
    const existing = [0, 2].map((i) =>
      mockAlloc({ id: `e${i}`, jobId: 'j', job, nodeId: `n${i}`, taskGroup: 'web' }),
    );
    const s = setup(job, { nodes, allocations: existing });
    const sel = s.stack.select(tg);
    const byNode = new Map(sel.metric.scoreMetaData.map((m) => [m.nodeId, m.scores['allocation-spread']]));
    expect(byNode.get('n1')).toBe(0.5);
    expect(byNode.get('n3')).toBe(0.625);
  });

  it('even spread balances across racks', () => {
    const tg = group(8, 100, 64);
    tg.spreads = [{ attribute: '${meta.rack}', weight: 50, spreadTarget: [] }];
    const job = mockJob({ id: 'j', taskGroups: [tg] });
    const nodes = Array.from({ length: 8 }, (_, i) => mockNode({ id: `n${i}`, meta: { rack: `r${i % 4}` } }));
    const s = setup(job, { nodes });
    const placed = placeAll(s, tg, 8);
    const perRack: Record<string, number> = {};
    for (const p of placed) perRack[p!.meta.rack!] = (perRack[p!.meta.rack!] ?? 0) + 1;
    expect(perRack).toEqual({ r0: 2, r1: 2, r2: 2, r3: 2 });
  });

  it('node affinity attracts placements', () => {
    const tg = group(1);
    tg.affinities = [{ ltarget: '${meta.ssd}', operand: '=', rtarget: 'true', weight: 50 }];
    const job = mockJob({ id: 'j', taskGroups: [tg] });
    const nodes = [mockNode({ id: 'plain' }), mockNode({ id: 'fast', meta: { ssd: 'true' } })];
    const s = setup(job, { nodes });
    const sel = s.stack.select(tg);
    expect(sel.node?.id).toBe('fast');
    expect(sel.metric.scoreMetaData[0]?.scores['node-affinity']).toBe(1);
  });

  it('reschedule penalty steers away from the previous node', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(1)] });
    const s = setup(job, { nodes: [mockNode({ id: 'bad' }), mockNode({ id: 'good' })] });
    const sel = s.stack.select(job.taskGroups[0]!, { penaltyNodeIds: new Set(['bad']) });
    expect(sel.node?.id).toBe('good');
  });

  it('assigns static and dynamic ports without collisions', () => {
    const tg = group(2);
    tg.networks = [
      {
        mode: 'host',
        device: '',
        cidr: '',
        ip: '',
        hostname: '',
        mbits: 0,
        reservedPorts: [
          { label: 'http', value: 8080, to: 0, hostNetwork: 'default', ignoreCollision: false },
        ],
        dynamicPorts: [{ label: 'admin', value: 0, to: 0, hostNetwork: 'default', ignoreCollision: false }],
      },
    ];
    const job = mockJob({ id: 'j', taskGroups: [tg] });
    const s = setup(job, { nodes: [mockNode({ id: 'a' }), mockNode({ id: 'b' })] });
    const first = s.stack.select(tg);
    expect(first.resources?.shared.ports.map((p) => p.label)).toEqual(['http', 'admin']);
    const dyn = first.resources!.shared.ports[1]!.value;
    expect(dyn).toBeGreaterThanOrEqual(20000);
    expect(dyn).toBeLessThanOrEqual(32000);
    const placed = placeAll(s, tg, 3);
    // Static port 8080 allows one allocation per node.
    expect(placed.filter(Boolean)).toHaveLength(2);
  });

  it('preempts a lower-priority allocation when enabled, and only then', () => {
    const low = mockJob({ id: 'low', priority: 20, taskGroups: [group(1, 3500, 1024)] });
    const job = mockJob({ id: 'j', priority: 70, taskGroups: [group(1, 2000, 1024)] });
    const nodes = [mockNode({ id: 'n1' })];
    const allocations = [mockAlloc({ id: 'victim', jobId: 'low', job: low, nodeId: 'n1' })];
    const off = setup(job, { nodes, allocations, jobs: [low] });
    expect(off.stack.select(job.taskGroups[0]!).node).toBeUndefined();
    const on = setup(job, { nodes, allocations, jobs: [low] }, { config: { preemption: true } });
    const sel = on.stack.select(job.taskGroups[0]!);
    expect(sel.node?.id).toBe('n1');
    expect(sel.preemptedAllocs.map((a) => a.id)).toEqual(['victim']);
    expect(sel.metric.scoreMetaData[0]?.scores.preemption).toBeCloseTo(
      1 / (1 + Math.exp(0.0048 * (21 - 2048))),
      10,
    );
  });

  it('does not preempt within 10 priority points', () => {
    const near = mockJob({ id: 'near', priority: 61, taskGroups: [group(1, 3500, 1024)] });
    const job = mockJob({ id: 'j', priority: 70, taskGroups: [group(1, 2000, 1024)] });
    const s = setup(
      job,
      {
        nodes: [mockNode({ id: 'n1' })],
        allocations: [mockAlloc({ id: 'v', jobId: 'near', job: near, nodeId: 'n1' })],
      },
      { config: { preemption: true } },
    );
    expect(s.stack.select(job.taskGroups[0]!).node).toBeUndefined();
  });

  it('filters nodes missing a driver', () => {
    const tg = mockTaskGroup('web', 1, mockTask('t', { driver: 'docker' }));
    const job = mockJob({ id: 'j', taskGroups: [tg] });
    const s = setup(job, { nodes: [mockNode({ id: 'n1', drivers: ['exec'] })] });
    const sel = s.stack.select(tg);
    expect(sel.node).toBeUndefined();
    expect(sel.metric.constraintFiltered['missing drivers']).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const job = mockJob({ id: 'j', taskGroups: [group(5, 100, 64)] });
    const nodes = Array.from({ length: 30 }, (_, i) => mockNode({ id: `n${i}` }));
    const run = () => placeAll(setup(job, { nodes }, { seed: 7 }), job.taskGroups[0]!, 5).map((x) => x?.id);
    expect(run()).toEqual(run());
  });
});

describe('class-verdict skipping', () => {
  it('chooses the same nodes with the same counts as per-node checking', () => {
    const nodes = Array.from({ length: 40 }, (_, i) =>
      mockNode({ id: `n${i}`, attributes: { 'kernel.name': i % 3 === 0 ? 'windows' : 'linux' } }),
    );
    const linux = { ltarget: '${attr.kernel.name}', operand: '=', rtarget: 'linux' };
    // A constraint on a unique attribute escapes the class cache: every node is checked itself.
    const escape = { ltarget: '${node.unique.id}', operand: '!=', rtarget: 'none' };
    const run = (constraints: (typeof linux)[]) => {
      const job = mockJob({ id: 'j', taskGroups: [group(12, 100, 64)], constraints });
      const s = setup(job, { nodes }, { seed: 3 });
      const out: [string | undefined, number, number][] = [];
      for (let k = 0; k < 12; k++) {
        const sel = s.stack.select(job.taskGroups[0]!);
        out.push([sel.node?.id, sel.metric.nodesEvaluated, sel.metric.nodesFiltered]);
        if (sel.node) placeAllocOn(s, sel.node.id, sel.resources);
      }
      return out;
    };
    expect(run([linux])).toEqual(run([linux, escape]));
  });
});

function placeAllocOn(s: ReturnType<typeof setup>, nodeId: string, resources: unknown) {
  s.ctx.appendAlloc(
    mockAlloc({
      id: `x-${nodeId}-${Object.values(s.ctx.plan.nodeAllocation).flat().length}`,
      jobId: s.ctx.job.id,
      job: s.ctx.job,
      nodeId,
      allocatedResources: resources as never,
    }),
  );
}

describe('network preemption', () => {
  const net = (port: number) => ({
    mode: 'host',
    device: '',
    cidr: '',
    ip: '',
    hostname: '',
    mbits: 0,
    reservedPorts: [{ label: 'http', value: port, to: 0, hostNetwork: 'default', ignoreCollision: false }],
    dynamicPorts: [],
  });
  const holder = (priority: number) => {
    const job = mockJob({ id: `low${priority}`, priority, taskGroups: [group(1, 100, 64)] });
    const alloc = mockAlloc({ id: `holder${priority}`, jobId: job.id, job, nodeId: 'n1' });
    alloc.allocatedResources!.shared.ports = [
      { label: 'http', value: 8080, to: 0, hostIp: '', ignoreCollision: false },
    ];
    return { job, alloc };
  };
  it('evicts a lower-priority holder of a static port only when preemption is on and the gap is ≥ 10', () => {
    const tg = group(1, 100, 64);
    tg.networks = [net(8080)];
    const job = mockJob({ id: 'j', priority: 70, taskGroups: [tg] });
    const low = holder(20);
    const on = setup(
      job,
      { nodes: [mockNode({ id: 'n1' })], allocations: [low.alloc], jobs: [low.job] },
      { config: { preemption: true } },
    );
    const sel = on.stack.select(tg);
    expect(sel.node?.id).toBe('n1');
    expect(sel.preemptedAllocs.map((a) => a.id)).toEqual(['holder20']);
    expect(sel.resources?.shared.ports[0]?.value).toBe(8080);
    const off = setup(job, { nodes: [mockNode({ id: 'n1' })], allocations: [low.alloc], jobs: [low.job] });
    expect(off.stack.select(tg).metric.dimensionExhausted).toEqual({
      'network: reserved port collision http=8080': 1,
    });
    const near = holder(65);
    const close = setup(
      job,
      { nodes: [mockNode({ id: 'n1' })], allocations: [near.alloc], jobs: [near.job] },
      { config: { preemption: true } },
    );
    expect(close.stack.select(tg).node).toBeUndefined();
  });
});

describe('device preemption', () => {
  it('evicts the lowest-priority holder of a needed device instance', () => {
    const node = mockNode({ id: 'n1' });
    node.nodeResources.devices = [
      {
        vendor: 'nvidia',
        type: 'gpu',
        name: 't4',
        attributes: {},
        instances: [{ id: 'g0', healthy: true, healthDescription: '' }],
      },
    ];
    const holderJob = (id: string, priority: number) =>
      mockJob({ id, priority, taskGroups: [group(1, 100, 64)] });
    const low = holderJob('low', 20);
    const alloc = mockAlloc({ id: 'gpu-holder', jobId: 'low', job: low, nodeId: 'n1' });
    alloc.allocatedResources!.tasks.t!.devices = [
      { vendor: 'nvidia', type: 'gpu', name: 't4', deviceIds: ['g0'] },
    ];
    const task = mockTask('t', { cpu: 100, memoryMB: 64 });
    task.resources.devices = [{ name: 'nvidia/gpu', count: 1, constraints: [], affinities: [] }];
    const tg = mockTaskGroup('web', 1, task);
    const job = mockJob({ id: 'j', priority: 80, taskGroups: [tg] });
    const input = { nodes: [node], allocations: [alloc], jobs: [low] };
    expect(setup(job, input).stack.select(tg).node).toBeUndefined();
    const sel = setup(job, input, { config: { preemption: true } }).stack.select(tg);
    expect(sel.preemptedAllocs.map((a) => a.id)).toEqual(['gpu-holder']);
    expect(sel.resources?.tasks.t?.devices).toEqual([
      { vendor: 'nvidia', type: 'gpu', name: 't4', deviceIds: ['g0'] },
    ]);
  });
});

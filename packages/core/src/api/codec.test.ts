import { describe, expect, it } from 'vitest';
import { decodeAllocation, decodeJob, decodeNode, encodeJob } from './codec.js';

describe('decodeJob', () => {
  it('renames PascalCase keys and accepts the wrapped form', () => {
    const bare = {
      ID: 'web',
      Type: 'service',
      TaskGroups: [{ Name: 'g', Count: 2, Tasks: [{ Name: 't', Driver: 'docker' }] }],
    };
    const a = decodeJob(bare);
    const b = decodeJob({ Job: bare });
    expect(a).toEqual(b);
    expect(a.ok && a.value.taskGroups?.[0]?.tasks?.[0]?.driver).toBe('docker');
    expect(a.ok && a.value.taskGroups?.[0]?.count).toBe(2);
  });

  it('names the path and what was expected', () => {
    const r = decodeJob({
      Job: {
        ID: 'x',
        TaskGroups: [{ Name: 'g', Tasks: [{ Name: 'a' }, { Name: 'b', Resources: { MemoryMB: '256MB' } }] }],
      },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.message)).toEqual([
        'Job.TaskGroups[0].Tasks[1].Resources.MemoryMB: expected a number, got "256MB"',
      ]);
  });

  it('reports unknown keys and every error, not just the first', () => {
    const r = decodeJob({ ID: 'x', Priorty: 50, TaskGroups: [{ Count: 'two' }] });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.message).sort()).toEqual([
        'Job.Priorty: unknown key',
        'Job.TaskGroups[0].Count: expected a number, got "two"',
      ]);
  });

  it('treats null as absent and encodes back', () => {
    const r = decodeJob({ ID: 'x', Update: null, Meta: { a: 'b' } });
    expect(r).toEqual({ ok: true, value: { id: 'x', meta: { a: 'b' } } });
    if (r.ok) expect(encodeJob(r.value)).toEqual({ ID: 'x', Meta: { a: 'b' } });
  });

  it('rejects a non-object', () => {
    const r = decodeJob([1]);
    expect(r.ok || r.errors[0]?.message).toBe('Job: expected an object, got an array');
  });
});

describe('Nomad -output style JSON', () => {
  it('reads unset pointer fields written as null', () => {
    const r = decodeJob({
      Job: {
        Region: null,
        Namespace: null,
        ID: 'cache',
        Name: 'cache',
        Type: null,
        Priority: null,
        Datacenters: ['dc1'],
        Constraints: null,
        Update: null,
        Meta: null,
        UI: null,
        TaskGroups: [
          {
            Name: 'cache',
            Count: null,
            Consul: null,
            Networks: [
              { Mode: '', DynamicPorts: [{ Label: 'db', Value: 0, To: 6379, HostNetwork: 'default' }] },
            ],
            Tasks: [
              {
                Name: 'redis',
                Driver: 'docker',
                Config: { image: 'redis:7', ports: ['db'] },
                Resources: { CPU: 500, Cores: null, MemoryMB: 256, MemoryMaxMB: null, Networks: null },
                KillTimeout: null,
                Identity: null,
                Leader: false,
              },
            ],
          },
        ],
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.type).toBeUndefined();
    expect(r.value.taskGroups?.[0]?.tasks?.[0]?.resources).toEqual({ cpu: 500, memoryMB: 256 });
  });
});

describe('decodeNode / decodeAllocation', () => {
  it('fills zero values and reads RFC 3339 times', () => {
    const r = decodeNode({
      ID: 'n1',
      Drivers: { docker: { Healthy: true, UpdateTime: '1970-01-01T00:00:01.5Z' } },
      DrainStrategy: { Deadline: 10, ForceDeadline: '0001-01-01T00:00:00Z' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.status).toBe('');
    expect(r.value.nodeResources.memory.memoryMB).toBe(0);
    expect(r.value.drivers.docker?.updateTime).toBe(1_500_000_000);
    expect(r.value.drainStrategy?.forceDeadline).toBe(0);
  });

  it('paths into maps', () => {
    const r = decodeAllocation({ TaskStates: { web: { Restarts: 'x' } } });
    expect(r.ok || r.errors[0]?.message).toBe(
      'Allocation.TaskStates.web.Restarts: expected a number, got "x"',
    );
  });
});

describe('values JSON cannot carry', () => {
  it('are decode errors with their path, not a TypeError from the error printer', () => {
    const cases: [unknown, string][] = [
      [10n, 'a bigint'],
      [() => 1, 'a function'],
      [Symbol('s'), 'a symbol'],
    ];
    for (const [v, shown] of cases) {
      const job = decodeJob({ ID: 'x', Priority: v, TaskGroups: [{ Name: 'g', Count: v }] });
      expect(job.ok).toBe(false);
      if (!job.ok) {
        expect(job.errors.map((e) => e.message)).toEqual([
          `Job.Priority: expected a number, got ${shown}`,
          `Job.TaskGroups[0].Count: expected a number, got ${shown}`,
        ]);
      }
      const node = decodeNode({ ID: v });
      expect(node.ok ? [] : node.errors.map((e) => e.message)).toEqual([
        `Node.ID: expected a string, got ${shown}`,
      ]);
    }
  });
});

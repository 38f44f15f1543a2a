import { describe, expect, it } from 'vitest';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../simulate/mock.js';
import type { Allocation } from './allocation.js';
import { allocsFit } from './allocsFit.js';
import type { Node } from './node.js';
import type { AllocatedPortMapping } from './resources.js';

const job = mockJob({
  id: 'web',
  taskGroups: [mockTaskGroup('web', 1, mockTask('t', { cpu: 1000, memoryMB: 1024 }))],
});
let seq = 0;
const alloc = (o: Partial<Allocation> = {}): Allocation =>
  mockAlloc({ id: `a${seq++}`, jobId: 'web', nodeId: 'n1', job, ...o });
const node = (o: Partial<Node> = {}): Node => ({
  ...mockNode({ id: 'n1', cpu: 2000, memoryMB: 2048, diskMB: 1000 }),
  ...o,
});
const withPorts = (ports: Partial<AllocatedPortMapping>[]): Allocation => {
  const a = alloc();
  a.allocatedResources!.shared.ports = ports.map((p) => ({
    label: 'http',
    value: 8080,
    to: 0,
    hostIp: '10.0.0.1',
    ignoreCollision: false,
    ...p,
  }));
  return a;
};
const withDevices = (ids: string[]): Allocation => {
  const a = alloc();
  a.allocatedResources!.tasks['t']!.devices = [
    { vendor: 'nvidia', type: 'gpu', name: 'k80', deviceIds: ids },
  ];
  return a;
};
const gpuNode = (): Node => {
  const n = node();
  return {
    ...n,
    nodeResources: {
      ...n.nodeResources,
      devices: [
        {
          vendor: 'nvidia',
          type: 'gpu',
          name: 'k80',
          attributes: {},
          instances: [
            { id: 'g0', healthy: true, healthDescription: '' },
            { id: 'g1', healthy: false, healthDescription: 'bad' },
          ],
        },
      ],
    },
  };
};

describe('allocsFit', () => {
  it('fits allocations within capacity and reports their summed usage', () => {
    const r = allocsFit(node(), [alloc(), alloc()]);
    expect(r).toEqual({ fit: true, dimension: '', used: { cpu: 2000, memoryMB: 2048, diskMB: 600 } });
  });

  it('reports cpu, memory and disk, each against capacity minus the reserved amount', () => {
    expect(allocsFit(node(), [alloc(), alloc(), alloc()]).dimension).toBe('cpu');
    const reserved = node().reservedResources;
    const memReserved = node({ reservedResources: { ...reserved, memory: { memoryMB: 1 } } });
    expect(allocsFit(memReserved, [alloc(), alloc()]).dimension).toBe('memory');
    const diskReserved = node({ reservedResources: { ...reserved, disk: { diskMB: 401 } } });
    expect(allocsFit(diskReserved, [alloc(), alloc()]).dimension).toBe('disk');
  });

  it('charges memory, not memory_max (oversubscription)', () => {
    const a = alloc();
    a.allocatedResources!.tasks['t']!.memory.memoryMaxMB = 100_000;
    expect(allocsFit(node(), [a, alloc()]).fit).toBe(true);
  });

  it('ignores client-terminal allocations but counts desired stops', () => {
    const done = alloc({ clientStatus: 'complete' });
    expect(allocsFit(node(), [alloc(), alloc(), done]).fit).toBe(true);
    expect(allocsFit(node(), [alloc(), alloc(), alloc({ desiredStatus: 'stop' })]).dimension).toBe('cpu');
  });

  it('enforces nodeMaxAllocs with Nomad wording', () => {
    expect(allocsFit(node({ nodeMaxAllocs: 1 }), [alloc(), alloc()]).dimension).toBe(
      'max allocation exceeded',
    );
  });

  it('rejects overlapping reserved cores and cores the node cannot give', () => {
    const withCores = (c: number[]) => {
      const a = alloc();
      a.allocatedResources!.tasks['t']!.cpu.reservedCores = c;
      return a;
    };
    expect(allocsFit(node(), [withCores([0]), withCores([1])]).fit).toBe(true);
    expect(allocsFit(node(), [withCores([0]), withCores([0])]).dimension).toBe('cores');
    expect(allocsFit(node(), [withCores([7])]).dimension).toBe('cores');
    const n = node();
    const reservesCore1 = node({
      reservedResources: { ...n.reservedResources, cpu: { cpuShares: 0, reservedCpuCores: [1] } },
    });
    expect(allocsFit(reservesCore1, [withCores([1])]).dimension).toBe('cores');
  });

  it('rejects a port claimed twice on one address, allows it on another or with ignoreCollision', () => {
    const r = allocsFit(node(), [withPorts([{}]), withPorts([{}])]);
    expect(r.fit).toBe(false);
    expect(r.dimension).toMatch(/^reserved alloc port collision: .*\[port 8080 already in use\]$/);
    expect(allocsFit(node(), [withPorts([{}]), withPorts([{ hostIp: '10.0.0.2' }])]).fit).toBe(true);
    expect(allocsFit(node(), [withPorts([{}]), withPorts([{ ignoreCollision: true }])]).fit).toBe(true);
    expect(allocsFit(node(), [withPorts([{}, { label: 'b' }])]).fit).toBe(false);
  });

  it('rejects a port the node reserves, on every address', () => {
    const n = node();
    const reserves = node({
      reservedResources: { ...n.reservedResources, networks: { reservedHostPorts: '22,8000-8090' } },
    });
    expect(allocsFit(reserves, [withPorts([{ hostIp: '192.168.1.5' }])]).dimension).toMatch(
      /port 8080 already in use/,
    );
    expect(allocsFit(reserves, [withPorts([{ value: 9000 }])]).fit).toBe(true);
  });

  it('checks ports of group networks when an allocation has no port mappings', () => {
    const net = (ip: string) => ({
      mode: 'host',
      device: '',
      cidr: '',
      ip,
      hostname: '',
      mbits: 0,
      reservedPorts: [{ label: 'db', value: 5432, to: 0, hostNetwork: 'default', ignoreCollision: false }],
      dynamicPorts: [],
    });
    const a = alloc();
    a.allocatedResources!.shared.networks = [net('10.0.0.1')];
    const b = alloc();
    b.allocatedResources!.shared.networks = [net('10.0.0.1')];
    expect(allocsFit(node(), [a, b]).dimension).toMatch(/network 10\.0\.0\.1 in alloc .*port 5432/);
  });

  it('rejects a healthy device instance claimed twice only when checking devices', () => {
    expect(allocsFit(gpuNode(), [withDevices(['g0'])], { checkDevices: true }).fit).toBe(true);
    const twice = [withDevices(['g0']), withDevices(['g0'])];
    expect(allocsFit(gpuNode(), twice, { checkDevices: true }).dimension).toBe('device oversubscribed');
    expect(allocsFit(gpuNode(), twice).fit).toBe(true);
    // Unhealthy or unknown instances are not accounted (as Nomad).
    const unaccounted = [withDevices(['g1', 'zz']), withDevices(['g1', 'zz'])];
    expect(allocsFit(gpuNode(), unaccounted, { checkDevices: true }).fit).toBe(true);
  });
});

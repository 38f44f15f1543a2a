import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSnapshot } from '../scheduler/snapshot.js';
import { selectNode } from '../scheduler/selectNode.js';
import { mockAlloc, mockJob, mockNode, mockTask, mockTaskGroup } from '../simulate/mock.js';
import type { Allocation } from './allocation.js';
import { allocsFit } from './allocsFit.js';
import type { Node } from './node.js';

const port = (label: string, value: number) => ({
  label,
  value,
  to: 0,
  hostNetwork: 'default',
  ignoreCollision: false,
});

const nodeArb = fc.record({
  cpu: fc.integer({ min: 500, max: 4000 }),
  memoryMB: fc.integer({ min: 256, max: 4096 }),
  reservedHostPorts: fc.constantFrom('', '22', '8080', '20000-20100'),
  gpus: fc.integer({ min: 0, max: 3 }),
});

type NodeSpec = { cpu: number; memoryMB: number; reservedHostPorts: string; gpus: number };

const groupArb = fc.record({
  cpu: fc.integer({ min: 100, max: 1500 }),
  memoryMB: fc.integer({ min: 64, max: 1024 }),
  staticPort: fc.constantFrom(undefined, 8080, 9090),
  dynamicPorts: fc.integer({ min: 0, max: 2 }),
  gpus: fc.integer({ min: 0, max: 1 }),
});

function makeNode(i: number, o: NodeSpec): Node {
  const n = mockNode({ id: `n${i}`, cpu: o.cpu, memoryMB: o.memoryMB });
  return {
    ...n,
    nodeResources: {
      ...n.nodeResources,
      networks: [
        {
          mode: 'host',
          device: 'eth0',
          cidr: '',
          ip: `10.0.0.${i}`,
          hostname: '',
          mbits: 1000,
          reservedPorts: [],
          dynamicPorts: [],
        },
      ],
      devices:
        o.gpus === 0
          ? []
          : [
              {
                vendor: 'nvidia',
                type: 'gpu',
                name: 'k80',
                attributes: {},
                instances: Array.from({ length: o.gpus }, (_, k) => ({
                  id: `gpu-${i}-${k}`,
                  healthy: true,
                  healthDescription: '',
                })),
              },
            ],
    },
    reservedResources: { ...n.reservedResources, networks: { reservedHostPorts: o.reservedHostPorts } },
  };
}

describe('allocsFit properties', () => {
  it('allocations placed by selectNode always fit; a colliding static port never does', () => {
    // Guards against a vacuous property: placements, port collisions and devices must occur.
    const seen = { placed: 0, collisions: 0, devices: 0 };
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 3 }),
        groupArb,
        fc.integer({ min: 1, max: 8 }),
        (nodeSpecs, g, count) => {
          const nodes = nodeSpecs.map((o, i) => makeNode(i + 1, o));
          const task = mockTask('t', { cpu: g.cpu, memoryMB: g.memoryMB });
          if (g.gpus > 0)
            task.resources.devices = [{ name: 'nvidia/gpu', count: g.gpus, constraints: [], affinities: [] }];
          const tg = mockTaskGroup('web', count, task);
          tg.networks = [
            {
              mode: 'host',
              device: '',
              cidr: '',
              ip: '',
              hostname: '',
              mbits: 0,
              reservedPorts: g.staticPort === undefined ? [] : [port('static', g.staticPort)],
              dynamicPorts: Array.from({ length: g.dynamicPorts }, (_, k) => port(`dyn${k}`, 0)),
            },
          ];
          const job = mockJob({ id: 'web', taskGroups: [tg] });
          const group = job.taskGroups[0]!;
          const allocs: Allocation[] = [];
          for (let k = 0; k < count; k++) {
            const snap = createSnapshot({ nodes, allocations: allocs, jobs: [job], index: 10 + k });
            const choice = selectNode(snap, job, group, { seed: k });
            if (!choice.node || !choice.resources) break;
            seen.placed++;
            if (Object.values(choice.resources.tasks).some((t) => t.devices.length > 0)) seen.devices++;
            allocs.push(
              mockAlloc({
                id: `a${k}`,
                jobId: job.id,
                job,
                nodeId: choice.node.id,
                taskGroup: group.name,
                allocatedResources: choice.resources,
              }),
            );
          }
          for (const n of nodes) {
            const mine = allocs.filter((a) => a.nodeId === n.id);
            const r = allocsFit(n, mine, { checkDevices: true });
            expect(r.dimension).toBe('');
            expect(r.fit).toBe(true);
          }
          for (const a of allocs) {
            const taken = a.allocatedResources!.shared.ports.find((p) => !p.ignoreCollision);
            if (!taken) continue;
            const intruder = mockAlloc({
              id: `x-${a.id}`,
              jobId: 'other',
              nodeId: a.nodeId,
              allocatedResources: {
                tasks: {},
                taskLifecycles: {},
                shared: { networks: [], diskMB: 0, ports: [{ ...taken, label: 'intruder' }] },
              },
            });
            const node = nodes.find((n) => n.id === a.nodeId)!;
            const onNode = allocs.filter((b) => b.nodeId === a.nodeId);
            const r = allocsFit(node, [...onNode, intruder], { checkDevices: true });
            expect(r.fit).toBe(false);
            expect(r.dimension).toMatch(/port collision/);
            seen.collisions++;
          }
          // A port the node reserves collides on any address.
          for (const n of nodes) {
            const reserved = n.reservedResources.networks.reservedHostPorts;
            if (!reserved) continue;
            const value = parseInt(reserved, 10);
            const intruder = mockAlloc({
              id: `r-${n.id}`,
              jobId: 'other',
              nodeId: n.id,
              allocatedResources: {
                tasks: {},
                taskLifecycles: {},
                shared: {
                  networks: [],
                  diskMB: 0,
                  ports: [{ label: 'r', value, to: 0, hostIp: '10.9.9.9', ignoreCollision: false }],
                },
              },
            });
            expect(allocsFit(n, [intruder]).dimension).toMatch(/port collision/);
          }
        },
      ),
    );
    expect(seen.placed).toBeGreaterThan(0);
    expect(seen.collisions).toBeGreaterThan(0);
    expect(seen.devices).toBeGreaterThan(0);
  });
});

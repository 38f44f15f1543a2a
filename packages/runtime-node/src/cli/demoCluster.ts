/**
 * The simulated cluster the demo runs the guide's jobs on: ten client nodes in four
 * datacenters (dc1 / dc2, where the guide's snippets run, and us-east-1 / us-east-2, which the
 * guide's whole jobs name), on racks (`meta.rack`), of four node classes, with the docker / exec / raw_exec /
 * java drivers healthy and one GPU node. Sized to hold most of the guide's jobs, not all of them,
 * so that placement failures show their explanations. Pure.
 */
import { mockNode } from '@tsnomad/core/testing';
import { type Node } from '@tsnomad/core';

const DRIVERS = ['docker', 'exec', 'raw_exec', 'java'];

// Attributes the guide's constraints read (kernel version, docker volumes, java).
const ATTRIBUTES = {
  'kernel.version': '5.15.0',
  'driver.docker.volumes.enabled': 'true',
  'driver.java.version': '17.0.9',
  'driver.java.runtime': 'OpenJDK Runtime Environment',
  'driver.java.vm': 'OpenJDK 64-Bit Server VM',
  'cpu.numcores': '4',
};

interface NodeSpec {
  id: string;
  name: string;
  dc: string;
  rack: string;
  /** `meta.zone`, which the guide's e-commerce job spreads over. */
  zone: string;
  nodeClass: string;
  cpu: number;
  memoryMB: number;
  gpu?: boolean;
  /** Host volumes the client offers (names the guide's jobs ask for). */
  volumes?: string[];
}

const NODES: readonly NodeSpec[] = [
  {
    id: '3f2a91c4-0b7e-4d21-9a55-1c0e6f8b2d11',
    name: 'dc1-web-1',
    dc: 'dc1',
    rack: 'r1',
    zone: 'dc1-a',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 8192,
  },
  {
    id: '7b8c1d2e-5f60-4a71-8b92-2d3e4f5a6b22',
    name: 'dc1-web-2',
    dc: 'dc1',
    rack: 'r2',
    zone: 'dc1-b',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 8192,
  },
  {
    id: 'a1b2c3d4-e5f6-4711-8899-aabbccddee33',
    name: 'dc1-db-1',
    dc: 'dc1',
    rack: 'r3',
    zone: 'dc1-a',
    nodeClass: 'highmem',
    cpu: 8000,
    memoryMB: 16384,
    volumes: ['mysql-data'],
  },
  {
    id: 'c9d8e7f6-a5b4-4c3d-9e2f-10a2b3c4d544',
    name: 'dc1-gpu-1',
    dc: 'dc1',
    rack: 'r4',
    zone: 'dc1-b',
    nodeClass: 'gpu-enabled',
    cpu: 16000,
    memoryMB: 32768,
    gpu: true,
  },
  {
    id: '0e1f2a3b-4c5d-4e6f-8a7b-8c9d0e1f2a55',
    name: 'dc2-web-1',
    dc: 'dc2',
    rack: 'r1',
    zone: 'dc2-a',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 8192,
  },
  {
    id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c66',
    name: 'dc2-web-2',
    dc: 'dc2',
    rack: 'r2',
    zone: 'dc2-b',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 8192,
  },
  {
    id: 'e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a77',
    name: 'dc2-compute-1',
    dc: 'dc2',
    rack: 'r3',
    zone: 'dc2-a',
    nodeClass: 'compute',
    cpu: 12000,
    memoryMB: 16384,
  },
  {
    id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e88',
    name: 'use1-web-1',
    volumes: ['data'],
    dc: 'us-east-1',
    rack: 'r1',
    zone: 'us-east-1a',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 3072,
  },
  {
    id: '6d7e8f90-1a2b-4c3d-9e4f-5a6b7c8d9e99',
    name: 'use1-web-2',
    volumes: ['data'],
    dc: 'us-east-1',
    rack: 'r2',
    zone: 'us-east-1b',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 3072,
  },
  {
    id: 'b0c1d2e3-f4a5-4b6c-8d7e-8f9a0b1c2daa',
    name: 'use2-web-1',
    dc: 'us-east-2',
    rack: 'r1',
    zone: 'us-east-2a',
    nodeClass: 'general',
    cpu: 8000,
    memoryMB: 3072,
  },
];

const GiB = 1024;

/** The demo cluster's nodes, ready and eligible. Pure. */
export function demoNodes(): Node[] {
  return NODES.map((s) => {
    const n = mockNode({
      id: s.id,
      name: s.name,
      datacenter: s.dc,
      nodeClass: s.nodeClass,
      cpu: s.cpu,
      memoryMB: s.memoryMB,
      drivers: DRIVERS,
      attributes: { ...ATTRIBUTES, 'unique.hostname': s.name },
      meta: { rack: s.rack, zone: s.zone },
    });
    const hostVolumes = Object.fromEntries(
      (s.volumes ?? []).map((v) => [v, { name: v, path: `/opt/volumes/${v}`, readOnly: false, id: '' }]),
    );
    if (!s.gpu) return { ...n, hostVolumes };
    // The GPU node's class is unique ("gpu-enabled"), so its computed class stays distinct.
    return {
      ...n,
      nodeResources: {
        ...n.nodeResources,
        devices: [
          {
            vendor: 'nvidia',
            type: 'gpu',
            name: 'Tesla V100',
            instances: [0, 1].map((i) => ({
              id: `GPU-00000000-0000-4000-8000-00000000000${i}`,
              healthy: true,
              healthDescription: '',
            })),
            attributes: { memory: { int: 16 * GiB, unit: 'MiB' } },
          },
        ],
      },
    };
  });
}

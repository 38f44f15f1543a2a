import type { Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';

/**
 * The candidate nodes of one evaluation as parallel typed arrays, built once, so the hot loop
 * reads numbers instead of walking objects. Usage columns are filled lazily on first visit.
 */
export class NodeTable {
  readonly size: number;
  readonly index = new Map<string, number>();
  readonly availCpu: Float64Array;
  readonly availMemory: Float64Array;
  readonly availDisk: Float64Array;
  readonly usedCpu: Float64Array;
  readonly usedMemory: Float64Array;
  readonly usedDisk: Float64Array;
  /** 1 once the used columns of a node were computed. */
  readonly usageKnown: Uint8Array;
  /** Computed-class id of each node (index into `classKeys`). */
  readonly classId: Int32Array;
  readonly classKeys: string[] = [];

  constructor(readonly nodes: readonly Node[]) {
    const n = nodes.length;
    this.size = n;
    this.availCpu = new Float64Array(n);
    this.availMemory = new Float64Array(n);
    this.availDisk = new Float64Array(n);
    this.usedCpu = new Float64Array(n);
    this.usedMemory = new Float64Array(n);
    this.usedDisk = new Float64Array(n);
    this.usageKnown = new Uint8Array(n);
    this.classId = new Int32Array(n);
    const classes = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      this.index.set(node.id, i);
      const res = node.nodeResources;
      const reserved = node.reservedResources;
      this.availCpu[i] = res.cpu.cpuShares - (reserved?.cpu.cpuShares ?? 0);
      this.availMemory[i] = res.memory.memoryMB - (reserved?.memory.memoryMB ?? 0);
      this.availDisk[i] = res.disk.diskMB - (reserved?.disk.diskMB ?? 0);
      const key = computedClassOf(node);
      let id = classes.get(key);
      if (id === undefined) {
        id = this.classKeys.length;
        classes.set(key, id);
        this.classKeys.push(key);
      }
      this.classId[i] = id;
    }
  }
}

const classCache = new WeakMap<Node, string>();

/**
 * The node's computed class: `computedClass` when the node carries one, otherwise a key of the
 * fields feasibility reads, without per-node unique values. Nodes with equal keys are judged once.
 */
export function computedClassOf(node: Node): string {
  if (node.computedClass) return node.computedClass;
  let key = classCache.get(node);
  if (key === undefined) {
    const attrs = Object.keys(node.attributes)
      .filter((k) => !k.startsWith('unique.'))
      .sort()
      .map((k) => `${k}=${node.attributes[k]}`);
    const meta = Object.keys(node.meta)
      .filter((k) => !k.startsWith('unique.'))
      .sort()
      .map((k) => `${k}=${node.meta[k]}`);
    const drivers = Object.keys(node.drivers)
      .sort()
      .map((k) => `${k}:${node.drivers[k]!.detected ? 1 : 0}${node.drivers[k]!.healthy ? 1 : 0}`);
    const devices = (node.nodeResources.devices ?? []).map((d) => `${d.vendor}/${d.type}/${d.name}`);
    const volumes = Object.keys(node.hostVolumes ?? {})
      .sort()
      .map((k) => `${k}:${node.hostVolumes[k]!.readOnly ? 'ro' : 'rw'}`);
    key = JSON.stringify([
      node.datacenter,
      node.nodeClass,
      node.nodePool,
      attrs,
      meta,
      drivers,
      devices,
      volumes,
    ]);
    classCache.set(node, key);
  }
  return key;
}

/** True when the allocation no longer holds resources (desired stop/evict or client terminal). Pure. */
export function isTerminal(alloc: Allocation): boolean {
  const d = alloc.desiredStatus;
  if (d === 'stop' || d === 'evict') return true;
  const c = alloc.clientStatus;
  return c === 'complete' || c === 'failed' || c === 'lost';
}

/** cpu (MHz), memory (MB) and disk (MB) an allocation holds. Pure. */
export function allocUsage(alloc: Allocation): { cpu: number; memoryMB: number; diskMB: number } {
  const r = alloc.allocatedResources;
  if (!r) return { cpu: 0, memoryMB: 0, diskMB: 0 };
  let cpu = 0;
  let memoryMB = 0;
  for (const name in r.tasks) {
    const t = r.tasks[name]!;
    cpu += t.cpu.cpuShares;
    memoryMB += t.memory.memoryMB;
  }
  return { cpu, memoryMB, diskMB: r.shared.diskMB };
}

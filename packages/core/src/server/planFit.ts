/**
 * TEMPORARY resource check for the plan applier until the placement engine exports its
 * AllocsFit-style check: do these allocations fit on this node's cpu, memory, disk and
 * allocation count? Returns the exhausted dimension (Nomad's words) or undefined. Pure.
 */
import { allocUsage } from '../scheduler/nodeTable.js';
import type { Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';

export function allocsFitTemporary(node: Node, allocs: readonly Allocation[]): string | undefined {
  let cpu = 0;
  let mem = 0;
  let disk = 0;
  for (const a of allocs) {
    const u = allocUsage(a);
    cpu += u.cpu;
    mem += u.memoryMB;
    disk += u.diskMB;
  }
  const r = node.nodeResources;
  const res = node.reservedResources;
  if (cpu > r.cpu.cpuShares - res.cpu.cpuShares) return 'cpu';
  if (mem > r.memory.memoryMB - res.memory.memoryMB) return 'memory';
  if (disk > r.disk.diskMB - res.disk.diskMB) return 'disk';
  if (node.nodeMaxAllocs > 0 && allocs.length > node.nodeMaxAllocs) return 'max allocs';
  return undefined;
}

/**
 * Whether a set of allocations fits on a node, as Nomad's plan applier checks it (AllocsFit):
 * summed cpu, reserved cores, memory and disk within the node's capacity minus what it reserves,
 * no port claimed twice on one address (node-reserved ports included), no device instance
 * claimed twice. Pure.
 */
import { allocUsage, isClientTerminal, type Allocation } from './allocation.js';
import type { Node } from './node.js';
import { parsePortRanges } from './portRanges.js';

/** Options of {@link allocsFit}. */
export interface AllocsFitOptions {
  /** Also check that no device instance is claimed by two allocations (the plan applier does). */
  readonly checkDevices?: boolean | undefined;
}

/** The verdict of {@link allocsFit}; `dimension` names what is exhausted, in Nomad's words. */
export interface AllocsFitResult {
  readonly fit: boolean;
  /** "" when it fits; else e.g. "cpu", "cores", "memory", "disk", "max allocation exceeded", a port collision or "device oversubscribed". */
  readonly dimension: string;
  /** Summed usage of the counted (not client-terminal) allocations. */
  readonly used: { readonly cpu: number; readonly memoryMB: number; readonly diskMB: number };
}

/**
 * Checks that `allocs` (everything that would run on `node`) fit: the allocation count
 * (`nodeMaxAllocs`), reserved cores without overlap, then cpu, cores, memory (`memoryMB`; a
 * `memory_max` above it is oversubscription and not charged), disk, ports, and with
 * `checkDevices` device instances. Client-terminal allocations are ignored. Pure.
 * @example
 * const { fit, dimension } = allocsFit(node, [...existing, placed], { checkDevices: true });
 * if (!fit) reject(node.id, dimension); // e.g. "memory"
 */
export function allocsFit(
  node: Node,
  allocs: readonly Allocation[],
  options: AllocsFitOptions = {},
): AllocsFitResult {
  let cpu = 0;
  let memoryMB = 0;
  let diskMB = 0;
  const used = (): AllocsFitResult['used'] => ({ cpu, memoryMB, diskMB });
  if (node.nodeMaxAllocs > 0 && allocs.length > node.nodeMaxAllocs) {
    return { fit: false, dimension: 'max allocation exceeded', used: used() };
  }
  const cores = new Set<number>();
  let coreOverlap = false;
  const live: Allocation[] = [];
  for (const a of allocs) {
    // Nomad skips only allocations whose client is done with them; a desired stop still holds resources.
    if (isClientTerminal(a)) continue;
    live.push(a);
    const u = allocUsage(a);
    cpu += u.cpu;
    memoryMB += u.memoryMB;
    diskMB += u.diskMB;
    for (const t of Object.values(a.allocatedResources?.tasks ?? {})) {
      for (const c of t.cpu.reservedCores ?? []) {
        if (cores.has(c)) coreOverlap = true;
        cores.add(c);
      }
    }
  }
  if (coreOverlap) return { fit: false, dimension: 'cores', used: used() };
  const dimension = capacityDimension(node, cpu, cores, memoryMB, diskMB);
  if (dimension) return { fit: false, dimension, used: used() };
  const ports = portCollision(node, live);
  if (ports) return { fit: false, dimension: ports, used: used() };
  if (options.checkDevices && devicesOversubscribed(node, live)) {
    return { fit: false, dimension: 'device oversubscribed', used: used() };
  }
  return { fit: true, dimension: '', used: used() };
}

/**
 * The first of cpu, cores, memory, disk that `cpu` / `cores` / `memoryMB` / `diskMB` exceed on
 * `node` after what it reserves, or undefined. Pure.
 */
export function capacityDimension(
  node: Node,
  cpu: number,
  cores: ReadonlySet<number>,
  memoryMB: number,
  diskMB: number,
): string | undefined {
  const r = node.nodeResources;
  const res = node.reservedResources;
  if (cpu > r.cpu.cpuShares - (res?.cpu.cpuShares ?? 0)) return 'cpu';
  // Only a node that lists reservable cores constrains core IDs (Nomad's superset rule).
  const reservedByNode = new Set(res?.cpu.reservedCpuCores ?? []);
  const available = (r.cpu.reservableCpuCores ?? []).filter((c) => !reservedByNode.has(c));
  if (available.length > 0) {
    const ok = new Set(available);
    for (const c of cores) if (!ok.has(c)) return 'cores';
  }
  if (memoryMB > r.memory.memoryMB - (res?.memory.memoryMB ?? 0)) return 'memory';
  if (diskMB > r.disk.diskMB - (res?.disk.diskMB ?? 0)) return 'disk';
  return undefined;
}

/**
 * The first port claimed twice on one address, in Nomad's wording, or undefined. Node-reserved
 * ports hold on every address; an allocation's own ports count per host IP.
 */
function portCollision(node: Node, allocs: readonly Allocation[]): string | undefined {
  const nodeReserved = new Set(parsePortRanges(node.reservedResources?.networks?.reservedHostPorts ?? ''));
  const byAddress = new Map<string, Set<number>>();
  const usedOn = (ip: string): Set<number> => {
    let s = byAddress.get(ip);
    if (!s) byAddress.set(ip, (s = new Set(nodeReserved)));
    return s;
  };
  const collide = (a: Allocation, where: string, port: number): string =>
    `reserved alloc port collision: collision when reserving port for ${where}alloc ${a.id}: [port ${port} already in use]`;
  for (const a of allocs) {
    const r = a.allocatedResources;
    if (!r) continue;
    if ((r.shared.ports ?? []).length > 0) {
      for (const p of r.shared.ports) {
        const used = usedOn(p.hostIp);
        if (used.has(p.value)) {
          if (!p.ignoreCollision) return collide(a, '', p.value);
        } else used.add(p.value);
      }
      continue;
    }
    // Without group ports, group networks and each task's first network carry the ports.
    const nets = [...(r.shared.networks ?? [])];
    for (const t of Object.values(r.tasks)) if (t.networks?.[0]) nets.push(t.networks[0]);
    for (const n of nets) {
      const used = usedOn(n.ip);
      for (const p of [...(n.reservedPorts ?? []), ...(n.dynamicPorts ?? [])]) {
        if (used.has(p.value)) return collide(a, `network ${n.ip} in `, p.value);
        used.add(p.value);
      }
    }
  }
  return undefined;
}

/** True when a healthy device instance of the node is claimed by more than one task. */
function devicesOversubscribed(node: Node, allocs: readonly Allocation[]): boolean {
  // Unhealthy or no-longer-fingerprinted instances are not accounted, as in Nomad.
  const instances = new Map<string, number>();
  for (const d of node.nodeResources.devices ?? []) {
    for (const i of d.instances) if (i.healthy) instances.set(`${d.vendor}/${d.type}/${d.name}/${i.id}`, 0);
  }
  for (const a of allocs) {
    for (const t of Object.values(a.allocatedResources?.tasks ?? {})) {
      for (const d of t.devices ?? []) {
        for (const id of d.deviceIds) {
          const key = `${d.vendor}/${d.type}/${d.name}/${id}`;
          const n = instances.get(key);
          if (n === undefined) continue;
          if (n > 0) return true;
          instances.set(key, n + 1);
        }
      }
    }
  }
  return false;
}

import type { AllocatedDeviceResource, AllocatedPortMapping } from '../../structs/resources.js';
import type { EvalContext } from '../context.js';
import { deviceMatches } from '../feasible/devices.js';
import type { GroupAsk } from '../groupAsk.js';
import { deviceAffinityScore, deviceOffer } from './deviceOffer.js';
import {
  PREEMPTION_PRIORITY_DELTA,
  preemptForTaskGroup,
  type PreemptionCandidate,
} from '../preempt/preemptForTaskGroup.js';
import { parsePortRanges } from '../../structs/portRanges.js';
import { allocUsage, type Allocation } from '../../structs/allocation.js';

/** What a node offers for a placement beyond cpu/memory/disk: ports, devices, cores, evictions. */
export interface Offer {
  ports: AllocatedPortMapping[];
  /** Devices per task. */
  devices: Record<string, AllocatedDeviceResource[]>;
  /** Core ids (all tasks together, in task order). */
  cores: number[];
  /** cpu actually charged (cores × MHz per core when cores are asked). */
  cpu: number;
  preempted: Allocation[];
  /** The `devices` affinity score of the chosen device groups; undefined when no request has affinities. */
  deviceScore?: number | undefined;
}

/** Outcome of fitting a group on one node; `dimension` says what was exhausted. */
export interface FitResult {
  fit: boolean;
  dimension: string;
  /** cpu / memory in use after the placement (for the fit score). */
  utilCpu: number;
  utilMemory: number;
  offer: Offer | undefined;
}

/** Ports an allocation holds (shared ports, group and task networks). Pure. */
function allocPorts(a: Allocation): number[] {
  const out: number[] = [];
  const r = a.allocatedResources;
  if (!r) return out;
  for (const p of r.shared.ports ?? []) out.push(p.value);
  const nets = [...(r.shared.networks ?? [])];
  for (const t of Object.values(r.tasks)) nets.push(...(t.networks ?? []));
  for (const n of nets) {
    for (const p of n.reservedPorts ?? []) out.push(p.value);
    for (const p of n.dynamicPorts ?? []) out.push(p.value);
  }
  return out;
}

function usedPorts(ctx: EvalContext, nodeIdx: number, proposed: readonly Allocation[]): Set<number> {
  const node = ctx.table.nodes[nodeIdx]!;
  const used = new Set(parsePortRanges(node.reservedResources?.networks?.reservedHostPorts ?? ''));
  for (const a of proposed) for (const p of allocPorts(a)) used.add(p);
  return used;
}

/**
 * Allocations to evict so the group's static ports become free: every holder must belong to a
 * job at least 10 priority points lower; a port reserved by the node or held by anyone else
 * makes it impossible (undefined).
 */
function portPreemptions(
  ctx: EvalContext,
  ask: GroupAsk,
  nodeIdx: number,
  proposed: readonly Allocation[],
): Allocation[] | undefined {
  const node = ctx.table.nodes[nodeIdx]!;
  const reserved = new Set(parsePortRanges(node.reservedResources?.networks?.reservedHostPorts ?? ''));
  const victims: Allocation[] = [];
  for (const want of ask.network?.reservedPorts ?? []) {
    if (reserved.has(want.value)) return undefined;
    for (const a of proposed) {
      if (!allocPorts(a).includes(want.value)) continue;
      const mine = a.jobId === ctx.job.id && a.namespace === ctx.job.namespace;
      if (mine || !a.job || ctx.job.priority - a.job.priority < PREEMPTION_PRIORITY_DELTA) return undefined;
      if (!victims.includes(a)) victims.push(a);
    }
  }
  return victims.length > 0 ? victims : undefined;
}

function nodeIp(ctx: EvalContext, nodeIdx: number): string {
  const node = ctx.table.nodes[nodeIdx]!;
  const net = node.nodeResources.networks?.[0];
  return net?.ip || node.attributes['unique.network.ip-address'] || '';
}

/** Assigns the group's static and dynamic ports; a string is the exhaustion reason. */
function assignPorts(
  ctx: EvalContext,
  ask: GroupAsk,
  nodeIdx: number,
  proposed: readonly Allocation[],
): AllocatedPortMapping[] | string {
  const net = ask.network;
  if (!net) return [];
  const used = usedPorts(ctx, nodeIdx, proposed);
  const hostIp = nodeIp(ctx, nodeIdx);
  const out: AllocatedPortMapping[] = [];
  for (const p of net.reservedPorts ?? []) {
    if (used.has(p.value) && !p.ignoreCollision)
      return `network: reserved port collision ${p.label}=${p.value}`;
    used.add(p.value);
    out.push({ label: p.label, value: p.value, to: p.to, hostIp, ignoreCollision: p.ignoreCollision });
  }
  const res = ctx.table.nodes[nodeIdx]!.nodeResources;
  const min = res.minDynamicPort || 20000;
  const max = res.maxDynamicPort || 32000;
  for (const p of net.dynamicPorts ?? []) {
    let port = -1;
    // Random probes first (as Nomad does), then a linear scan so a nearly full range still works.
    for (let k = 0; k < 20 && port < 0; k++) {
      const c = min + ctx.rng.nextInt(max - min + 1);
      if (!used.has(c)) port = c;
    }
    for (let c = min; c <= max && port < 0; c++) if (!used.has(c)) port = c;
    if (port < 0) return 'network: dynamic port selection failed';
    used.add(port);
    out.push({ label: p.label, value: port, to: p.to === -1 ? port : p.to, hostIp, ignoreCollision: false });
  }
  return out;
}

/** Picks device instances per request (best affinity score first); a string is the exhaustion reason. */
function assignDevices(
  ctx: EvalContext,
  ask: GroupAsk,
  nodeIdx: number,
  proposed: readonly Allocation[],
): { devices: Record<string, AllocatedDeviceResource[]>; score: number | undefined } | string {
  const taken = new Set<string>();
  for (const a of proposed) {
    for (const t of Object.values(a.allocatedResources?.tasks ?? {})) {
      for (const d of t.devices ?? [])
        for (const id of d.deviceIds) taken.add(`${d.vendor}/${d.type}/${d.name}/${id}`);
    }
  }
  const out: Record<string, AllocatedDeviceResource[]> = {};
  const matched: number[] = [];
  for (const { task, request } of ask.devices) {
    const offer = deviceOffer(request, ctx.table.nodes[nodeIdx]!.nodeResources.devices ?? [], taken);
    if (!offer) return 'devices: no devices match request';
    const d = offer.device;
    for (const id of offer.instanceIds) taken.add(`${d.vendor}/${d.type}/${d.name}/${id}`);
    (out[task] ??= []).push({ vendor: d.vendor, type: d.type, name: d.name, deviceIds: offer.instanceIds });
    matched.push(offer.matchedWeight);
  }
  const requests = ask.devices.map((d) => d.request);
  return { devices: out, score: deviceAffinityScore(requests, matched) };
}

/**
 * Allocations to evict so every device request can be met: per request, the matching device
 * group whose needed evictions have the lowest sum of distinct priorities (Nomad's choice);
 * within a group, lowest priority first, larger holders first. Only jobs ≥ 10 lower qualify.
 */
function devicePreemptions(
  ctx: EvalContext,
  ask: GroupAsk,
  nodeIdx: number,
  proposed: readonly Allocation[],
): Allocation[] | undefined {
  const victims: Allocation[] = [];
  for (const { request } of ask.devices) {
    let best: Allocation[] | undefined;
    let bestPriority = Infinity;
    for (const d of ctx.table.nodes[nodeIdx]!.nodeResources.devices ?? []) {
      if (!deviceMatches(request, d)) continue;
      const healthy = new Set(d.instances.filter((x) => x.healthy).map((x) => x.id));
      const holders: { a: Allocation; n: number }[] = [];
      let free = healthy.size;
      for (const a of proposed) {
        let n = 0;
        for (const t of Object.values(a.allocatedResources?.tasks ?? {})) {
          for (const dev of t.devices ?? []) {
            if (dev.vendor !== d.vendor || dev.type !== d.type || dev.name !== d.name) continue;
            n += dev.deviceIds.filter((id) => healthy.has(id)).length;
          }
        }
        if (n === 0) continue;
        free -= n;
        const mine = a.jobId === ctx.job.id && a.namespace === ctx.job.namespace;
        if (victims.includes(a)) free += n;
        else if (!mine && a.job && ctx.job.priority - a.job.priority >= PREEMPTION_PRIORITY_DELTA)
          holders.push({ a, n });
      }
      holders.sort((x, y) => x.a.job!.priority - y.a.job!.priority || y.n - x.n);
      const picked: Allocation[] = [];
      for (const h of holders) {
        if (free >= request.count) break;
        picked.push(h.a);
        free += h.n;
      }
      if (free < request.count) continue;
      const priority = [...new Set(picked.map((a) => a.job!.priority))].reduce((x, y) => x + y, 0);
      if (priority < bestPriority) {
        bestPriority = priority;
        best = picked;
      }
    }
    if (!best) return undefined;
    for (const a of best) if (!victims.includes(a)) victims.push(a);
  }
  return victims;
}

function assignCores(
  ctx: EvalContext,
  ask: GroupAsk,
  nodeIdx: number,
  proposed: readonly Allocation[],
): number[] | undefined {
  if (ask.cores === 0) return [];
  const node = ctx.table.nodes[nodeIdx]!;
  const reserved = new Set(node.reservedResources?.cpu.reservedCpuCores ?? []);
  for (const a of proposed) {
    for (const t of Object.values(a.allocatedResources?.tasks ?? {}))
      for (const c of t.cpu.reservedCores ?? []) reserved.add(c);
  }
  const all = node.nodeResources.cpu.reservableCpuCores?.length
    ? node.nodeResources.cpu.reservableCpuCores
    : Array.from({ length: node.nodeResources.cpu.totalCpuCores ?? 0 }, (_, k) => k);
  const free = all.filter((c) => !reserved.has(c));
  return free.length >= ask.cores ? free.slice(0, ask.cores) : undefined;
}

/**
 * Fits the group on candidate node `i`: cpu, cores, memory, disk (Nomad's dimension order),
 * then ports and devices; when it does not fit and preemption is on, looks for lower-priority
 * allocations to evict. Reads the context; writes only the returned result.
 */
export function binPackFit(ctx: EvalContext, ask: GroupAsk, i: number, out: FitResult): FitResult {
  ctx.ensureUsage(i);
  const t = ctx.table;
  let cpuAsk = ask.cpu;
  let offer: Offer | undefined;
  let proposed: Allocation[] | undefined;
  let evicted: Allocation[] = [];
  out.offer = undefined;
  // Nomad's AllocsFit counts the proposed allocations first: a node at its `max_allocs` is
  // exhausted whatever it has free (the plan applier would reject the placement).
  const maxAllocs = t.nodes[i]!.nodeMaxAllocs;
  if (maxAllocs > 0) {
    proposed = ctx.proposedAllocs(t.nodes[i]!.id);
    if (proposed.length + 1 > maxAllocs) return fail(out, 'max allocation exceeded');
  }
  if (ask.slowPath) {
    proposed ??= ctx.proposedAllocs(t.nodes[i]!.id);
    const cores = assignCores(ctx, ask, i, proposed);
    if (!cores) return fail(out, 'cores');
    const res = t.nodes[i]!.nodeResources.cpu;
    if (ask.cores > 0 && res.totalCpuCores > 0) cpuAsk += ask.cores * (res.cpuShares / res.totalCpuCores);
    let ports = assignPorts(ctx, ask, i, proposed);
    if (typeof ports === 'string' && ctx.placement.preemption) {
      // Static port held by lower-priority allocations: evict them (Nomad's network preemption).
      const victims = portPreemptions(ctx, ask, i, proposed);
      if (victims) {
        proposed = proposed.filter((a) => !victims.includes(a));
        ports = assignPorts(ctx, ask, i, proposed);
        evicted = victims;
      }
    }
    if (typeof ports === 'string') return fail(out, ports);
    let devices = assignDevices(ctx, ask, i, proposed);
    if (typeof devices === 'string' && ctx.placement.preemption) {
      const victims = devicePreemptions(ctx, ask, i, proposed);
      if (victims && victims.length > 0) {
        proposed = proposed.filter((a) => !victims.includes(a));
        devices = assignDevices(ctx, ask, i, proposed);
        evicted = [...evicted, ...victims];
      }
    }
    if (typeof devices === 'string') return fail(out, devices);
    offer = {
      ports,
      devices: devices.devices,
      cores,
      cpu: cpuAsk,
      preempted: evicted,
      deviceScore: devices.score,
    };
  }
  // What the port and device evictions release counts as free.
  let releasedCpu = 0;
  let releasedMem = 0;
  let releasedDisk = 0;
  for (const v of evicted) {
    const u = allocUsage(v);
    releasedCpu += u.cpu;
    releasedMem += u.memoryMB;
    releasedDisk += u.diskMB;
  }
  let usedCpu = t.usedCpu[i]! - releasedCpu + cpuAsk;
  let usedMem = t.usedMemory[i]! - releasedMem + ask.memoryMB;
  let usedDisk = t.usedDisk[i]! - releasedDisk + ask.diskMB;
  let dim =
    usedCpu > t.availCpu[i]!
      ? 'cpu'
      : usedMem > t.availMemory[i]!
        ? 'memory'
        : usedDisk > t.availDisk[i]!
          ? 'disk'
          : '';
  if (dim !== '') {
    if (!ctx.placement.preemption) return fail(out, dim);
    proposed ??= ctx.proposedAllocs(t.nodes[i]!.id);
    const preempted = preempt(ctx, ask, i, proposed, cpuAsk, [releasedCpu, releasedMem, releasedDisk]);
    if (!preempted) return fail(out, dim);
    for (const p of preempted) {
      const r = p.allocatedResources;
      for (const name in r?.tasks ?? {}) {
        usedCpu -= r!.tasks[name]!.cpu.cpuShares;
        usedMem -= r!.tasks[name]!.memory.memoryMB;
      }
      usedDisk -= r?.shared.diskMB ?? 0;
    }
    offer ??= { ports: [], devices: {}, cores: [], cpu: cpuAsk, preempted: [] };
    offer.preempted = [...evicted, ...preempted];
    dim = '';
  }
  out.fit = true;
  out.dimension = '';
  out.utilCpu = usedCpu;
  out.utilMemory = usedMem;
  out.offer = offer;
  return out;
}

function fail(out: FitResult, dimension: string): FitResult {
  out.fit = false;
  out.dimension = dimension;
  out.offer = undefined;
  return out;
}

function preempt(
  ctx: EvalContext,
  ask: GroupAsk,
  i: number,
  proposed: readonly Allocation[],
  cpuAsk: number,
  released: readonly [number, number, number],
): Allocation[] | undefined {
  const t = ctx.table;
  const already = new Map<string, number>();
  for (const list of Object.values(ctx.plan.nodePreemptions)) {
    for (const a of list)
      already.set(
        `${a.namespace}/${a.jobId}/${a.taskGroup}`,
        (already.get(`${a.namespace}/${a.jobId}/${a.taskGroup}`) ?? 0) + 1,
      );
  }
  const byId = new Map<string, Allocation>();
  const candidates: PreemptionCandidate[] = [];
  for (const a of proposed) {
    let cpu = 0;
    let mem = 0;
    for (const tr of Object.values(a.allocatedResources?.tasks ?? {})) {
      cpu += tr.cpu.cpuShares;
      mem += tr.memory.memoryMB;
    }
    const disk = a.allocatedResources?.shared.diskMB ?? 0;
    // The job's own allocations are never candidates.
    if ((a.jobId === ctx.job.id && a.namespace === ctx.job.namespace) || !a.job) continue;
    byId.set(a.id, a);
    const tg = a.job.taskGroups.find((g) => g.name === a.taskGroup);
    candidates.push({
      id: a.id,
      priority: a.job.priority,
      resources: { cpu, memoryMB: mem, diskMB: disk },
      maxParallel: tg?.migrate?.maxParallel ?? 0,
      alreadyPreempted: already.get(`${a.namespace}/${a.jobId}/${a.taskGroup}`) ?? 0,
    });
  }
  const free = {
    cpu: t.availCpu[i]! - t.usedCpu[i]! + released[0],
    memoryMB: t.availMemory[i]! - t.usedMemory[i]! + released[1],
    diskMB: t.availDisk[i]! - t.usedDisk[i]! + released[2],
  };
  const chosen = preemptForTaskGroup(
    ctx.job.priority,
    { cpu: cpuAsk, memoryMB: ask.memoryMB, diskMB: ask.diskMB },
    free,
    candidates,
  );
  return chosen?.map((c) => byId.get(c.id)!);
}

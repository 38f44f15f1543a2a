import type { VolumeRequest } from '../../jobspec/types.js';
import type { Allocation } from '../../structs/allocation.js';
import {
  allocSuffix,
  csiTopologyMatchFound,
  csiHasFreeWriteClaims,
  csiReadSchedulable,
  csiWriteSchedulable,
  type CSIVolume,
} from '../../structs/csiVolume.js';
import type { Node } from '../../structs/node.js';
import type { SchedulerSnapshot } from '../snapshot.js';

/** Nomad's CSI filter reasons, as printed in placement metrics. */
export const csiFilter = {
  pluginMissing: (plugin: string, node: string) => `CSI plugin ${plugin} is missing from client ${node}`,
  pluginUnhealthy: (plugin: string, node: string) => `CSI plugin ${plugin} is unhealthy on client ${node}`,
  pluginMaxVolumes: (plugin: string, node: string) =>
    `CSI plugin ${plugin} has the maximum number of volumes on client ${node}`,
  volumeNotFound: (ids: string) => `missing CSI volume(s) ${ids}`,
  noRead: (vol: string) => `CSI volume ${vol} is unschedulable or has exhausted its available reader claims`,
  noWrite: (vol: string) => `CSI volume ${vol} is unschedulable or is read-only`,
  inUse: (vol: string) => `CSI volume ${vol} has exhausted its available writer claims`,
  gcdAllocation: (vol: string, alloc: string) =>
    `CSI volume ${vol} has exhausted its available writer claims and is claimed by a garbage collected allocation ${alloc}; waiting for claim to be released`,
  topology: 'did not meet topology requirement',
} as const;

/** The sorted union of the checkers' missing resources. Pure. */
export function missingResources(checkers: readonly (CSIVolumeChecker | undefined)[]): string[] {
  const all = new Set<string>();
  for (const c of checkers) for (const r of c?.missingResources ?? []) all.add(r);
  return [...all].sort();
}

/** True when the group asks for at least one CSI volume. Pure. */
export function hasCSIVolumes(volumes: readonly VolumeRequest[]): boolean {
  return volumes.some((v) => v.type === 'csi');
}

const runs = (a: Allocation): boolean => a.desiredStatus === 'run' || a.clientStatus === 'running';

/**
 * Nomad's CSIVolumeChecker: per CSI volume request of a group (with `per_alloc`, the source
 * gets the allocation's `[index]` suffix) the volume must exist; the node must run the
 * volume's plugin as a healthy node plugin below its `maxVolumes`, match the volume's topology,
 * and the volume must have a free claim of the requested kind. Reads only the snapshot (not
 * the plan, as Nomad reads only the state store), so it is judged per node, never per class.
 */
export class CSIVolumeChecker {
  private requests: { req: VolumeRequest; source: string; vol: CSIVolume | undefined }[] = [];
  private missing: string[] = [];
  private allocName: string | undefined;
  /** `csi-volume:<namespace>:<id>` of every volume found missing so far (Nomad's missing resources). */
  readonly missingResources = new Set<string>();
  /** Volumes per plugin claimed by the node's running allocations (state only), per node. */
  private readonly pluginCounts = new Map<string, Map<string, number>>();

  constructor(
    private readonly snapshot: SchedulerSnapshot,
    private readonly namespace: string,
    private readonly jobId: string,
    private readonly volumes: readonly VolumeRequest[],
  ) {}

  /** Resolves the volumes for one allocation (its name decides `per_alloc` sources). */
  setVolumes(allocName: string): void {
    if (allocName === this.allocName) return;
    this.allocName = allocName;
    this.requests = [];
    this.missing = [];
    for (const req of this.volumes) {
      if (req.type !== 'csi') continue;
      const source = req.perAlloc ? req.source + allocSuffix(allocName) : req.source;
      const vol = this.snapshot.csiVolumeById?.(this.namespace, source);
      if (!vol) this.missing.push(source);
      this.requests.push({ req, source, vol });
    }
  }

  /** Why the node cannot mount the group's CSI volumes, or undefined when it can. Pure reads. */
  check(node: Node): string | undefined {
    if (this.missing.length > 0) {
      for (const id of this.missing) this.missingResources.add(`csi-volume:${this.namespace}:${id}`);
      return csiFilter.volumeNotFound(this.missing.join(', '));
    }
    if (this.requests.length === 0) return undefined;
    const counts = this.countsOn(node.id);
    for (const { req, source, vol } of this.requests) {
      if (!vol) return csiFilter.volumeNotFound(source);
      const plugin = node.csiNodePlugins?.[vol.pluginId];
      if (!plugin) return csiFilter.pluginMissing(vol.pluginId, node.id);
      if (!plugin.healthy) return csiFilter.pluginUnhealthy(vol.pluginId, node.id);
      if ((counts.get(vol.pluginId) ?? 0) >= (plugin.nodeInfo?.maxVolumes ?? 0))
        return csiFilter.pluginMaxVolumes(vol.pluginId, node.id);
      if (
        vol.topologies.length > 0 &&
        !csiTopologyMatchFound(plugin.nodeInfo?.accessibleTopology, vol.topologies)
      )
        return csiFilter.topology;
      if (req.readOnly) {
        if (!csiReadSchedulable(vol)) return csiFilter.noRead(vol.id);
        continue;
      }
      if (!csiWriteSchedulable(vol)) return csiFilter.noWrite(vol.id);
      if (csiHasFreeWriteClaims(vol)) continue;
      // Writer claims exhausted: still feasible when every holder is this job's (a replacement).
      for (const id of Object.keys(vol.writeAllocs).sort()) {
        const a = this.snapshot.allocById(id);
        if (!a) return csiFilter.gcdAllocation(vol.id, id);
        if (a.namespace !== this.namespace || a.jobId !== this.jobId) return csiFilter.inUse(vol.id);
      }
    }
    return undefined;
  }

  /**
   * Distinct CSI volumes per plugin used by the node's allocations that run or should run
   * (Nomad counts the group's volume sources as written, without the `per_alloc` suffix).
   */
  private countsOn(nodeId: string): Map<string, number> {
    let counts = this.pluginCounts.get(nodeId);
    if (counts) return counts;
    const seen = new Map<string, string>();
    for (const a of this.snapshot.allocsByNode(nodeId)) {
      if (!runs(a)) continue;
      const job = a.job ?? this.snapshot.jobById(a.namespace, a.jobId);
      const tg = job?.taskGroups.find((g) => g.name === a.taskGroup);
      for (const v of Object.values(tg?.volumes ?? {})) if (v.type === 'csi') seen.set(v.source, a.namespace);
    }
    counts = new Map();
    for (const [id, ns] of seen) {
      const vol = this.snapshot.csiVolumeById?.(ns, id);
      if (vol) counts.set(vol.pluginId, (counts.get(vol.pluginId) ?? 0) + 1);
    }
    this.pluginCounts.set(nodeId, counts);
    return counts;
  }
}

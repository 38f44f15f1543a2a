/**
 * Resources as allocated on a node: per task (cpu shares, reserved cores, memory, devices) and
 * shared by the group (disk, group networks, ports). `ComparableResources` flattens them for
 * fit checks. Units: cpu in MHz, memory and disk in MB.
 */
import type { NetworkResource } from '../jobspec/types.js';

/** CPU given to a task: MHz shares and, with `cores`, the reserved core IDs. */
export interface AllocatedCpuResources {
  cpuShares: number;
  reservedCores: number[];
}

/** Memory given to a task (MB). */
export interface AllocatedMemoryResources {
  memoryMB: number;
  /** 0 when the task sets no memory_max (no oversubscription). */
  memoryMaxMB: number;
}

/** Device instances given to a task. */
export interface AllocatedDeviceResource {
  vendor: string;
  type: string;
  name: string;
  deviceIds: string[];
}

/** A port chosen for a group: `value` on the host, `to` inside the task, on `hostIp`. */
export interface AllocatedPortMapping {
  label: string;
  value: number;
  to: number;
  hostIp: string;
  ignoreCollision: boolean;
}

/** Everything one task of an allocation was given. */
export interface AllocatedTaskResources {
  cpu: AllocatedCpuResources;
  memory: AllocatedMemoryResources;
  networks: NetworkResource[];
  devices: AllocatedDeviceResource[];
}

/** What the tasks of an allocation share: disk, group networks and ports. */
export interface AllocatedSharedResources {
  networks: NetworkResource[];
  diskMB: number;
  ports: AllocatedPortMapping[];
}

/** Lifecycle of a task as recorded with its resources (prestart sidecars count differently). */
export interface TaskLifecycleConfig {
  hook: string;
  sidecar: boolean;
}

/** Resources of an allocation: per task, lifecycles (null for main tasks), shared. */
export interface AllocatedResources {
  tasks: Record<string, AllocatedTaskResources>;
  taskLifecycles: Record<string, TaskLifecycleConfig | null>;
  shared: AllocatedSharedResources;
}

/** Flattened resources of an allocation, used to add up usage on a node. */
export interface ComparableResources {
  flattened: AllocatedTaskResources;
  shared: AllocatedSharedResources;
}

/** An empty `ComparableResources`. Pure. */
export function emptyComparableResources(): ComparableResources {
  return {
    flattened: {
      cpu: { cpuShares: 0, reservedCores: [] },
      memory: { memoryMB: 0, memoryMaxMB: 0 },
      networks: [],
      devices: [],
    },
    shared: { networks: [], diskMB: 0, ports: [] },
  };
}

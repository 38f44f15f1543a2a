/**
 * A client node as the scheduler sees it: fingerprinted attributes and resources, what is
 * reserved for the OS, drivers with health, class / pool / datacenter, status and drain state.
 */
import type { NetworkResource } from '../jobspec/types.js';

/** Node status strings. */
export type NodeStatus = 'initializing' | 'ready' | 'down' | 'disconnected';
export const NODE_STATUS_INIT = 'initializing';
export const NODE_STATUS_READY = 'ready';
export const NODE_STATUS_DOWN = 'down';
export const NODE_STATUS_DISCONNECTED = 'disconnected';

/** Scheduling eligibility strings. */
export type NodeSchedulingEligibility = 'eligible' | 'ineligible';
export const NODE_SCHEDULING_ELIGIBLE = 'eligible';
export const NODE_SCHEDULING_INELIGIBLE = 'ineligible';

/** The default node pool name, and `all`, the pool that holds every node. */
export const NODE_POOL_DEFAULT = 'default';
export const NODE_POOL_ALL = 'all';

/** A node being drained. Times in ns. */
export interface DrainStrategy {
  deadline: number;
  ignoreSystemJobs: boolean;
  /** Absolute time (ns since epoch) after which remaining allocations are stopped; 0 = none. */
  forceDeadline: number;
  startedAt: number;
}

/** A task driver as fingerprinted on a node. */
export interface DriverInfo {
  attributes: Record<string, string>;
  detected: boolean;
  healthy: boolean;
  healthDescription: string;
  updateTime: number;
}

/** A host volume offered by the client configuration. */
export interface ClientHostVolumeConfig {
  name: string;
  path: string;
  readOnly: boolean;
  id: string;
}

/** A typed device attribute (exactly one of the value fields is set). */
export interface DeviceAttribute {
  float?: number | undefined;
  int?: number | undefined;
  string?: string | undefined;
  bool?: boolean | undefined;
  unit: string;
}

/** One device instance and its health. */
export interface NodeDevice {
  id: string;
  healthy: boolean;
  healthDescription: string;
  locality?: { pciBusId: string } | undefined;
}

/** A group of identical devices, e.g. vendor nvidia, type gpu, name "1080ti". */
export interface NodeDeviceResource {
  vendor: string;
  type: string;
  name: string;
  instances: NodeDevice[];
  attributes: Record<string, DeviceAttribute>;
}

/** An address of a node network interface. */
export interface NodeNetworkAddress {
  family: string;
  alias: string;
  address: string;
  reservedPorts: string;
  gateway: string;
}

/** A fingerprinted network interface of a node. */
export interface NodeNetworkResource {
  mode: string;
  device: string;
  macAddress: string;
  speed: number;
  addresses: NodeNetworkAddress[];
}

/** What a node has. */
export interface NodeResources {
  cpu: { cpuShares: number; totalCpuCores: number; reservableCpuCores: number[] };
  memory: { memoryMB: number };
  disk: { diskMB: number };
  devices: NodeDeviceResource[];
  networks: NetworkResource[];
  nodeNetworks: NodeNetworkResource[];
  minDynamicPort: number;
  maxDynamicPort: number;
}

/** What is kept back for the OS and agents. */
export interface NodeReservedResources {
  cpu: { cpuShares: number; reservedCpuCores: number[] };
  memory: { memoryMB: number };
  disk: { diskMB: number };
  networks: { reservedHostPorts: string };
}

/** What a CSI controller plugin supports. */
export interface CSIControllerInfo {
  supportsCreateDelete: boolean;
  supportsAttachDetach: boolean;
  supportsListVolumes: boolean;
  supportsReadOnlyAttach: boolean;
}

/** What a CSI node plugin supports, and its topology. */
export interface CSINodeInfo {
  id: string;
  maxVolumes: number;
  accessibleTopology?: { segments: Record<string, string> } | undefined;
  requiresNodeStageVolume: boolean;
}

/** A CSI plugin instance running on a node. */
export interface CSIInfo {
  pluginId: string;
  allocId: string;
  healthy: boolean;
  healthDescription: string;
  updateTime: number;
  provider: string;
  providerVersion: string;
  requiresControllerPlugin: boolean;
  requiresTopologies: boolean;
  controllerInfo?: CSIControllerInfo | undefined;
  nodeInfo?: CSINodeInfo | undefined;
}

/** A client node. */
export interface Node {
  id: string;
  secretId: string;
  datacenter: string;
  name: string;
  httpAddr: string;
  tlsEnabled: boolean;
  attributes: Record<string, string>;
  nodeResources: NodeResources;
  reservedResources: NodeReservedResources;
  links: Record<string, string>;
  meta: Record<string, string>;
  nodeClass: string;
  nodePool: string;
  /** Hash of the fields that decide feasibility; nodes with equal classes are judged once. */
  computedClass: string;
  drainStrategy?: DrainStrategy | undefined;
  schedulingEligibility: NodeSchedulingEligibility | string;
  status: NodeStatus | string;
  statusDescription: string;
  statusUpdatedAt: number;
  drivers: Record<string, DriverInfo>;
  csiControllerPlugins: Record<string, CSIInfo>;
  csiNodePlugins: Record<string, CSIInfo>;
  hostVolumes: Record<string, ClientHostVolumeConfig>;
  nodeMaxAllocs: number;
  createIndex: number;
  modifyIndex: number;
}

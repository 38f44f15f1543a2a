import type { Job, VolumeRequest } from '../../src/jobspec/types.js';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../src/simulate/mock.js';
import type { CSIVolume, CSIVolumeClaim } from '../../src/structs/csiVolume.js';
import type { CSIInfo, Node } from '../../src/structs/node.js';

/** A schedulable, unclaimed volume of plugin `ebs` that may be claimed single-node-writer. */
export function csiVolume(over: Partial<CSIVolume> = {}): CSIVolume {
  return {
    id: 'vol0',
    namespace: 'default',
    name: 'vol0',
    externalId: 'ext-vol0',
    pluginId: 'ebs',
    provider: 'ebs.csi.aws.com',
    providerVersion: '1.0',
    accessMode: '',
    attachmentMode: '',
    requestedCapabilities: [{ accessMode: 'single-node-writer', attachmentMode: 'file-system' }],
    topologies: [],
    capacity: 0,
    requestedCapacityMin: 0,
    requestedCapacityMax: 0,
    schedulable: true,
    controllerRequired: false,
    resourceExhausted: 0,
    readAllocs: {},
    writeAllocs: {},
    pastClaims: {},
    createIndex: 0,
    modifyIndex: 0,
    createTime: 0,
    modifyTime: 0,
    ...over,
  };
}

/** A claim by `allocationId` (taken, write unless told). */
export function claim(allocationId: string, over: Partial<CSIVolumeClaim> = {}): CSIVolumeClaim {
  return {
    allocationId,
    nodeId: 'n1',
    externalNodeId: '',
    mode: 1,
    accessMode: 'single-node-writer',
    attachmentMode: 'file-system',
    state: 0,
    ...over,
  };
}

/** A node plugin entry for `pluginId`. */
export function nodePlugin(
  pluginId: string,
  over: { healthy?: boolean; maxVolumes?: number; segments?: Record<string, string> } = {},
): CSIInfo {
  return {
    pluginId,
    allocId: '',
    healthy: over.healthy ?? true,
    healthDescription: '',
    updateTime: 0,
    provider: 'ebs.csi.aws.com',
    providerVersion: '1.0',
    requiresControllerPlugin: false,
    requiresTopologies: over.segments !== undefined,
    nodeInfo: {
      id: 'ext',
      maxVolumes: over.maxVolumes ?? 10,
      accessibleTopology: over.segments ? { segments: over.segments } : undefined,
      requiresNodeStageVolume: true,
    },
  };
}

/** A node running the given CSI node plugins. */
export function csiNode(id: string, plugins: CSIInfo[] = []): Node {
  return { ...mockNode({ id }), csiNodePlugins: Object.fromEntries(plugins.map((p) => [p.pluginId, p])) };
}

/** A group volume request of type csi. */
export function csiRequest(source: string, over: Partial<VolumeRequest> = {}): VolumeRequest {
  return {
    name: 'data',
    type: 'csi',
    source,
    readOnly: false,
    sticky: false,
    accessMode: 'single-node-writer',
    attachmentMode: 'file-system',
    perAlloc: false,
    ...over,
  };
}

/** A service job `id` whose group `web` (count) mounts the given volumes. */
export function csiJob(id: string, volumes: VolumeRequest[], count = 1): Job {
  const group = { ...mockTaskGroup('web', count, mockTask('t', { cpu: 100, memoryMB: 64 })) };
  group.volumes = Object.fromEntries(volumes.map((v, k) => [`v${k}`, v]));
  return mockJob({ id, taskGroups: [group] });
}

/**
 * A CSI volume as the servers track it (Nomad's CSIVolume): identity, the plugin that serves
 * it, its topology, its current access / attachment modes and the allocations holding claims.
 * The claim rules (who may read, who may write) are the pure functions below; the state
 * reducer and the scheduler's CSI checker both use them.
 */

/** Access modes (Nomad's strings); '' = not claimed yet. */
export const CSI_ACCESS_MODE_UNKNOWN = '';
export const CSI_ACCESS_MODE_SINGLE_NODE_READER = 'single-node-reader-only';
export const CSI_ACCESS_MODE_SINGLE_NODE_WRITER = 'single-node-writer';
export const CSI_ACCESS_MODE_MULTI_NODE_READER = 'multi-node-reader-only';
export const CSI_ACCESS_MODE_MULTI_NODE_SINGLE_WRITER = 'multi-node-single-writer';
export const CSI_ACCESS_MODE_MULTI_NODE_MULTI_WRITER = 'multi-node-multi-writer';

/** Attachment modes (Nomad's strings); '' = not claimed yet. */
export const CSI_ATTACHMENT_MODE_UNKNOWN = '';
export const CSI_ATTACHMENT_MODE_BLOCK_DEVICE = 'block-device';
export const CSI_ATTACHMENT_MODE_FILESYSTEM = 'file-system';

/** Claim modes (Nomad's CSIVolumeClaimMode numbers). */
export const CSI_CLAIM_READ = 0;
export const CSI_CLAIM_WRITE = 1;
export const CSI_CLAIM_GC = 2;

/** Claim states (Nomad's CSIVolumeClaimState numbers); only `taken` adds a claim. */
export const CSI_CLAIM_STATE_TAKEN = 0;
export const CSI_CLAIM_STATE_NODE_DETACHED = 1;
export const CSI_CLAIM_STATE_CONTROLLER_DETACHED = 2;
export const CSI_CLAIM_STATE_READY_TO_FREE = 3;
export const CSI_CLAIM_STATE_UNPUBLISHING = 4;

/** Nomad's claim errors, as it words them. */
export const ERR_CSI_VOLUME_UNSCHEDULABLE = 'volume is currently unschedulable';
export const ERR_CSI_VOLUME_MAX_CLAIMS = 'volume max claims reached';

/** A set of topology segments, e.g. `{ zone: 'us-east-1a' }`. */
export interface CSITopology {
  segments: Record<string, string>;
}

/** Topologies asked of the storage provider when the volume was created. */
export interface CSITopologyRequest {
  required: CSITopology[];
  preferred: CSITopology[];
}

/** An access + attachment mode the volume was registered to support. */
export interface CSIVolumeCapability {
  accessMode: string;
  attachmentMode: string;
}

/** One allocation's claim on a volume. */
export interface CSIVolumeClaim {
  allocationId: string;
  nodeId: string;
  externalNodeId: string;
  /** CSI_CLAIM_READ, CSI_CLAIM_WRITE or CSI_CLAIM_GC. */
  mode: number;
  accessMode: string;
  attachmentMode: string;
  /** CSI_CLAIM_STATE_*. */
  state: number;
}

/** A CSI volume (Nomad's field names in camelCase). Times in ns. */
export interface CSIVolume {
  id: string;
  namespace: string;
  name: string;
  externalId: string;
  pluginId: string;
  provider: string;
  providerVersion: string;
  /** Current access mode (set by the first claim, cleared with the last); '' when unclaimed. */
  accessMode: string;
  /** Current attachment mode; '' when unclaimed. */
  attachmentMode: string;
  /** What the volume may be claimed as while unclaimed. */
  requestedCapabilities: CSIVolumeCapability[];
  /** Topologies the provider made the volume accessible from (empty: anywhere). */
  topologies: CSITopology[];
  requestedTopologies?: CSITopologyRequest | undefined;
  /** Bytes. */
  capacity: number;
  requestedCapacityMin: number;
  requestedCapacityMax: number;
  /** False when the plugins are unhealthy or the volume is being garbage collected. */
  schedulable: boolean;
  controllerRequired: boolean;
  /** When the provider reported exhaustion (ns); 0 = never. */
  resourceExhausted: number;
  /** Read claims by allocation ID. */
  readAllocs: Record<string, CSIVolumeClaim>;
  /** Write claims by allocation ID. */
  writeAllocs: Record<string, CSIVolumeClaim>;
  /** Claims being released (unpublish in progress) by allocation ID. */
  pastClaims: Record<string, CSIVolumeClaim>;
  createIndex: number;
  modifyIndex: number;
  createTime: number;
  modifyTime: number;
}

const WRITER_MODES: ReadonlySet<string> = new Set([
  CSI_ACCESS_MODE_SINGLE_NODE_WRITER,
  CSI_ACCESS_MODE_MULTI_NODE_SINGLE_WRITER,
  CSI_ACCESS_MODE_MULTI_NODE_MULTI_WRITER,
]);

const size = (r: Record<string, unknown>): number => Object.keys(r).length;

/** The volume may be claimed for reading at all (schedulable, not exhausted). Pure. */
export function csiReadSchedulable(v: CSIVolume): boolean {
  return v.schedulable && v.resourceExhausted === 0;
}

/**
 * The volume may be claimed for writing at all: schedulable, not exhausted, and its current
 * mode (or, while unclaimed, one of its requested capabilities) is a writer mode. Pure.
 */
export function csiWriteSchedulable(v: CSIVolume): boolean {
  if (!v.schedulable) return false;
  if (WRITER_MODES.has(v.accessMode)) return v.resourceExhausted === 0;
  if (v.accessMode === CSI_ACCESS_MODE_UNKNOWN) {
    for (const c of v.requestedCapabilities)
      if (WRITER_MODES.has(c.accessMode)) return v.resourceExhausted === 0;
  }
  return false;
}

/** A read claim is free under the current access mode (multi-node modes are unbounded). Pure. */
export function csiHasFreeReadClaims(v: CSIVolume): boolean {
  switch (v.accessMode) {
    case CSI_ACCESS_MODE_SINGLE_NODE_READER:
      return size(v.readAllocs) === 0;
    case CSI_ACCESS_MODE_SINGLE_NODE_WRITER:
      return size(v.readAllocs) === 0 && size(v.writeAllocs) === 0;
    default:
      return true;
  }
}

/** A write claim is free under the current access mode (reader modes never have one). Pure. */
export function csiHasFreeWriteClaims(v: CSIVolume): boolean {
  switch (v.accessMode) {
    case CSI_ACCESS_MODE_SINGLE_NODE_WRITER:
    case CSI_ACCESS_MODE_MULTI_NODE_SINGLE_WRITER:
      return size(v.writeAllocs) === 0;
    case CSI_ACCESS_MODE_MULTI_NODE_MULTI_WRITER:
    case CSI_ACCESS_MODE_UNKNOWN:
      return true;
    default:
      return false;
  }
}

/** Some allocation holds a read or write claim. Pure. */
export function csiVolumeInUse(v: CSIVolume): boolean {
  return size(v.readAllocs) > 0 || size(v.writeAllocs) > 0;
}

/**
 * True when the node's accessible topology contains every segment of at least one of the
 * volume's topologies (a node without a topology matches nothing). Pure.
 */
export function csiTopologyMatchFound(
  node: CSITopology | undefined,
  volume: readonly CSITopology[],
): boolean {
  if (!node || volume.length === 0) return false;
  return volume.some((t) => Object.entries(t.segments).every(([k, v]) => node.segments[k] === v));
}

/** The `[index]` suffix of an allocation name ("web.api[2]" -> "[2]"), '' without one. Pure. */
export function allocSuffix(name: string): string {
  const i = name.lastIndexOf('[');
  return i < 0 ? '' : name.slice(i);
}

/**
 * Applies a claim to a volume (Nomad's CSIVolume.Claim): a taken read or write claim is added
 * when the mode allows it, other states release (ready-to-free) or park it in past claims.
 * `allocExists` tells whether the claiming allocation is known. Returns the new volume or the
 * refusal in Nomad's words. Pure: the input volume is not modified.
 */
export function claimCSIVolume(
  v: CSIVolume,
  claim: CSIVolumeClaim,
  allocExists: boolean,
): CSIVolume | string {
  let vol: CSIVolume = {
    ...v,
    readAllocs: { ...v.readAllocs },
    writeAllocs: { ...v.writeAllocs },
    pastClaims: { ...v.pastClaims },
  };
  // Volumes registered before capabilities existed: their current mode becomes the capability.
  if (vol.requestedCapabilities.length === 0 && vol.accessMode !== '' && vol.attachmentMode !== '')
    vol.requestedCapabilities = [{ accessMode: vol.accessMode, attachmentMode: vol.attachmentMode }];
  if (
    vol.attachmentMode !== CSI_ATTACHMENT_MODE_UNKNOWN &&
    claim.attachmentMode !== CSI_ATTACHMENT_MODE_UNKNOWN &&
    vol.attachmentMode !== claim.attachmentMode
  )
    return 'cannot change attachment mode of claimed volume';
  const id = claim.allocationId;
  if (
    claim.state === CSI_CLAIM_STATE_TAKEN &&
    (claim.mode === CSI_CLAIM_READ || claim.mode === CSI_CLAIM_WRITE)
  ) {
    const write = claim.mode === CSI_CLAIM_WRITE;
    if ((write ? vol.writeAllocs : vol.readAllocs)[id]) return vol;
    if (!allocExists) return `allocation missing: ${id}`;
    if (!(write ? csiWriteSchedulable(vol) : csiReadSchedulable(vol))) return ERR_CSI_VOLUME_UNSCHEDULABLE;
    if (!(write ? csiHasFreeWriteClaims(vol) : csiHasFreeReadClaims(vol))) return ERR_CSI_VOLUME_MAX_CLAIMS;
    if (write) {
      vol.writeAllocs[id] = claim;
      delete vol.readAllocs[id];
    } else {
      vol.readAllocs[id] = claim;
      delete vol.writeAllocs[id];
    }
    delete vol.pastClaims[id];
    if (vol.attachmentMode === CSI_ATTACHMENT_MODE_UNKNOWN)
      vol = { ...vol, attachmentMode: claim.attachmentMode };
    if (vol.accessMode === CSI_ACCESS_MODE_UNKNOWN) vol = { ...vol, accessMode: claim.accessMode };
    return vol;
  }
  if (claim.state !== CSI_CLAIM_STATE_READY_TO_FREE) {
    vol.pastClaims[id] = claim;
    return vol;
  }
  delete vol.readAllocs[id];
  delete vol.writeAllocs[id];
  delete vol.pastClaims[id];
  // The last claim gone: the volume may be claimed in another mode next time.
  if (!csiVolumeInUse(vol) && size(vol.pastClaims) === 0)
    vol = { ...vol, accessMode: CSI_ACCESS_MODE_UNKNOWN, attachmentMode: CSI_ATTACHMENT_MODE_UNKNOWN };
  return vol;
}

/**
 * What is wrong with a volume to register, in Nomad's words (`validation: missing volume id,
 * …`), or undefined when it is valid. Pure.
 */
export function csiVolumeValidationError(v: CSIVolume): string | undefined {
  const errs: string[] = [];
  if (!v.id) errs.push('missing volume id');
  if (!v.pluginId) errs.push('missing plugin id');
  if (!v.namespace) errs.push('missing namespace');
  if (v.requestedCapabilities.length === 0) errs.push('must include at least one capability block');
  for (const t of v.requestedTopologies?.required ?? [])
    if (Object.keys(t.segments).length === 0) errs.push('required topology is missing segments field');
  for (const t of v.requestedTopologies?.preferred ?? [])
    if (Object.keys(t.segments).length === 0) errs.push('preferred topology is missing segments field');
  return errs.length > 0 ? `validation: ${errs.join(', ')}` : undefined;
}

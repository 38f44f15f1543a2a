/**
 * Reducers of the CSI volume commands (Nomad's UpsertCSIVolume, CSIVolumeDeregister and
 * CSIVolumeClaim state store methods). Each returns the refusal in Nomad's words, having
 * written nothing that matters: the caller drops the whole step on a refusal.
 */
import type { Allocation } from '../structs/allocation.js';
import {
  claimCSIVolume,
  csiVolumeInUse,
  csiVolumeValidationError,
  type CSIVolume,
} from '../structs/csiVolume.js';
import type {
  CSIVolumeClaimCommand,
  CSIVolumeDeregisterCommand,
  CSIVolumeRegisterCommand,
} from './commands.js';
import { nsKey, type StateWriters } from './stateSnapshot.js';
import { namespaceOf } from '../structs/namespace.js';

/**
 * Registers or updates volumes. An update may not change the volume's external ID, plugin or
 * provider; it keeps the claims and current modes already recorded (claims change only through
 * CSIVolumeClaim). Writes the volumes table.
 */
export function csiVolumeRegister(
  w: StateWriters,
  index: number,
  c: CSIVolumeRegisterCommand,
): string | undefined {
  for (const v of c.volumes) {
    const invalid = csiVolumeValidationError(v);
    if (invalid) return `volume ${v.id}: ${invalid}`;
    if (!namespaceOf(w.namespaces, v.namespace))
      return `volume ${v.id} is in nonexistent namespace ${v.namespace}`;
    const old = w.csiVolumes.get(nsKey(v.namespace, v.id));
    if (
      old &&
      (old.externalId !== v.externalId || old.pluginId !== v.pluginId || old.provider !== v.provider)
    )
      return `volume identity cannot be updated: ${v.id}`;
    const next: CSIVolume = old
      ? {
          ...v,
          accessMode: old.accessMode,
          attachmentMode: old.attachmentMode,
          readAllocs: old.readAllocs,
          writeAllocs: old.writeAllocs,
          pastClaims: old.pastClaims,
          createIndex: old.createIndex,
          createTime: old.createTime,
          modifyIndex: index,
          modifyTime: c.now,
        }
      : {
          ...v,
          readAllocs: { ...v.readAllocs },
          writeAllocs: { ...v.writeAllocs },
          pastClaims: { ...v.pastClaims },
          createIndex: index,
          createTime: c.now,
          modifyIndex: index,
          modifyTime: c.now,
        };
    w.csiVolumes.put(next);
  }
  return undefined;
}

/**
 * Removes volumes. A volume still claimed is refused unless `force` is set and every claiming
 * allocation is terminal or gone. Writes the volumes table.
 */
export function csiVolumeDeregister(
  w: StateWriters,
  c: CSIVolumeDeregisterCommand,
  terminal: (a: Allocation) => boolean,
): string | undefined {
  for (const id of c.volumeIds) {
    const v = w.csiVolumes.get(nsKey(c.namespace, id));
    if (!v) return `volume not found: ${id}`;
    if (csiVolumeInUse(v)) {
      const safe = [...Object.keys(v.readAllocs), ...Object.keys(v.writeAllocs)].every((a) => {
        const alloc = w.allocs.get(a);
        return !alloc || terminal(alloc);
      });
      if (!c.force || !safe) return `volume in use: ${id}`;
    }
    w.csiVolumes.delete(nsKey(c.namespace, id));
  }
  return undefined;
}

/**
 * Takes or releases one allocation's claim on a volume (see `claimCSIVolume` for the rules).
 * A claim without an allocation ID only bumps the volume's modify index. Writes the volumes table.
 */
export function csiVolumeClaim(w: StateWriters, index: number, c: CSIVolumeClaimCommand): string | undefined {
  const v = w.csiVolumes.get(nsKey(c.namespace, c.volumeId));
  if (!v) return `volume not found: ${c.volumeId}`;
  let next: CSIVolume = v;
  const allocId = c.claim.allocationId;
  if (allocId !== '') {
    const r = claimCSIVolume(v, c.claim, w.allocs.get(allocId) !== undefined);
    if (typeof r === 'string')
      return `alloc ${JSON.stringify(allocId)} failed to claim volume ${JSON.stringify(v.id)}: ${r}`;
    next = r;
  }
  w.csiVolumes.put({ ...next, modifyIndex: index, modifyTime: c.now });
  return undefined;
}

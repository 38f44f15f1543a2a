import type { RequestedDevice } from '../../jobspec/types.js';
import type { NodeDeviceResource } from '../../structs/node.js';
import { deviceConstraintHolds, deviceMatches } from '../feasible/devices.js';

/** The device group chosen for one request, with the instances and its affinity result. */
export interface DeviceOffer {
  device: NodeDeviceResource;
  instanceIds: string[];
  /** Σ weights of the request's affinities the group matches (signed, not normalised). */
  matchedWeight: number;
}

/**
 * Picks a device group for one request (Nomad's deviceAllocator.createOffer): among the groups
 * that match and have `count` healthy instances not in `taken` (keys `vendor/type/name/id`),
 * the one with the highest normalised affinity score Σ matched weights / Σ |weights| (0 without
 * affinities); the first in node order among equals. Undefined when none fits. Pure.
 */
export function deviceOffer(
  request: RequestedDevice,
  devices: readonly NodeDeviceResource[],
  taken: ReadonlySet<string>,
): DeviceOffer | undefined {
  let best: DeviceOffer | undefined;
  let bestScore = 0;
  for (const d of devices) {
    if (!deviceMatches(request, d)) continue;
    const prefix = `${d.vendor}/${d.type}/${d.name}/`;
    const ids: string[] = [];
    for (const inst of d.instances) {
      if (ids.length === request.count) break;
      if (inst.healthy && !taken.has(prefix + inst.id)) ids.push(inst.id);
    }
    if (ids.length < request.count) continue;
    let matched = 0;
    let total = 0;
    for (const a of request.affinities ?? []) {
      total += Math.abs(a.weight);
      if (deviceConstraintHolds(a, d)) matched += a.weight;
    }
    const score = total === 0 ? 0 : matched / total;
    if (best !== undefined && score <= bestScore) continue;
    best = { device: d, instanceIds: ids, matchedWeight: matched };
    bestScore = score;
  }
  return best;
}

/**
 * The `devices` score of a placement (Nomad's bin-pack iterator): Σ matched weights of the
 * chosen groups / Σ |weights| of every device request that has affinities; undefined when no
 * request has affinities (the score then does not apply). Pure.
 * @example deviceAffinityScore([{ affinities: [{ weight: 50 }, { weight: 50 }] } as RequestedDevice], [50]) // 0.5
 */
export function deviceAffinityScore(
  requests: readonly RequestedDevice[],
  matchedWeights: readonly number[],
): number | undefined {
  let total = 0;
  let matched = 0;
  for (let k = 0; k < requests.length; k++) {
    const affinities = requests[k]!.affinities ?? [];
    if (affinities.length === 0) continue;
    for (const a of affinities) total += Math.abs(a.weight);
    matched += matchedWeights[k] ?? 0;
  }
  return total === 0 ? undefined : matched / total;
}

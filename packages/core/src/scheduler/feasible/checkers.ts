import type { Constraint, VolumeRequest } from '../../jobspec/types.js';
import type { Node } from '../../structs/node.js';
import { checkConstraint } from './checkConstraint.js';
import { resolveTarget } from './resolveTarget.js';

/** Nomad's filter reasons, as printed in placement failures. */
export const FILTER_DRIVERS = 'missing drivers';
export const FILTER_HOST_VOLUMES = 'missing compatible host volumes';
export const FILTER_DEVICES = 'missing devices';
export const FILTER_CLASS = 'computed class ineligible';

/** How a constraint is printed in metrics: "ltarget operand rtarget". Pure. */
export function constraintString(c: Constraint): string {
  return `${c.ltarget} ${c.operand} ${c.rtarget}`;
}

/**
 * The first constraint the node violates, or undefined when all hold. `distinct_hosts` and
 * `distinct_property` are skipped (the plan-aware stages judge them). Pure.
 */
export function failedConstraint(constraints: readonly Constraint[], node: Node): Constraint | undefined {
  for (const c of constraints) {
    if (c.operand === 'distinct_hosts' || c.operand === 'distinct_property') continue;
    const l = resolveTarget(c.ltarget, node);
    const r = resolveTarget(c.rtarget, node);
    if (!checkConstraint(l, c.operand, r)) return c;
  }
  return undefined;
}

/**
 * True when every driver is detected and healthy on the node; without driver info, the
 * `driver.<name>` attribute decides (as older clients report it). Pure.
 */
export function driversHealthy(drivers: readonly string[], node: Node): boolean {
  for (const d of drivers) {
    const info = node.drivers?.[d];
    if (info) {
      if (!info.detected || !info.healthy) return false;
      continue;
    }
    const attr = node.attributes[`driver.${d}`];
    if (attr === undefined || !/^(1|t|true|TRUE|True)$/.test(attr)) return false;
  }
  return true;
}

/** True when every host volume the group asks for exists on the node and is writable when needed. Pure. */
export function hostVolumesAvailable(volumes: readonly VolumeRequest[], node: Node): boolean {
  for (const v of volumes) {
    if (v.type !== 'host') continue;
    const have = node.hostVolumes?.[v.source];
    if (!have) return false;
    if (have.readOnly && !v.readOnly) return false;
  }
  return true;
}

import type { Affinity, Constraint, RequestedDevice } from '../../jobspec/types.js';
import type { DeviceAttribute, NodeDeviceResource } from '../../structs/node.js';
import { checkConstraint } from './checkConstraint.js';

// Multipliers to a base unit per family; device attributes compare across units ("8 GiB" vs MiB).
const UNITS: Record<string, [string, number]> = {
  B: ['byte', 1],
  KB: ['byte', 1e3],
  KiB: ['byte', 1024],
  MB: ['byte', 1e6],
  MiB: ['byte', 1024 ** 2],
  GB: ['byte', 1e9],
  GiB: ['byte', 1024 ** 3],
  TB: ['byte', 1e12],
  TiB: ['byte', 1024 ** 4],
  'B/s': ['rate', 1],
  'KB/s': ['rate', 1e3],
  'MB/s': ['rate', 1e6],
  'GB/s': ['rate', 1e9],
  Hz: ['hz', 1],
  KHz: ['hz', 1e3],
  MHz: ['hz', 1e6],
  GHz: ['hz', 1e9],
  mW: ['watt', 1e-3],
  W: ['watt', 1],
  kW: ['watt', 1e3],
};

type Value = { num?: number; family?: string; str: string; bool?: boolean };

function attrValue(a: DeviceAttribute): Value {
  const num = a.int ?? a.float;
  if (num !== undefined) {
    const u = UNITS[a.unit];
    return u ? { num: num * u[1], family: u[0], str: `${num}` } : { num, str: `${num}` };
  }
  if (a.bool !== undefined) return { bool: a.bool, str: String(a.bool) };
  return { str: a.string ?? '' };
}

function parseValue(s: string): Value {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z/]*)\s*$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    const u = m[2] ? UNITS[m[2]] : undefined;
    if (m[2] && !u) return { str: s };
    return u ? { num: n * u[1], family: u[0], str: m[1]! } : { num: n, str: m[1]! };
  }
  if (s === 'true' || s === 'false') return { bool: s === 'true', str: s };
  return { str: s };
}

function compareValues(op: string, l: Value | undefined, r: Value | undefined): boolean {
  if (l && r && l.num !== undefined && r.num !== undefined && l.family === r.family) {
    switch (op) {
      case '=':
      case '==':
      case 'is':
        return l.num === r.num;
      case '!=':
      case 'not':
        return l.num !== r.num;
      case '<':
        return l.num < r.num;
      case '<=':
        return l.num <= r.num;
      case '>':
        return l.num > r.num;
      case '>=':
        return l.num >= r.num;
    }
  }
  if (l && r && l.num !== undefined && r.num !== undefined && l.family !== r.family) {
    // Incomparable units fail every comparison except inequality.
    return op === '!=' || op === 'not';
  }
  return checkConstraint(l?.str, op, r?.str);
}

function resolveDeviceTarget(target: string, d: NodeDeviceResource): Value | undefined {
  if (!target.startsWith('${')) return parseValue(target);
  switch (target) {
    case '${device.model}':
      return { str: d.name };
    case '${device.vendor}':
      return { str: d.vendor };
    case '${device.type}':
      return { str: d.type };
  }
  if (target.startsWith('${device.attr.')) {
    const a = d.attributes?.[target.slice('${device.attr.'.length, -1)];
    return a ? attrValue(a) : undefined;
  }
  return undefined;
}

/** True when a device group matches a constraint or affinity. Pure. */
export function deviceConstraintHolds(c: Constraint | Affinity, d: NodeDeviceResource): boolean {
  return compareValues(c.operand, resolveDeviceTarget(c.ltarget, d), resolveDeviceTarget(c.rtarget, d));
}

/** True when the node's device group answers the request's name ("type", "vendor/type" or "vendor/type/name") and constraints. Pure. */
export function deviceMatches(req: RequestedDevice, d: NodeDeviceResource): boolean {
  const parts = req.name.split('/');
  if (parts.length === 1 && parts[0] !== d.type) return false;
  if (parts.length === 2 && (parts[0] !== d.vendor || parts[1] !== d.type)) return false;
  if (parts.length >= 3 && (parts[0] !== d.vendor || parts[1] !== d.type || parts[2] !== d.name))
    return false;
  for (const c of req.constraints ?? []) if (!deviceConstraintHolds(c, d)) return false;
  return true;
}

/** True when the node has, per request, a matching device group with enough healthy instances. Pure. */
export function devicesAvailable(
  requests: readonly RequestedDevice[],
  devices: readonly NodeDeviceResource[],
): boolean {
  for (const req of requests) {
    let ok = false;
    for (const d of devices) {
      if (!deviceMatches(req, d)) continue;
      let healthy = 0;
      for (const inst of d.instances) if (inst.healthy) healthy++;
      if (healthy >= req.count) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

/**
 * Port range specs ("22,80,8000-8010") as Nomad parses them (ParsePortRanges): ports 1..65535,
 * at most 65536 of them, errors in Nomad's wording. Bounded: a hostile range is an error, not
 * a billion-element array.
 */

/** Nomad's MaxValidPort. */
export const MAX_VALID_PORT = 65536;

// Go's strconv.ParseUint(val, 10, 0) for the values a port spec can hold.
function parseUint(val: string): number | string {
  if (!/^[0-9]+$/.test(val)) return `strconv.ParseUint: parsing ${JSON.stringify(val)}: invalid syntax`;
  const n = Number(val);
  if (!Number.isSafeInteger(n))
    return `strconv.ParseUint: parsing ${JSON.stringify(val)}: value out of range`;
  return n;
}

/**
 * Parses a port spec into its ports, or returns Nomad's error. Pure.
 * @example parsePortSpec('22,8000-8002') // [22, 8000, 8001, 8002]; parsePortSpec('abc') // "strconv.ParseUint: …"
 */
export function parsePortSpec(spec: string): number[] | string {
  const parts = spec.split(',');
  if (parts.length === 1 && parts[0] === '') return [];
  const ports: number[] = [];
  let count = 0;
  for (const raw of parts) {
    const r = raw.trim().split('-');
    if (r.length === 1) {
      if (r[0] === '') return "can't specify empty port";
      const port = parseUint(r[0]!);
      if (typeof port === 'string') return port;
      if (port === 0) return 'port must be > 0';
      if (port > MAX_VALID_PORT) return `port must be < ${MAX_VALID_PORT} but found ${port}`;
      if (++count > MAX_VALID_PORT) return `maximum of ${MAX_VALID_PORT} ports can be reserved`;
      ports.push(port);
    } else if (r.length === 2) {
      const start = parseUint(r[0]!);
      if (typeof start === 'string') return start;
      const end = parseUint(r[1]!);
      if (typeof end === 'string') return end;
      if (end < start) return `invalid range: ending value (${end}) less than starting (${start}) value`;
      if (start === 0) return 'port must be > 0';
      if (end > MAX_VALID_PORT) return `port must be < ${MAX_VALID_PORT} but found ${end}`;
      count += end - start;
      if (count > MAX_VALID_PORT) return `maximum of ${MAX_VALID_PORT} ports can be reserved`;
      for (let p = start; p <= end; p++) ports.push(p);
    } else return 'can only parse single port numbers or port ranges (ex. 80,100-120,150)';
  }
  return ports;
}

/**
 * Parses "22,80,8000-8010" into ports; a spec Nomad would refuse reserves nothing (intake
 * refuses such nodes; this keeps a stored one from costing more than 65536 ports). Pure.
 */
export function parsePortRanges(spec: string): number[] {
  const ports = parsePortSpec(spec);
  return typeof ports === 'string' ? [] : ports;
}

/**
 * Why a node cannot be registered, or '' (checked at intake, before a command exists):
 * reserved host ports Nomad would refuse, and capacity numbers that are not non-negative
 * integers (a NaN capacity switches the capacity checks off). Pure.
 */
export function nodeIntakeError(node: {
  nodeResources?: {
    cpu?: { cpuShares?: number };
    memory?: { memoryMB?: number };
    disk?: { diskMB?: number };
  };
  reservedResources?: {
    cpu?: { cpuShares?: number };
    memory?: { memoryMB?: number };
    disk?: { diskMB?: number };
    networks?: { reservedHostPorts?: string };
  };
  nodeMaxAllocs?: number;
}): string {
  const spec = node.reservedResources?.networks?.reservedHostPorts ?? '';
  const ports = typeof spec === 'string' ? parsePortSpec(spec) : 'must be a string';
  if (typeof ports === 'string')
    return `Reserved.Networks.ReservedHostPorts ${JSON.stringify(spec)}: ${ports}`;
  const numbers: [string, number | undefined][] = [
    ['NodeResources.Cpu.CpuShares', node.nodeResources?.cpu?.cpuShares],
    ['NodeResources.Memory.MemoryMB', node.nodeResources?.memory?.memoryMB],
    ['NodeResources.Disk.DiskMB', node.nodeResources?.disk?.diskMB],
    ['ReservedResources.Cpu.CpuShares', node.reservedResources?.cpu?.cpuShares],
    ['ReservedResources.Memory.MemoryMB', node.reservedResources?.memory?.memoryMB],
    ['ReservedResources.Disk.DiskMB', node.reservedResources?.disk?.diskMB],
    ['NodeMaxAllocs', node.nodeMaxAllocs],
  ];
  for (const [path, v] of numbers) {
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0) return `${path} must be a non-negative integer; got ${v}`;
  }
  return '';
}

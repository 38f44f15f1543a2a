import { createServer } from 'node:net';

import type { AllocatedPort } from '../driver.js';

/** Nomad's client defaults for the dynamic port range (`min_dynamic_port`, `max_dynamic_port`). */
export const DEFAULT_MIN_DYNAMIC_PORT = 20000;
export const DEFAULT_MAX_DYNAMIC_PORT = 32000;
/** Random picks tried before scanning the range in order (Nomad tries 20). */
const RANDOM_ATTEMPTS = 20;

/** A port a task asks for: static when `static` is set, dynamic otherwise. */
export interface PortRequest {
  label: string;
  /** A fixed host port (`static = 8080`). */
  static?: number;
  /** The port inside the task (`to = 80`); -1 means "same as the host port" as in Nomad. */
  to?: number;
}

/** A user mistake or an exhausted range, as a value. */
export interface PortError {
  path: string;
  expected: string;
  actual: unknown;
}

export type PortResult = { ok: true; ports: AllocatedPort[] } | { ok: false; errors: PortError[] };

/** Options of {@link createPortReserver}. */
export interface PortReserverOptions {
  minDynamicPort?: number;
  maxDynamicPort?: number;
  /** Ports never handed out, in Nomad's `reserved_ports` syntax: `"22,80,8000-8100"`. */
  reservedPorts?: string;
  /** Uniform [0,1) source for dynamic picks; inject a seeded one for reproducible tests. */
  random?: () => number;
  /** Also check that the OS lets us bind the port (a process outside tsnomad may hold it). Default true. */
  probe?: boolean;
}

/** Reserves host ports per address for allocations. */
export interface PortReserver {
  /** Reserves every request on `hostIp`, all or nothing. */
  reserve(hostIp: string, requests: readonly PortRequest[]): Promise<PortResult>;
  /** Gives ports back (when the allocation stops). */
  release(ports: readonly AllocatedPort[]): void;
  /** Marks ports as used again after an agent restart, from the allocations' saved ports. */
  restore(ports: readonly AllocatedPort[]): void;
  /** Ports currently reserved on `hostIp`, ascending. */
  inUse(hostIp: string): number[];
}

/**
 * Parses Nomad's port list syntax `"22,80,8000-8100"`.
 * Pure.
 */
export function parsePortList(spec: string): { ok: true; ports: number[] } | { ok: false; error: PortError } {
  const out: number[] = [];
  for (const [i, raw] of spec.split(',').entries()) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m && m[2] !== undefined ? Number(m[2]) : lo;
    if (!m || lo < 1 || hi > 65535 || hi < lo) {
      return {
        ok: false,
        error: {
          path: `reserved_ports[${i}]`,
          expected: 'a port or range like 8000-8100 within 1..65535',
          actual: part,
        },
      };
    }
    for (let p = lo; p <= hi; p++) out.push(p);
  }
  return { ok: true, ports: out };
}

/** Whether the OS lets us bind `port` on `hostIp` right now. Effects: briefly binds a socket. */
export async function canBind(hostIp: string, port: number): Promise<boolean> {
  return (await bindCheck(hostIp, port)) === 'free';
}

function bindCheck(hostIp: string, port: number): Promise<'free' | 'busy' | 'no-such-address'> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      resolve(e.code === 'EADDRNOTAVAIL' ? 'no-such-address' : 'busy'),
    );
    srv.listen({ host: hostIp, port, exclusive: true }, () => srv.close(() => resolve('free')));
  });
}

/**
 * Creates the client-side host port reserver: static ports are honoured or refused, dynamic ports
 * are picked at random within the dynamic range (then by scanning), skipping reserved and busy ports.
 * Effects: with `probe` it binds candidate ports briefly.
 *
 * @example
 * const r = createPortReserver({ reservedPorts: '22' });
 * const res = await r.reserve('127.0.0.1', [{ label: 'http', to: 8080 }, { label: 'admin', static: 9000 }]);
 */
export function createPortReserver(opts: PortReserverOptions = {}): PortReserver {
  const min = opts.minDynamicPort ?? DEFAULT_MIN_DYNAMIC_PORT;
  const max = opts.maxDynamicPort ?? DEFAULT_MAX_DYNAMIC_PORT;
  const random = opts.random ?? Math.random;
  const probe = opts.probe ?? true;
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max <= 65535 && min <= max)) {
    throw new RangeError(`invalid dynamic port range ${min}-${max}`);
  }
  const parsed = parsePortList(opts.reservedPorts ?? '');
  if (!parsed.ok) throw new RangeError(`${parsed.error.path}: expected ${parsed.error.expected}`);
  const reserved = new Set(parsed.ports);
  const used = new Map<string, Set<number>>();
  const usedOn = (ip: string): Set<number> => {
    let s = used.get(ip);
    if (!s) used.set(ip, (s = new Set()));
    return s;
  };

  async function free(ip: string, port: number, taken: Set<number>): Promise<boolean> {
    if (reserved.has(port) || taken.has(port) || usedOn(ip).has(port)) return false;
    return probe ? canBind(ip, port) : true;
  }

  async function pickDynamic(ip: string, taken: Set<number>): Promise<number | undefined> {
    for (let i = 0; i < RANDOM_ATTEMPTS; i++) {
      const p = min + Math.floor(random() * (max - min + 1));
      if (await free(ip, p, taken)) return p;
    }
    for (let p = min; p <= max; p++) if (await free(ip, p, taken)) return p;
    return undefined;
  }

  return {
    async reserve(hostIp, requests) {
      // Probing a foreign address would call every port busy: say what is wrong instead.
      if (probe && (await bindCheck(hostIp, 0)) === 'no-such-address') {
        return {
          ok: false,
          errors: [{ path: 'host_ip', expected: 'an address of this host', actual: hostIp }],
        };
      }
      const errors: PortError[] = [];
      const taken = new Set<number>();
      const ports: AllocatedPort[] = [];
      // Static ports first so that a dynamic pick never takes a port asked for by label.
      for (const [i, r] of requests.entries()) {
        if (r.static === undefined) continue;
        if (!Number.isInteger(r.static) || r.static < 1 || r.static > 65535) {
          errors.push({
            path: `ports[${i}].static`,
            expected: 'an integer port within 1..65535',
            actual: r.static,
          });
        } else if (!(await free(hostIp, r.static, taken))) {
          errors.push({ path: `ports[${i}].static`, expected: `a free port on ${hostIp}`, actual: r.static });
        } else {
          taken.add(r.static);
        }
      }
      for (const [i, r] of requests.entries()) {
        let value = r.static;
        if (value === undefined) {
          value = await pickDynamic(hostIp, taken);
          if (value === undefined) {
            errors.push({
              path: `ports[${i}]`,
              expected: `a free dynamic port in ${min}-${max}`,
              actual: 'none left',
            });
            continue;
          }
          taken.add(value);
        }
        const to = r.to === -1 ? value : r.to;
        ports.push({ label: r.label, value, hostIp, ...(to !== undefined && to > 0 ? { to } : {}) });
      }
      if (errors.length > 0) return { ok: false, errors };
      for (const p of ports) usedOn(hostIp).add(p.value);
      return { ok: true, ports };
    },
    release(ports) {
      for (const p of ports) used.get(p.hostIp)?.delete(p.value);
    },
    restore(ports) {
      for (const p of ports) usedOn(p.hostIp).add(p.value);
    },
    inUse(hostIp) {
      return [...(used.get(hostIp) ?? [])].sort((a, b) => a - b);
    },
  };
}

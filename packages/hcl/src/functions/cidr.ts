/** CIDR functions (go-cty-funcs/cidr): cidrhost, cidrnetmask, cidrsubnet, cidrsubnets. IPv4 and IPv6. */

import { FunctionError, type HclFunction } from './types.js';
import { fn, int, str, variadic } from './args.js';

interface Network {
  readonly v6: boolean;
  readonly base: bigint;
  readonly bits: number;
}

function totalBits(v6: boolean): number {
  return v6 ? 128 : 32;
}

function parseIp(s: string): { v6: boolean; value: bigint } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v6: true, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function parseCidr(s: string, arg: number): Network {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  const ip = m ? parseIp(m[1] ?? '') : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (!m || !ip || bits > totalBits(ip.v6))
    throw new FunctionError(`invalid CIDR expression: invalid CIDR address: ${s}`, arg);
  const host = totalBits(ip.v6) - bits;
  return { v6: ip.v6, base: (ip.value >> BigInt(host)) << BigInt(host), bits };
}

/** An address as text: dotted quad, or RFC 5952 IPv6 (longest zero run compressed). */
function formatIp(v6: boolean, value: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const g = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

function subnet(net: Network, newbits: number, netnum: number): Network {
  const bits = net.bits + newbits;
  if (newbits < 0) throw new FunctionError('must extend prefix by at least one bit', 1);
  if (bits > totalBits(net.v6)) {
    throw new FunctionError(`insufficient address space to extend prefix of ${net.bits} by ${newbits}`, 1);
  }
  if (netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
    throw new FunctionError(
      `prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`,
      2,
    );
  }
  return { v6: net.v6, bits, base: net.base | (BigInt(netnum) << BigInt(totalBits(net.v6) - bits)) };
}

function show(n: Network): string {
  return `${formatIp(n.v6, n.base)}/${n.bits}`;
}

/** CIDR functions keyed by name. */
export const cidrFunctions: Record<string, HclFunction> = {
  cidrhost: fn(2, (a) => {
    const net = parseCidr(str(a, 0), 0);
    const hostnum = int(a, 1);
    const size = 1n << BigInt(totalBits(net.v6) - net.bits);
    const h = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
    if (h < 0n || h >= size) {
      throw new FunctionError(`prefix of ${net.bits} does not accommodate a host numbered ${hostnum}`, 1);
    }
    return formatIp(net.v6, net.base + h);
  }),
  cidrnetmask: fn(1, (a) => {
    const net = parseCidr(str(a, 0), 0);
    if (net.v6) throw new FunctionError('only IPv4 networks are supported', 0);
    const mask = ((1n << BigInt(net.bits)) - 1n) << BigInt(32 - net.bits);
    return formatIp(false, mask);
  }),
  cidrsubnet: fn(3, (a) => show(subnet(parseCidr(str(a, 0), 0), int(a, 1), int(a, 2)))),
  cidrsubnets: variadic(2, (a) => {
    const net = parseCidr(str(a, 0), 0);
    const total = totalBits(net.v6);
    let next = net.base;
    const end = net.base + (1n << BigInt(total - net.bits));
    const out: string[] = [];
    for (let i = 1; i < a.length; i++) {
      const newbits = int(a, i);
      const bits = net.bits + newbits;
      if (newbits < 1 || bits > total) {
        throw new FunctionError(
          `would extend prefix to ${bits} bits, which is too long for an IPv${net.v6 ? 6 : 4} address`,
          i,
        );
      }
      const size = 1n << BigInt(total - bits);
      // Align the next free address to this subnet's size.
      const start = ((next + size - 1n) / size) * size;
      if (start + size > end)
        throw new FunctionError(
          `not enough remaining address space for a subnet with a prefix of ${bits} bits after ${out.at(-1) ?? show(net)}`,
          i,
        );
      out.push(show({ v6: net.v6, base: start, bits }));
      next = start + size;
    }
    return out;
  }),
};

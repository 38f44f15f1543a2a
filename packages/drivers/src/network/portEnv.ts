import type { AllocatedPort } from '../driver.js';

/** Nomad's rule for env var names: anything outside [A-Za-z0-9_] becomes `_`. */
function cleanEnvName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The `NOMAD_*` port variables a task sees for its allocation's ports:
 * `NOMAD_IP_<l>`, `NOMAD_HOST_PORT_<l>`, `NOMAD_ADDR_<l>`, `NOMAD_HOST_ADDR_<l>`, `NOMAD_IPv4_<l>` /
 * `NOMAD_IPv6_<l>`, and `NOMAD_PORT_<l>` (the `to` port when mapped, else the host port).
 * Pure.
 *
 * @example
 * buildPortEnv([{ label: 'http', value: 23456, to: 8080, hostIp: '10.0.0.5' }]);
 * // { NOMAD_PORT_http: '8080', NOMAD_HOST_PORT_http: '23456', NOMAD_ADDR_http: '10.0.0.5:23456', ... }
 */
export function buildPortEnv(ports: readonly AllocatedPort[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of ports) {
    const l = cleanEnvName(p.label);
    const family = p.hostIp.includes(':') ? 'NOMAD_IPv6_' : 'NOMAD_IPv4_';
    env[`NOMAD_IP_${l}`] = p.hostIp;
    env[`${family}${l}`] = p.hostIp;
    env[`NOMAD_HOST_PORT_${l}`] = String(p.value);
    env[`NOMAD_ADDR_${l}`] = joinHostPort(p.hostIp, p.value);
    env[`NOMAD_HOST_ADDR_${l}`] = joinHostPort(p.hostIp, p.value);
    env[`NOMAD_PORT_${l}`] = String(p.to !== undefined && p.to > 0 ? p.to : p.value);
  }
  return env;
}

/**
 * `NOMAD_ALLOC_IP_<l>`, `NOMAD_ALLOC_ADDR_<l>` and `NOMAD_ALLOC_INTERFACE_<l>` for an allocation in
 * bridge mode: the address inside the allocation's network namespace and the `to` port.
 * Pure.
 */
export function buildAllocNetworkEnv(
  ports: readonly AllocatedPort[],
  status: { address: string; interfaceName: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of ports) {
    const l = cleanEnvName(p.label);
    const port = p.to !== undefined && p.to > 0 ? p.to : p.value;
    env[`NOMAD_ALLOC_INTERFACE_${l}`] = status.interfaceName;
    env[`NOMAD_ALLOC_IP_${l}`] = status.address;
    env[`NOMAD_ALLOC_ADDR_${l}`] = joinHostPort(status.address, port);
  }
  return env;
}

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AllocatedPort } from '../driver.js';

/** Nomad's defaults for bridge mode. */
export const DEFAULT_BRIDGE_NAME = 'nomad';
export const DEFAULT_ALLOC_SUBNET = '172.26.64.0/20';
export const DEFAULT_CNI_PATH = '/usr/lib/cni';
const CNI_VERSION = '0.4.0';
const IF_NAME = 'eth0';

/** Options of {@link createBridgeNetworking}; the keys mirror the Nomad client's. */
export interface BridgeNetworkingOptions {
  /** Directory of the CNI plugin binaries (`cni_path`). Default `/usr/lib/cni` (Debian). */
  cniPath?: string;
  /** Host bridge to attach allocations to (`bridge_network_name`). Default `nomad`. */
  bridgeName?: string;
  /** Subnet allocations get addresses from (`bridge_network_subnet`). Default `172.26.64.0/20`. */
  subnet?: string;
  /** Let allocations reach themselves through their mapped host ports (`bridge_network_hairpin_mode`). */
  hairpinMode?: boolean;
}

/** What an allocation's bridge network is; serialisable, so teardown works after an agent restart. */
export interface BridgeNetworkHandle {
  allocId: string;
  /** Name under `/var/run/netns`. */
  netns: string;
  netnsPath: string;
  interfaceName: string;
  /** The allocation's address on the bridge. */
  address: string;
  gateway?: string;
  ports: AllocatedPort[];
  /** The CNI result of the ADD, handed back to the plugins on DEL. */
  cniResult: unknown;
}

/** A CNI plugin or `ip` failure with the plugin's own message. */
export class NetworkSetupError extends Error {
  override name = 'NetworkSetupError';
}

/** Sets up and tears down bridge-mode networks for allocations. */
export interface BridgeNetworking {
  /** Creates the namespace, attaches it to the bridge and maps `ports` (host -> `to`). */
  setup(allocId: string, ports: readonly AllocatedPort[]): Promise<BridgeNetworkHandle>;
  /** Removes the port mappings, the veth, the address lease and the namespace. Idempotent. */
  teardown(handle: BridgeNetworkHandle): Promise<void>;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command may exit before reading its input (EPIPE); its exit code and stderr say why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function wantsPorts(plugin: Record<string, unknown>): boolean {
  return (plugin['capabilities'] as { portMappings?: boolean } | undefined)?.portMappings === true;
}

async function ip(args: string[]): Promise<void> {
  const r = await run('ip', args, process.env);
  if (r.code !== 0) throw new NetworkSetupError(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

/** A CNI network configuration list (`*.conflist`): the plugins run in order for one network. */
export interface CniConflist {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

/**
 * The conflist Nomad uses for its `nomad` bridge (bridge + host-local IPAM + portmap), minus the
 * Consul and firewall parts. Pure.
 */
export function nomadBridgeConflist(opts: BridgeNetworkingOptions = {}): CniConflist {
  return {
    cniVersion: CNI_VERSION,
    name: `tsnomad-${opts.bridgeName ?? DEFAULT_BRIDGE_NAME}`,
    plugins: [
      {
        type: 'bridge',
        bridge: opts.bridgeName ?? DEFAULT_BRIDGE_NAME,
        ipMasq: true,
        isGateway: true,
        forceAddress: true,
        hairpinMode: opts.hairpinMode ?? false,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: opts.subnet ?? DEFAULT_ALLOC_SUBNET }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/**
 * Finds the conflist named `name` among the `*.conflist` / `*.json` files of `dir` (Nomad's
 * `cni_config_dir`, for `network { mode = "cni/<name>" }`). A missing or unreadable one is a value.
 * Effects: reads files.
 */
export function loadCniConflist(
  dir: string,
  name: string,
): { ok: true; conflist: CniConflist } | { ok: false; error: string } {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.conflist') || f.endsWith('.json'))
      .sort();
  } catch (e) {
    return { ok: false, error: `cannot read CNI config dir ${dir}: ${(e as Error).message}` };
  }
  for (const f of files) {
    try {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Partial<CniConflist>;
      if (c.name === name && Array.isArray(c.plugins)) {
        return { ok: true, conflist: { cniVersion: c.cniVersion ?? CNI_VERSION, name, plugins: c.plugins } };
      }
    } catch {
      // not a conflist: skip it, as CNI tooling does
    }
  }
  return { ok: false, error: `no CNI network named ${JSON.stringify(name)} in ${dir} (mode "cni/${name}")` };
}

/**
 * Creates bridge networking through the standard CNI plugins (bridge + host-local + portmap, and
 * loopback inside the namespace), as Nomad's `network { mode = "bridge" }` does.
 * Effects: creates network namespaces, veths, a Linux bridge and iptables rules; needs root.
 *
 * @example
 * const net = createBridgeNetworking();
 * const h = await net.setup(alloc.id, [{ label: 'http', value: 23456, to: 8080, hostIp: '10.0.0.5' }]);
 * // run the task inside h.netnsPath, then:
 * await net.teardown(h);
 */
export function createBridgeNetworking(opts: BridgeNetworkingOptions = {}): BridgeNetworking {
  return createCniNetworking(nomadBridgeConflist(opts), { cniPath: opts.cniPath ?? DEFAULT_CNI_PATH });
}

/**
 * Creates allocation networking from any CNI conflist (`network { mode = "cni/<name>" }`): a fresh
 * namespace, loopback up, then the conflist's plugins; port mappings go to plugins that declare the
 * `portMappings` capability. Effects: as the plugins do; needs root.
 *
 * @example
 * const r = loadCniConflist('/etc/cni/net.d', 'mynet');
 * if (r.ok) await createCniNetworking(r.conflist).setup(alloc.id, ports);
 */
export function createCniNetworking(
  conflist: CniConflist,
  opts: { cniPath?: string } = {},
): BridgeNetworking {
  const o = { cniPath: opts.cniPath ?? DEFAULT_CNI_PATH };
  const networkName = conflist.name;
  const chain = conflist.plugins;

  async function invoke(
    plugin: Record<string, unknown>,
    command: 'ADD' | 'DEL',
    allocId: string,
    netnsPath: string,
    ifName: string,
    extra: Record<string, unknown>,
  ): Promise<unknown> {
    const type = String(plugin['type']);
    const bin = `${o.cniPath}/${type}`;
    if (!existsSync(bin)) {
      throw new NetworkSetupError(
        `CNI plugin ${type} not found in ${o.cniPath} (Debian: containernetworking-plugins)`,
      );
    }
    const conf = { cniVersion: conflist.cniVersion, name: networkName, ...plugin, ...extra };
    const env = {
      PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_CONTAINERID: allocId,
      CNI_NETNS: netnsPath,
      CNI_IFNAME: ifName,
      CNI_PATH: o.cniPath,
    };
    const r = await run(bin, [], env, JSON.stringify(conf));
    if (r.code !== 0) {
      let msg = r.stdout.trim() || r.stderr.trim();
      try {
        const e = JSON.parse(r.stdout) as { msg?: string; details?: string };
        msg = [e.msg, e.details].filter(Boolean).join(': ');
      } catch {
        // not JSON: keep the raw output
      }
      throw new NetworkSetupError(`CNI ${type} ${command} failed: ${msg}`);
    }
    return r.stdout.trim() === '' ? undefined : (JSON.parse(r.stdout) as unknown);
  }

  function portMappings(ports: readonly AllocatedPort[]): Record<string, unknown> {
    const mappings = ports.flatMap((p) =>
      ['tcp', 'udp'].map((protocol) => ({
        hostPort: p.value,
        containerPort: p.to !== undefined && p.to > 0 ? p.to : p.value,
        protocol,
        hostIP: p.hostIp,
      })),
    );
    return { runtimeConfig: { portMappings: mappings } };
  }

  async function del(h: BridgeNetworkHandle): Promise<void> {
    const failures: string[] = [];
    for (const plugin of [...chain].reverse()) {
      const extra = {
        ...(h.cniResult !== undefined ? { prevResult: h.cniResult } : {}),
        ...(wantsPorts(plugin) ? portMappings(h.ports) : {}),
      };
      try {
        await invoke(plugin, 'DEL', h.allocId, h.netnsPath, h.interfaceName, extra);
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    if (failures.length > 0) throw new NetworkSetupError(failures.join('; '));
  }

  return {
    async setup(allocId, ports) {
      const netns = `tsnomad-${allocId}`.slice(0, 64);
      const netnsPath = `/var/run/netns/${netns}`;
      await ip(['netns', 'add', netns]);
      const handle: BridgeNetworkHandle = {
        allocId,
        netns,
        netnsPath,
        interfaceName: IF_NAME,
        address: '',
        ports: [...ports],
        cniResult: undefined,
      };
      try {
        await invoke({ type: 'loopback' }, 'ADD', allocId, netnsPath, 'lo', {});
        let prev: unknown;
        for (const plugin of chain) {
          const extra = {
            ...(prev !== undefined ? { prevResult: prev } : {}),
            ...(wantsPorts(plugin) ? portMappings(ports) : {}),
          };
          prev = (await invoke(plugin, 'ADD', allocId, netnsPath, IF_NAME, extra)) ?? prev;
        }
        handle.cniResult = prev;
        const ipInfo = (prev as { ips?: { address?: string; gateway?: string }[] } | undefined)?.ips?.[0];
        // An empty plugin list (mode "none") leaves only loopback: no address to report.
        if (chain.length > 0 && !ipInfo?.address)
          throw new NetworkSetupError('CNI network returned no address');
        handle.address = ipInfo?.address?.split('/')[0] ?? '';
        if (ipInfo?.gateway) handle.gateway = ipInfo.gateway;
        return handle;
      } catch (e) {
        await this.teardown(handle).catch(() => undefined);
        throw e;
      }
    },
    async teardown(h) {
      let firstError: unknown;
      try {
        await del(h);
      } catch (e) {
        firstError = e;
      }
      if (existsSync(h.netnsPath)) await ip(['netns', 'del', h.netns]);
      if (firstError) throw firstError;
    },
  };
}

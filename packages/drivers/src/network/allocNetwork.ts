import type { AllocatedPort, NetworkIsolationSpec } from '../driver.js';
import {
  createBridgeNetworking,
  createCniNetworking,
  loadCniConflist,
  type BridgeNetworkHandle,
  type BridgeNetworking,
  type BridgeNetworkingOptions,
} from './cniBridge.js';
import { buildAllocNetworkEnv, buildPortEnv } from './portEnv.js';
import type { PortError, PortRequest, PortReserver } from './portReserver.js';

/** Options of {@link createAllocNetworkManager}. */
export interface AllocNetworkManagerOptions {
  reserver: PortReserver;
  /** Bridge-mode settings (`bridge_network_name`, `bridge_network_subnet`, `cni_path`, …). */
  bridge?: BridgeNetworkingOptions;
  /** Where `cni/<name>` conflists live (`cni_config_dir`). Default `/opt/cni/config`, as in Nomad. */
  cniConfigDir?: string;
}

/** What an allocation's network is once set up; plain JSON so it survives an agent restart. */
export interface AllocNetwork {
  allocId: string;
  /** `host`, `bridge`, `none` or `cni/<name>`. */
  mode: string;
  ports: AllocatedPort[];
  /** The `NOMAD_*` port variables for the group's tasks. */
  env: Record<string, string>;
  /** Hand this to drivers as `TaskConfig.networkIsolation`; absent in host mode. */
  isolation?: NetworkIsolationSpec;
  /** The namespace and CNI state, for teardown; absent in host mode. */
  cni?: BridgeNetworkHandle;
}

/** Sets up and tears down allocation networks for every `network { mode }`. */
export interface AllocNetworkManager {
  setup(
    allocId: string,
    mode: string,
    hostIp: string,
    requests: readonly PortRequest[],
  ): Promise<{ ok: true; network: AllocNetwork } | { ok: false; errors: PortError[] }>;
  /** Releases ports and removes the namespace (idempotent). */
  teardown(network: AllocNetwork): Promise<void>;
}

/**
 * Creates the client's allocation network manager: reserves the group's ports on `hostIp`, then for
 * `bridge` and `cni/<name>` builds the namespace through CNI, and for `none` an empty namespace with
 * loopback only. Returns the ports, the `NOMAD_*` env and the isolation spec for drivers.
 * Effects: as the port reserver and CNI plugins (namespaces, veths, iptables rules).
 *
 * @example
 * const nets = createAllocNetworkManager({ reserver: createPortReserver() });
 * const r = await nets.setup(alloc.id, 'bridge', '10.0.0.5', [{ label: 'http', to: 8080 }]);
 */
export function createAllocNetworkManager(opts: AllocNetworkManagerOptions): AllocNetworkManager {
  const cniConfigDir = opts.cniConfigDir ?? '/opt/cni/config';
  const cniPath = opts.bridge?.cniPath;
  let bridge: BridgeNetworking | undefined;
  const none = createCniNetworking(
    { cniVersion: '0.4.0', name: 'tsnomad-none', plugins: [] },
    cniPath ? { cniPath } : {},
  );

  function networkingFor(mode: string): BridgeNetworking | PortError {
    if (mode === 'bridge') return (bridge ??= createBridgeNetworking(opts.bridge));
    if (mode === 'none') return none;
    if (mode.startsWith('cni/')) {
      const r = loadCniConflist(cniConfigDir, mode.slice(4));
      if (!r.ok) return { path: 'network.mode', expected: `a CNI network in ${cniConfigDir}`, actual: mode };
      return createCniNetworking(r.conflist, cniPath ? { cniPath } : {});
    }
    return { path: 'network.mode', expected: 'one of host, bridge, none, cni/<name>', actual: mode };
  }

  return {
    async setup(allocId, mode, hostIp, requests) {
      const networking = mode === 'host' ? undefined : networkingFor(mode);
      if (networking && !('setup' in networking)) return { ok: false, errors: [networking] };
      const reserved = await opts.reserver.reserve(hostIp, requests);
      if (!reserved.ok) return reserved;
      const ports = reserved.ports;
      if (!networking) return { ok: true, network: { allocId, mode, ports, env: buildPortEnv(ports) } };
      try {
        const cni = await networking.setup(allocId, mode === 'none' ? [] : ports);
        const env = { ...buildPortEnv(ports), ...(cni.address ? buildAllocNetworkEnv(ports, cni) : {}) };
        const isolation: NetworkIsolationSpec = { mode: 'group', path: cni.netnsPath, labels: {} };
        return { ok: true, network: { allocId, mode, ports, env, isolation, cni } };
      } catch (e) {
        opts.reserver.release(ports);
        throw e;
      }
    },
    async teardown(network) {
      if (network.cni) {
        const networking = networkingFor(network.mode);
        if ('teardown' in networking) await networking.teardown(network.cni);
      }
      opts.reserver.release(network.ports);
    },
  };
}

/**
 * The `connect` block and everything under it, decoded into Nomad's API JSON shape
 * (`api.ConsulConnect` and friends): every field name below is the api struct's Go field name,
 * taken from its `hcl` tag, not derived by a snake_case -> PascalCase rule (`uid` -> `UID`,
 * `no_dns` -> `NoDNS`, `path` -> `Paths`, `listener` -> `Listeners`, sidecar `memory` ->
 * `MemoryMB`). Durations are nanoseconds; `config`, `meta` and `env` are kept as written.
 * The core model keeps Connect as this API-shaped record, so the API codec passes it through.
 */

import type { BlockRule, Spec } from './bodyDecoder.js';

const one = (field: string, spec: Spec, labels = 0): BlockRule => ({ field, mode: 'one', spec, labels });
const list = (field: string, spec: Spec, labels = 0): BlockRule => ({ field, mode: 'list', spec, labels });
const free = (field: string): BlockRule => ({ field, mode: 'free' });

/** api.WorkloadIdentity, in API shape (sidecar_task identities). */
const apiIdentity: Spec = {
  attrs: {
    name: ['Name', 'string'],
    aud: ['Audience', 'strings'],
    change_mode: ['ChangeMode', 'string'],
    change_signal: ['ChangeSignal', 'string'],
    env: ['Env', 'bool'],
    file: ['File', 'bool'],
    filepath: ['Filepath', 'string'],
    service_name: ['ServiceName', 'string'],
    ttl: ['TTL', 'duration'],
    extra_claims: ['ExtraClaims', 'strings'],
  },
};

const apiPort: Spec = {
  labelField: 'Label',
  attrs: {
    static: ['Value', 'number'],
    to: ['To', 'number'],
    host_network: ['HostNetwork', 'string'],
    ignore_collision: ['IgnoreCollision', 'bool'],
  },
};

/** api.Resources (sidecar_task resources). */
const apiResources: Spec = {
  attrs: {
    cpu: ['CPU', 'number'],
    cores: ['Cores', 'number'],
    memory: ['MemoryMB', 'number'],
    memory_max: ['MemoryMaxMB', 'number'],
    disk: ['DiskMB', 'number'],
    iops: ['IOPS', 'number'],
    secrets: ['SecretsMB', 'number'],
  },
  blocks: {
    network: list('Networks', {
      attrs: {
        mode: ['Mode', 'string'],
        device: ['Device', 'string'],
        cidr: ['CIDR', 'string'],
        ip: ['IP', 'string'],
        hostname: ['Hostname', 'string'],
        mbits: ['MBits', 'number'],
      },
      blocks: {
        port: list('DynamicPorts', apiPort, 1),
        reserved_ports: list('ReservedPorts', apiPort, 1),
        dns: one('DNS', {
          attrs: {
            servers: ['Servers', 'strings'],
            searches: ['Searches', 'strings'],
            options: ['Options', 'strings'],
          },
        }),
        cni: one('CNI', { attrs: { args: ['Args', 'smap'] } }),
      },
    }),
    numa: one('NUMA', { attrs: { affinity: ['Affinity', 'string'], devices: ['Devices', 'strings'] } }),
  },
};

const sidecarTask: Spec = {
  attrs: {
    name: ['Name', 'string'],
    driver: ['Driver', 'string'],
    user: ['User', 'string'],
    kill_timeout: ['KillTimeout', 'duration'],
    shutdown_delay: ['ShutdownDelay', 'duration'],
    kill_signal: ['KillSignal', 'string'],
    env: ['Env', 'smap'],
    meta: ['Meta', 'smap'],
  },
  blocks: {
    config: free('Config'),
    resources: one('Resources', apiResources),
    logs: one('LogConfig', {
      attrs: {
        max_files: ['MaxFiles', 'number'],
        max_file_size: ['MaxFileSizeMB', 'number'],
        enabled: ['Enabled', 'bool'],
        disabled: ['Disabled', 'bool'],
      },
    }),
    volume_mount: list('VolumeMounts', {
      attrs: {
        volume: ['Volume', 'string'],
        destination: ['Destination', 'string'],
        read_only: ['ReadOnly', 'bool'],
        propagation_mode: ['PropagationMode', 'string'],
        selinux_label: ['SELinuxLabel', 'string'],
      },
    }),
    identity: list('Identities', apiIdentity),
  },
};

const upstream: Spec = {
  attrs: {
    destination_name: ['DestinationName', 'string'],
    destination_namespace: ['DestinationNamespace', 'string'],
    destination_peer: ['DestinationPeer', 'string'],
    destination_partition: ['DestinationPartition', 'string'],
    destination_type: ['DestinationType', 'string'],
    local_bind_port: ['LocalBindPort', 'number'],
    datacenter: ['Datacenter', 'string'],
    local_bind_address: ['LocalBindAddress', 'string'],
    local_bind_socket_path: ['LocalBindSocketPath', 'string'],
    local_bind_socket_mode: ['LocalBindSocketMode', 'string'],
  },
  blocks: {
    mesh_gateway: one('MeshGateway', { attrs: { mode: ['Mode', 'string'] } }),
    config: free('Config'),
  },
};

const expose: Spec = {
  blocks: {
    path: list('Paths', {
      attrs: {
        path: ['Path', 'string'],
        protocol: ['Protocol', 'string'],
        local_path_port: ['LocalPathPort', 'number'],
        listener_port: ['ListenerPort', 'string'],
      },
    }),
  },
};

const proxy: Spec = {
  attrs: {
    local_service_address: ['LocalServiceAddress', 'string'],
    local_service_port: ['LocalServicePort', 'number'],
  },
  blocks: {
    expose: one('Expose', expose),
    upstreams: list('Upstreams', upstream),
    transparent_proxy: one('TransparentProxy', {
      attrs: {
        uid: ['UID', 'string'],
        outbound_port: ['OutboundPort', 'number'],
        exclude_inbound_ports: ['ExcludeInboundPorts', 'strings'],
        exclude_outbound_ports: ['ExcludeOutboundPorts', 'numbers'],
        exclude_outbound_cidrs: ['ExcludeOutboundCIDRs', 'strings'],
        exclude_uids: ['ExcludeUIDs', 'strings'],
        no_dns: ['NoDNS', 'bool'],
      },
    }),
    config: free('Config'),
  },
};

const sidecarService: Spec = {
  attrs: {
    tags: ['Tags', 'strings'],
    port: ['Port', 'string'],
    disable_default_tcp_check: ['DisableDefaultTCPCheck', 'bool'],
    meta: ['Meta', 'smap'],
  },
  blocks: { proxy: one('Proxy', proxy) },
};

const tls: Spec = {
  attrs: {
    enabled: ['Enabled', 'bool'],
    tls_min_version: ['TLSMinVersion', 'string'],
    tls_max_version: ['TLSMaxVersion', 'string'],
    cipher_suites: ['CipherSuites', 'strings'],
  },
  blocks: {
    sds: one('SDS', {
      attrs: { cluster_name: ['ClusterName', 'string'], cert_resource: ['CertResource', 'string'] },
    }),
  },
};

const headers: Spec = {
  attrs: { add: ['Add', 'smap'], set: ['Set', 'smap'], remove: ['Remove', 'strings'] },
};

const ingressService: Spec = {
  attrs: {
    name: ['Name', 'string'],
    hosts: ['Hosts', 'strings'],
    max_connections: ['MaxConnections', 'number'],
    max_pending_requests: ['MaxPendingRequests', 'number'],
    max_concurrent_requests: ['MaxConcurrentRequests', 'number'],
  },
  blocks: {
    tls: one('TLS', tls),
    request_headers: one('RequestHeaders', headers),
    response_headers: one('ResponseHeaders', headers),
  },
};

const gateway: Spec = {
  blocks: {
    proxy: one('Proxy', {
      attrs: {
        connect_timeout: ['ConnectTimeout', 'duration'],
        envoy_gateway_bind_tagged_addresses: ['EnvoyGatewayBindTaggedAddresses', 'bool'],
        envoy_gateway_no_default_bind: ['EnvoyGatewayNoDefaultBind', 'bool'],
        envoy_dns_discovery_type: ['EnvoyDNSDiscoveryType', 'string'],
      },
      blocks: {
        envoy_gateway_bind_addresses: {
          field: 'EnvoyGatewayBindAddresses',
          mode: 'map',
          labels: 1,
          spec: { labelField: 'Name', attrs: { address: ['Address', 'string'], port: ['Port', 'number'] } },
        },
        config: free('Config'),
      },
    }),
    ingress: one('Ingress', {
      blocks: {
        tls: one('TLS', tls),
        listener: list('Listeners', {
          attrs: { port: ['Port', 'number'], protocol: ['Protocol', 'string'] },
          blocks: { service: list('Services', ingressService) },
        }),
      },
    }),
    terminating: one('Terminating', {
      blocks: {
        service: list('Services', {
          attrs: {
            name: ['Name', 'string'],
            ca_file: ['CAFile', 'string'],
            cert_file: ['CertFile', 'string'],
            key_file: ['KeyFile', 'string'],
            sni: ['SNI', 'string'],
          },
        }),
      },
    }),
    mesh: one('Mesh', {}),
  },
};

/** `connect { … }` -> api.ConsulConnect. */
export const connectSpec: Spec = {
  attrs: { native: ['Native', 'bool'] },
  blocks: {
    gateway: one('Gateway', gateway),
    sidecar_service: one('SidecarService', sidecarService),
    sidecar_task: one('SidecarTask', sidecarTask),
  },
};

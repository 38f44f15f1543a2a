/**
 * The agent configuration: Nomad's agent config keys (HCL or JSON files, merged in order, then
 * command-line flags on top) decoded against a schema, so that an unknown key or a bad value
 * is reported at its `file:line:col` and the agent refuses to start.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseGoDuration, SECOND, HOUR } from '@tsnomad/core';
import { plain, readConfigSource, type PNode } from './configSource.js';
import { SCHEMA, type Spec } from './configSchema.js';

/** Nomad's log level names (case-insensitive in files and flags). */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'OFF';
const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'];

/** The resolved configuration `startAgent` runs with. Durations are nanoseconds. */
export interface AgentConfig {
  readonly name: string;
  readonly region: string;
  readonly datacenter: string;
  /** Empty: a fresh temporary directory (dev mode). */
  readonly dataDir: string;
  readonly bindAddr: string;
  readonly addresses: { readonly http: string; readonly rpc: string; readonly serf: string };
  readonly advertise: { readonly http: string; readonly rpc: string; readonly serf: string };
  /** `ports.http = 0` picks a free port (tests). */
  readonly ports: { readonly http: number; readonly rpc: number; readonly serf: number };
  readonly logLevel: LogLevel;
  readonly logJson: boolean;
  readonly logFile: string;
  readonly devMode: boolean;
  readonly server: {
    readonly enabled: boolean;
    readonly bootstrapExpect: number;
    readonly numSchedulers: number;
    readonly heartbeatGrace: number;
    readonly minHeartbeatTtl: number;
    readonly jobGcThreshold: number;
    readonly evalGcThreshold: number;
    readonly batchEvalGcThreshold: number;
    readonly deploymentGcThreshold: number;
    readonly nodeGcThreshold: number;
    /** Everything under `server { … }` as written (server_join, raft settings …). */
    readonly raw: Readonly<Record<string, unknown>>;
  };
  /** Read here, used by the client host (a later issue). */
  readonly client: { readonly enabled: boolean; readonly raw: Readonly<Record<string, unknown>> };
  readonly telemetry: {
    readonly prometheusMetrics: boolean;
    readonly disableHostname: boolean;
    readonly raw: Readonly<Record<string, unknown>>;
  };
  /** Stored; enforcement is a later issue. */
  readonly acl: { readonly enabled: boolean; readonly raw: Readonly<Record<string, unknown>> };
  readonly tls: {
    readonly http: boolean;
    readonly rpc: boolean;
    readonly caFile: string;
    readonly certFile: string;
    readonly keyFile: string;
  };
  readonly limits: {
    /** Largest request body accepted (413 above). tsnomad extension; default 10 MiB. */
    readonly httpMaxBodyBytes: number;
  };
  /** Blocks stored as written and not interpreted yet (consul, vault, plugin, ui, autopilot …). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A decoded, not yet defaulted configuration: snake_case keys as written. */
export type RawConfig = Record<string, unknown>;

function decodeObj(
  node: PNode,
  spec: Readonly<Record<string, Spec>>,
  path: string,
  errors: string[],
): RawConfig {
  const out: RawConfig = {};
  if (node.kind !== 'obj') {
    errors.push(`${node.pos}: ${path || 'config'}: expected a block`);
    return out;
  }
  for (const e of node.entries) {
    const s = spec[e.key];
    const name = path ? `${path}.${e.key}` : e.key;
    if (s === undefined) {
      errors.push(`${e.pos}: unknown key "${name}"`);
      continue;
    }
    if (typeof s === 'object') {
      const inner = decodeObj(e.value, s.block, name, errors);
      out[e.key] = { ...(out[e.key] as RawConfig | undefined), ...inner };
      continue;
    }
    const v = decodeLeaf(s, e.value);
    if (typeof v === 'object' && v !== null && 'error' in v && Object.keys(v).length === 1)
      errors.push(`${e.value.pos}: ${name}: ${(v as { error: string }).error}`);
    else if (s === 'any' && out[e.key] && typeof v === 'object' && v !== null)
      out[e.key] = { ...(out[e.key] as RawConfig), ...(v as RawConfig) };
    else out[e.key] = v;
  }
  return out;
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a block' : JSON.stringify(v);

function decodeLeaf(spec: Exclude<Spec, object>, node: PNode): unknown {
  const v = plain(node);
  const fail = (expected: string) => ({ error: `expected ${expected}, got ${describe(v)}` });
  switch (spec) {
    case 'any':
      return v;
    case 'string':
      return typeof v === 'string' ? v : fail('a string');
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return fail('a boolean');
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
      return fail('an integer');
    case 'duration': {
      if (typeof v === 'string') {
        const ns = parseGoDuration(v);
        if (ns !== undefined) return ns;
      }
      return fail('a duration such as "30s" or "1h"');
    }
    case 'strings':
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
      if (typeof v === 'string') return [v];
      return fail('a list of strings');
    case 'map':
      if (v && typeof v === 'object' && !Array.isArray(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
      return fail('a map of strings');
  }
}

/** Decodes one file's text; `errors` carry `file:line:col`. */
export function decodeConfigText(
  text: string,
  filename: string,
): { ok: true; value: RawConfig } | { ok: false; errors: string[] } {
  const src = readConfigSource(text, filename);
  if (!src.ok) return src;
  const errors: string[] = [];
  const value = decodeObj(src.root, SCHEMA, '', errors);
  if (
    typeof value.log_level === 'string' &&
    !LOG_LEVELS.includes(value.log_level.toUpperCase() as LogLevel)
  ) {
    const e = src.root.kind === 'obj' ? src.root.entries.find((x) => x.key === 'log_level') : undefined;
    errors.push(
      `${e?.value.pos ?? filename}: log_level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value.log_level)}`,
    );
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

/** Reads `-config` paths: a file, or every `.hcl`/`.json` file of a directory in name order. */
export function loadConfigPaths(
  paths: readonly string[],
): { ok: true; value: RawConfig } | { ok: false; errors: string[] } {
  let merged: RawConfig = {};
  const errors: string[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = statSync(p).isDirectory()
        ? readdirSync(p)
            .filter((f) => /\.(hcl|json)$/.test(f))
            .sort()
            .map((f) => join(p, f))
        : [p];
    } catch (e) {
      errors.push(`${p}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        errors.push(`${f}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const r = decodeConfigText(text, f);
      if (r.ok) merged = mergeConfig(merged, r.value);
      else errors.push(...r.errors);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: merged };
}

/** Later wins; blocks merge key by key (Nomad's Config.Merge). Pure. */
export function mergeConfig(a: RawConfig, b: RawConfig): RawConfig {
  const out: RawConfig = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev &&
      v &&
      typeof prev === 'object' &&
      typeof v === 'object' &&
      !Array.isArray(prev) &&
      !Array.isArray(v)
        ? mergeConfig(prev as RawConfig, v as RawConfig)
        : v;
  }
  return out;
}

const obj = (v: unknown): RawConfig => (v && typeof v === 'object' ? (v as RawConfig) : {});
const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);

/** The dev-mode base configuration (`-dev`): server and client, loopback, INFO logs, raw_exec, Prometheus metrics. */
export function devConfig(): RawConfig {
  return {
    bind_addr: '127.0.0.1',
    log_level: 'INFO',
    server: { enabled: true, bootstrap_expect: 1 },
    client: { enabled: true, options: { 'driver.raw_exec.enable': 'true' } },
    telemetry: { prometheus_metrics: true },
  };
}

/**
 * Fills Nomad's defaults into a raw configuration. Pure apart from the host name default.
 * @example resolveConfig(mergeConfig(devConfig(), { ports: { http: 0 } }), { devMode: true })
 */
export function resolveConfig(raw: RawConfig, o: { devMode?: boolean; hostname?: string } = {}): AgentConfig {
  const server = obj(raw.server);
  const client = obj(raw.client);
  const telemetry = obj(raw.telemetry);
  const acl = obj(raw.acl);
  const tls = obj(raw.tls);
  const limits = obj(raw.limits);
  const addresses = obj(raw.addresses);
  const advertise = obj(raw.advertise);
  const ports = obj(raw.ports);
  const bind = str(raw.bind_addr, '0.0.0.0');
  const extra: RawConfig = {};
  for (const k of [
    'consul',
    'vault',
    'plugin',
    'ui',
    'autopilot',
    'audit',
    'sentinel',
    'reporting',
    'keyring',
  ])
    if (raw[k] !== undefined) extra[k] = raw[k];
  return {
    name: str(raw.name, o.hostname ?? 'tsnomad'),
    region: str(raw.region, 'global'),
    datacenter: str(raw.datacenter, 'dc1'),
    dataDir: str(raw.data_dir, ''),
    bindAddr: bind,
    addresses: {
      http: str(addresses.http, bind),
      rpc: str(addresses.rpc, bind),
      serf: str(addresses.serf, bind),
    },
    advertise: { http: str(advertise.http, ''), rpc: str(advertise.rpc, ''), serf: str(advertise.serf, '') },
    ports: { http: num(ports.http, 4646), rpc: num(ports.rpc, 4647), serf: num(ports.serf, 4648) },
    logLevel: str(raw.log_level, 'INFO').toUpperCase() as LogLevel,
    logJson: bool(raw.log_json, false),
    logFile: str(raw.log_file, ''),
    devMode: o.devMode ?? false,
    server: {
      enabled: bool(server.enabled, false),
      bootstrapExpect: num(server.bootstrap_expect, 0),
      numSchedulers: num(server.num_schedulers, 2),
      heartbeatGrace: num(server.heartbeat_grace, 10 * SECOND),
      minHeartbeatTtl: num(server.min_heartbeat_ttl, 10 * SECOND),
      jobGcThreshold: num(server.job_gc_threshold, 4 * HOUR),
      evalGcThreshold: num(server.eval_gc_threshold, HOUR),
      batchEvalGcThreshold: num(server.batch_eval_gc_threshold, 24 * HOUR),
      deploymentGcThreshold: num(server.deployment_gc_threshold, HOUR),
      nodeGcThreshold: num(server.node_gc_threshold, 24 * HOUR),
      raw: server,
    },
    client: { enabled: bool(client.enabled, false), raw: client },
    telemetry: {
      prometheusMetrics: bool(telemetry.prometheus_metrics, false),
      disableHostname: bool(telemetry.disable_hostname, false),
      raw: telemetry,
    },
    acl: { enabled: bool(acl.enabled, false), raw: acl },
    tls: {
      http: bool(tls.http, false),
      rpc: bool(tls.rpc, false),
      caFile: str(tls.ca_file, ''),
      certFile: str(tls.cert_file, ''),
      keyFile: str(tls.key_file, ''),
    },
    limits: { httpMaxBodyBytes: num(limits.http_max_body_bytes, 10 * 1024 * 1024) },
    extra,
  };
}

/** The log level names, for flag validation. */
export function parseLogLevel(s: string): LogLevel | undefined {
  const u = s.toUpperCase() as LogLevel;
  return LOG_LEVELS.includes(u) ? u : undefined;
}

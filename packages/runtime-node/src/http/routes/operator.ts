/**
 * Agent, status, region, operator and system endpoints, and `/v1/metrics`.
 */
import { availableParallelism } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gcStep, VERSION, type SchedulerConfiguration } from '@tsnomad/core';
import {
  bodyObject,
  empty,
  field,
  HttpError,
  optionalBody,
  query,
  route,
  setIndex,
  setQueryMeta,
  type ApiContext,
} from '../http.js';
import { metricsJson } from '../metrics.js';
import { goDuration } from '../stubs.js';

/** The Nomad version this agent's API is compatible with (reported in agent/self and members). */
export const NOMAD_API_VERSION = '1.10.0';

export function registerOperatorRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const cp = () => ctx.host.cp;
  const c = ctx.config;
  const rpcAddr = (): string =>
    `${c.advertise.rpc || (c.addresses.rpc === '0.0.0.0' ? '127.0.0.1' : c.addresses.rpc)}:${c.ports.rpc}`;
  const memberName = (): string => `${c.name}.${c.region}`;
  const member = () => ({
    Name: memberName(),
    Addr: c.advertise.serf || (c.addresses.serf === '0.0.0.0' ? '127.0.0.1' : c.addresses.serf),
    Port: c.ports.serf,
    Tags: {
      role: 'nomad',
      region: c.region,
      dc: c.datacenter,
      build: NOMAD_API_VERSION,
      port: String(c.ports.rpc),
      bootstrap: '1',
      expect: String(Math.max(1, c.server.bootstrapExpect)),
      vsn: '1',
      raft_vsn: '3',
      id: cp().consensus.id,
    },
    Status: 'alive',
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  });

  route(app, '/v1/status/leader', {
    GET: (_req, reply) => {
      setQueryMeta(ctx, reply, cp().consensus.appliedIndex());
      return cp().consensus.leadership().leaderId ? rpcAddr() : '';
    },
  });
  route(app, '/v1/status/peers', { GET: () => [rpcAddr()] });
  route(app, '/v1/regions', { GET: () => [c.region] });

  route(app, '/v1/agent/self', {
    GET: () => {
      const broker = cp().broker.stats();
      const leader = cp().consensus.leadership();
      return {
        config: {
          Region: c.region,
          Datacenter: c.datacenter,
          NodeName: c.name,
          DataDir: c.dataDir,
          LogLevel: c.logLevel,
          LogJson: c.logJson,
          LogFile: c.logFile,
          BindAddr: c.bindAddr,
          DevMode: c.devMode,
          Ports: { HTTP: c.ports.http, RPC: c.ports.rpc, Serf: c.ports.serf },
          Addresses: { HTTP: c.addresses.http, RPC: c.addresses.rpc, Serf: c.addresses.serf },
          AdvertiseAddrs: {
            HTTP: c.advertise.http || ctx.address(),
            RPC: c.advertise.rpc || rpcAddr(),
            Serf: c.advertise.serf,
          },
          Server: {
            Enabled: c.server.enabled,
            BootstrapExpect: c.server.bootstrapExpect,
            NumSchedulers: c.server.numSchedulers,
            HeartbeatGrace: goDuration(c.server.heartbeatGrace),
            MinHeartbeatTTL: goDuration(c.server.minHeartbeatTtl),
            JobGCThreshold: goDuration(c.server.jobGcThreshold),
            EvalGCThreshold: goDuration(c.server.evalGcThreshold),
            BatchEvalGCThreshold: goDuration(c.server.batchEvalGcThreshold),
            DeploymentGCThreshold: goDuration(c.server.deploymentGcThreshold),
            NodeGCThreshold: goDuration(c.server.nodeGcThreshold),
          },
          Client: { Enabled: c.client.enabled },
          ACL: { Enabled: c.acl.enabled },
          Telemetry: {
            PrometheusMetrics: c.telemetry.prometheusMetrics,
            DisableHostname: c.telemetry.disableHostname,
          },
          TLSConfig: {
            EnableHTTP: c.tls.http,
            EnableRPC: c.tls.rpc,
            CAFile: c.tls.caFile,
            CertFile: c.tls.certFile,
            KeyFile: c.tls.keyFile,
          },
          Version: {
            Version: NOMAD_API_VERSION,
            VersionPrerelease: '',
            VersionMetadata: `tsnomad-${VERSION}`,
          },
        },
        member: member(),
        stats: {
          nomad: {
            server: String(c.server.enabled),
            leader: String(leader.isLeader),
            leader_addr: leader.leaderId ? rpcAddr() : '',
            bootstrap: 'true',
            known_regions: '1',
          },
          raft: {
            applied_index: String(cp().consensus.appliedIndex()),
            state: leader.isLeader ? 'Leader' : 'Follower',
            num_peers: '0',
          },
          broker: { total_ready: String(broker.totalReady), total_unacked: String(broker.totalUnacked) },
          runtime: {
            arch: process.arch,
            version: process.version,
            cpu_count: String(availableParallelism()),
            kernel: { name: process.platform },
          },
        },
      };
    },
  });

  route(app, '/v1/agent/members', {
    GET: () => ({ ServerName: c.name, ServerRegion: c.region, ServerDC: c.datacenter, Members: [member()] }),
  });

  route(app, '/v1/agent/health', {
    GET: (_req, reply) => {
      const leader = cp().consensus.leadership();
      const server = leader.leaderId
        ? { ok: true, message: 'ok' }
        : { ok: false, message: 'No cluster leader' };
      const out: Record<string, unknown> = { server };
      if (c.client.enabled) out.client = { ok: true, message: 'ok' };
      if (!server.ok) void reply.code(500);
      return out;
    },
  });

  // ---- operator ----
  const schedulerConfigJson = (s: SchedulerConfiguration, index: number) => ({
    SchedulerAlgorithm: s.schedulerAlgorithm,
    PreemptionConfig: {
      SystemSchedulerEnabled: s.preemptionConfig.systemSchedulerEnabled,
      SysBatchSchedulerEnabled: s.preemptionConfig.sysBatchSchedulerEnabled,
      BatchSchedulerEnabled: s.preemptionConfig.batchSchedulerEnabled,
      ServiceSchedulerEnabled: s.preemptionConfig.serviceSchedulerEnabled,
    },
    MemoryOversubscriptionEnabled: s.memoryOversubscriptionEnabled,
    RejectJobRegistration: false,
    PauseEvalBroker: s.pauseEvalBroker,
    CreateIndex: 0,
    ModifyIndex: index,
  });
  const updateSchedulerConfig = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = bodyObject(req);
    const alg = field(body, 'SchedulerAlgorithm', 'string') ?? 'binpack';
    if (alg !== 'binpack' && alg !== 'spread')
      throw new HttpError(400, `invalid scheduler algorithm: ${alg}`);
    const pre = field(body, 'PreemptionConfig', 'object') ?? {};
    const flag = (name: string, d: boolean): boolean => {
      const v = pre[name];
      if (v === undefined || v === null) return d;
      if (typeof v !== 'boolean')
        throw new HttpError(400, `PreemptionConfig.${name}: expected a boolean, got ${JSON.stringify(v)}`);
      return v;
    };
    const config: SchedulerConfiguration = {
      schedulerAlgorithm: alg,
      preemptionConfig: {
        systemSchedulerEnabled: flag('SystemSchedulerEnabled', true),
        sysBatchSchedulerEnabled: flag('SysBatchSchedulerEnabled', false),
        batchSchedulerEnabled: flag('BatchSchedulerEnabled', false),
        serviceSchedulerEnabled: flag('ServiceSchedulerEnabled', false),
      },
      memoryOversubscriptionEnabled: field(body, 'MemoryOversubscriptionEnabled', 'boolean') ?? false,
      pauseEvalBroker: field(body, 'PauseEvalBroker', 'boolean') ?? false,
    };
    const cas = query(req).cas;
    if (cas !== undefined) {
      if (!/^\d+$/.test(cas)) throw new HttpError(400, `Failed to parse cas value: ${cas}`);
      if (Number(cas) !== (schedulerIndex || 0)) {
        setIndex(reply, schedulerIndex);
        return { Updated: false, Index: schedulerIndex };
      }
    }
    const r = await cp().propose({ type: 'SchedulerConfig', config });
    if (!r.ok) throw new HttpError(400, r.error);
    schedulerIndex = r.index;
    setIndex(reply, r.index);
    return { Updated: true, Index: r.index };
  };
  // The scheduler configuration's modify index (the state keeps the value, not its index).
  let schedulerIndex = 0;
  route(app, '/v1/operator/scheduler/configuration', {
    GET: (_req, reply) => {
      const index = Math.max(1, schedulerIndex);
      setQueryMeta(ctx, reply, index);
      return {
        SchedulerConfig: schedulerConfigJson(cp().state().schedulerConfiguration(), index),
        Index: index,
        LastContact: 0,
        KnownLeader: true,
      };
    },
    PUT: updateSchedulerConfig,
    POST: updateSchedulerConfig,
  });

  route(app, '/v1/operator/raft/configuration', {
    GET: (_req, reply) => {
      const index = cp().consensus.appliedIndex();
      setQueryMeta(ctx, reply, index);
      return {
        Servers: [
          {
            ID: cp().consensus.id,
            Node: memberName(),
            Address: rpcAddr(),
            Leader: cp().consensus.leadership().isLeader,
            Voter: true,
            RaftProtocol: '3',
          },
        ],
        Index: Math.max(1, index),
      };
    },
  });

  // ---- system ----
  const gc = async (req: FastifyRequest, reply: FastifyReply) => {
    optionalBody(req);
    const cmds = gcStep(
      cp().state(),
      Date.now() * 1e6,
      {
        evalGcThreshold: 0,
        batchEvalGcThreshold: 0,
        jobGcThreshold: 0,
        deploymentGcThreshold: 0,
        nodeGcThreshold: 0,
      },
      true,
    );
    for (const cmd of cmds) await cp().propose(cmd);
    setIndex(reply, cp().consensus.appliedIndex());
    return empty(reply);
  };
  route(app, '/v1/system/gc', { PUT: gc, POST: gc });
  // Job summaries are maintained by the reducers on every commit, so there is nothing to rebuild.
  const reconcile = async (req: FastifyRequest, reply: FastifyReply) => {
    optionalBody(req);
    setIndex(reply, await cp().consensus.barrier());
    return empty(reply);
  };
  route(app, '/v1/system/reconcile/summaries', { PUT: reconcile, POST: reconcile });

  // ---- metrics ----
  route(app, '/v1/metrics', {
    GET: async (req, reply) => {
      const format = query(req).format;
      if (format === 'prometheus') {
        if (!c.telemetry.prometheusMetrics) throw new HttpError(415, 'Prometheus is not enabled');
        const text = await ctx.metrics.registry.metrics();
        return reply.type(ctx.metrics.registry.contentType).send(text);
      }
      if (format !== undefined && format !== '')
        throw new HttpError(400, `Unsupported metrics format: ${format}`);
      return metricsJson(ctx.metrics);
    },
  });
}

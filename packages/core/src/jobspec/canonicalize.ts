/**
 * `canonicalizeJob`: fills in Nomad's defaults so that every field of the job is set, merging
 * job-level update / reschedule / migrate into groups and group restart into tasks.
 */
import { SECOND } from '../util/duration.js';
import {
  DEFAULT_AFFINITY_WEIGHT,
  DEFAULT_CPU_MHZ,
  DEFAULT_KILL_TIMEOUT,
  DEFAULT_MEMORY_MB,
  DEFAULT_NAMESPACE,
  DEFAULT_NODE_POOL,
  DEFAULT_PRIORITY,
  DEFAULT_REGION,
  DEFAULT_SPREAD_WEIGHT,
  defaultEphemeralDisk,
  defaultLogConfig,
  defaultMigrateStrategy,
  defaultReschedulePolicy,
  defaultRestartPolicy,
  defaultUpdateStrategy,
} from './defaults.js';
import type {
  Affinity,
  CheckRestart,
  Constraint,
  ConsulConfig,
  DeepPartial,
  Job,
  JobInput,
  NetworkResource,
  Port,
  Resources,
  ScalingPolicy,
  Service,
  ServiceCheck,
  Spread,
  Task,
  TaskGroup,
  Template,
  WorkloadIdentity,
} from './types.js';

type P<T> = DeepPartial<T> | undefined;

/** `base` with every defined field of `over` laid on top (Nomad's Merge of pointer fields). */
function merge<T extends object>(base: T, over: DeepPartial<T> | undefined): T {
  if (!over) return base;
  const out = { ...base } as Record<string, unknown>;
  // for-in over own keys: no entry pairs allocated (this runs for several blocks per group).
  for (const k in over) {
    if (!Object.hasOwn(over, k)) continue;
    const v = (over as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

const strs = (xs: readonly (string | undefined)[] | undefined): string[] =>
  (xs ?? []).filter((x): x is string => x !== undefined);
const smap = (m: Record<string, string | undefined> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (m === undefined) return out;
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
};

/**
 * Fills every default Nomad applies when a job is registered: type service, priority 50,
 * region global, namespace default, datacenters `["*"]`, update / reschedule / migrate /
 * restart per job type, ephemeral disk 300 MB, task cpu 100 (0 with cores) and memory 300,
 * kill timeout 5s, logs 10 x 10 MB, template / vault / artifact defaults, affinity and spread
 * weight 50, periodic time zone UTC, group count from scaling.min else 1.
 * Pure; idempotent: `canonicalizeJob(canonicalizeJob(j))` deep-equals `canonicalizeJob(j)`.
 * @example
 *   const job = canonicalizeJob({ id: 'web', taskGroups: [{ name: 'g', tasks: [{ name: 't', driver: 'docker' }] }] });
 *   job.taskGroups[0].tasks[0].resources.memoryMB === 300;
 */
export function canonicalizeJob(input: JobInput): Job {
  const id = input.id ?? '';
  const type = input.type || 'service';
  const jobUpdate = input.update
    ? merge(defaultUpdateStrategy(), input.update)
    : type === 'service' || type === 'system'
      ? defaultUpdateStrategy()
      : undefined;
  const job: Job = {
    region: input.region || DEFAULT_REGION,
    namespace: input.namespace || DEFAULT_NAMESPACE,
    id,
    name: input.name ?? id,
    type,
    priority: input.priority || DEFAULT_PRIORITY,
    allAtOnce: input.allAtOnce ?? false,
    datacenters: strs(input.datacenters).length > 0 ? strs(input.datacenters) : ['*'],
    nodePool: input.nodePool || DEFAULT_NODE_POOL,
    constraints: (input.constraints ?? []).map(constraint),
    affinities: (input.affinities ?? []).map(affinity),
    spreads: (input.spreads ?? []).map(spread),
    taskGroups: [],
    update: jobUpdate,
    multiregion: input.multiregion
      ? {
          strategy: merge({ maxParallel: 0, onFailure: '' }, input.multiregion.strategy),
          regions: (input.multiregion.regions ?? []).map((r) => ({
            name: r.name ?? '',
            count: r.count ?? 1,
            datacenters: strs(r.datacenters),
            nodePool: r.nodePool ?? '',
            meta: smap(r.meta),
          })),
        }
      : undefined,
    periodic: input.periodic
      ? {
          enabled: input.periodic.enabled ?? true,
          spec: input.periodic.spec ?? '',
          specs: strs(input.periodic.specs),
          specType: input.periodic.specType || 'cron',
          prohibitOverlap: input.periodic.prohibitOverlap ?? false,
          timeZone: input.periodic.timeZone || 'UTC',
        }
      : undefined,
    parameterizedJob: input.parameterizedJob
      ? {
          payload: input.parameterizedJob.payload || 'optional',
          metaRequired: strs(input.parameterizedJob.metaRequired),
          metaOptional: strs(input.parameterizedJob.metaOptional),
        }
      : undefined,
    reschedule: input.reschedule ? merge(defaultReschedulePolicy(type), input.reschedule) : undefined,
    migrate: input.migrate ? merge(defaultMigrateStrategy(), input.migrate) : undefined,
    meta: smap(input.meta),
    ui: input.ui
      ? {
          description: input.ui.description ?? '',
          links: (input.ui.links ?? []).map((l) => ({ label: l.label ?? '', url: l.url ?? '' })),
        }
      : undefined,
    stop: input.stop ?? false,
    parentId: input.parentId ?? '',
    dispatched: input.dispatched ?? false,
    payload: input.payload ?? '',
    consulNamespace: input.consulNamespace ?? '',
    vaultNamespace: input.vaultNamespace ?? '',
    status: input.status ?? '',
    statusDescription: input.statusDescription ?? '',
    stable: input.stable ?? false,
    version: input.version ?? 0,
    submitTime: input.submitTime ?? 0,
    createIndex: input.createIndex ?? 0,
    modifyIndex: input.modifyIndex ?? 0,
    jobModifyIndex: input.jobModifyIndex ?? 0,
  };
  job.taskGroups = (input.taskGroups ?? []).map((g) => taskGroup(g, job, input));
  return job;
}

function taskGroup(g: DeepPartial<TaskGroup>, job: Job, input: JobInput): TaskGroup {
  const type = job.type;
  const name = g.name ?? '';
  const count = g.count ?? (g.scaling?.min !== undefined ? g.scaling.min : 1);
  // Job-level blocks are the base; the group's own settings win field by field.
  const update =
    g.update || input.update
      ? merge(merge(defaultUpdateStrategy(), input.update), g.update)
      : job.update
        ? { ...job.update }
        : undefined;
  let reschedule =
    g.reschedulePolicy || input.reschedule
      ? merge(merge(defaultReschedulePolicy(type), input.reschedule), g.reschedulePolicy)
      : undefined;
  if (!reschedule && type !== 'system' && type !== 'sysbatch') reschedule = defaultReschedulePolicy(type);
  const migrate =
    g.migrate || input.migrate || type === 'service'
      ? merge(merge(defaultMigrateStrategy(), input.migrate), g.migrate)
      : undefined;
  const restart = merge(defaultRestartPolicy(type), g.restartPolicy);
  const tg: TaskGroup = {
    name,
    count,
    constraints: (g.constraints ?? []).map(constraint),
    affinities: (g.affinities ?? []).map(affinity),
    spreads: (g.spreads ?? []).map(spread),
    tasks: [],
    volumes: Object.fromEntries(
      Object.entries(g.volumes ?? {}).map(([k, v]) => [
        k,
        {
          name: v.name ?? k,
          type: v.type ?? '',
          source: v.source ?? '',
          readOnly: v.readOnly ?? false,
          sticky: v.sticky ?? false,
          accessMode: v.accessMode ?? '',
          attachmentMode: v.attachmentMode ?? '',
          mountOptions: v.mountOptions
            ? { fsType: v.mountOptions.fsType ?? '', mountFlags: strs(v.mountOptions.mountFlags) }
            : undefined,
          perAlloc: v.perAlloc ?? false,
        },
      ]),
    ),
    restartPolicy: restart,
    reschedulePolicy: reschedule,
    ephemeralDisk: merge(defaultEphemeralDisk(), g.ephemeralDisk),
    update,
    migrate,
    networks: (g.networks ?? []).map(network),
    meta: smap(g.meta),
    services: [],
    shutdownDelay: g.shutdownDelay,
    stopAfterClientDisconnect: g.stopAfterClientDisconnect,
    maxClientDisconnect: g.maxClientDisconnect,
    disconnect: g.disconnect
      ? {
          lostAfter: g.disconnect.lostAfter ?? 0,
          stopOnClientAfter: g.disconnect.stopOnClientAfter ?? 0,
          replace: g.disconnect.replace ?? true,
          reconcile: g.disconnect.reconcile || 'best_score',
        }
      : undefined,
    scaling: g.scaling ? scaling(g.scaling, count, 'horizontal') : undefined,
    preventRescheduleOnLost: g.preventRescheduleOnLost ?? false,
    maxRunDuration: g.maxRunDuration,
    consul: consulConfig(g.consul),
  };
  tg.tasks = (g.tasks ?? []).map((t) => task(t, tg, job));
  tg.services = (g.services ?? []).map((s) => service(s, `${job.name}-${name}`));
  return tg;
}

function task(t: DeepPartial<Task>, tg: TaskGroup, job: Job): Task {
  const name = t.name ?? '';
  return {
    name,
    driver: t.driver ?? '',
    user: t.user ?? '',
    config: { ...(t.config ?? {}) },
    env: smap(t.env),
    services: (t.services ?? []).map((s) => service(s, `${job.name}-${tg.name}-${name}`)),
    constraints: (t.constraints ?? []).map(constraint),
    affinities: (t.affinities ?? []).map(affinity),
    resources: resources(t.resources),
    restartPolicy: merge(tg.restartPolicy ?? defaultRestartPolicy(job.type), t.restartPolicy),
    meta: smap(t.meta),
    killTimeout: t.killTimeout ?? DEFAULT_KILL_TIMEOUT,
    killSignal: t.killSignal ?? '',
    logConfig: merge(defaultLogConfig(), t.logConfig),
    artifacts: (t.artifacts ?? []).map((a) => {
      const mode = a.getterMode ?? 'any';
      const source = a.getterSource ?? '';
      return {
        getterSource: source,
        getterOptions: smap(a.getterOptions),
        getterHeaders: smap(a.getterHeaders),
        getterMode: mode,
        getterInsecure: a.getterInsecure ?? false,
        relativeDest:
          a.relativeDest ?? (mode === 'file' ? `local/${source.split('/').pop() ?? ''}` : 'local/'),
        chown: a.chown ?? false,
      };
    }),
    vault: t.vault
      ? {
          policies: strs(t.vault.policies),
          role: t.vault.role ?? '',
          namespace: t.vault.namespace ?? '',
          cluster: t.vault.cluster || 'default',
          env: t.vault.env ?? true,
          disableFile: t.vault.disableFile ?? false,
          changeMode: t.vault.changeMode ?? 'restart',
          changeSignal: t.vault.changeSignal ?? 'SIGHUP',
          allowTokenExpiration: t.vault.allowTokenExpiration ?? false,
        }
      : undefined,
    templates: (t.templates ?? []).map(template),
    dispatchPayload: t.dispatchPayload ? { file: t.dispatchPayload.file ?? '' } : undefined,
    volumeMounts: (t.volumeMounts ?? []).map((v) => ({
      volume: v.volume ?? '',
      destination: v.destination ?? '',
      readOnly: v.readOnly ?? false,
      propagationMode: v.propagationMode ?? 'private',
      selinuxLabel: v.selinuxLabel ?? '',
    })),
    csiPluginConfig: t.csiPluginConfig
      ? {
          id: t.csiPluginConfig.id ?? '',
          type: t.csiPluginConfig.type ?? '',
          mountDir: t.csiPluginConfig.mountDir || '/csi',
          stagePublishBaseDir: t.csiPluginConfig.stagePublishBaseDir || '/local/csi',
          healthTimeout: t.csiPluginConfig.healthTimeout || 30 * SECOND,
        }
      : undefined,
    // An empty lifecycle block means no lifecycle.
    lifecycle: t.lifecycle?.hook
      ? { hook: t.lifecycle.hook, sidecar: t.lifecycle.sidecar ?? false }
      : undefined,
    leader: t.leader ?? false,
    shutdownDelay: t.shutdownDelay ?? 0,
    kind: t.kind ?? '',
    scalingPolicies: (t.scalingPolicies ?? []).map((s) => scaling(s, 0, s.type ?? '')),
    consul: consulConfig(t.consul),
    identity: t.identity ? workloadIdentity(t.identity) : undefined,
    identities: t.identities?.length ? t.identities.map(workloadIdentity) : undefined,
    actions: t.actions?.length
      ? t.actions.map((a) => ({ name: a.name ?? '', command: a.command ?? '', args: strs(a.args) }))
      : undefined,
    secrets: t.secrets?.length
      ? t.secrets.map((x) => ({
          name: x.name ?? '',
          provider: x.provider ?? '',
          path: x.path ?? '',
          config: x.config && Object.keys(x.config).length ? { ...x.config } : undefined,
          env: x.env && Object.keys(x.env).length ? smap(x.env) : undefined,
        }))
      : undefined,
    schedule: t.schedule
      ? {
          cron: t.schedule.cron
            ? {
                start: t.schedule.cron.start ?? '',
                end: t.schedule.cron.end ?? '',
                timezone: t.schedule.cron.timezone ?? '',
              }
            : undefined,
        }
      : undefined,
  };
}

/** A `consul` block; the cluster defaults to `default` as in Nomad's api. */
function consulConfig(c: P<ConsulConfig>): ConsulConfig | undefined {
  if (!c) return undefined;
  return { namespace: c.namespace ?? '', cluster: c.cluster || 'default', partition: c.partition ?? '' };
}

function workloadIdentity(w: DeepPartial<WorkloadIdentity>): WorkloadIdentity {
  return {
    name: w.name ?? '',
    audience: strs(w.audience),
    changeMode: w.changeMode ?? '',
    changeSignal: w.changeSignal ?? '',
    env: w.env ?? false,
    file: w.file ?? false,
    filepath: w.filepath ?? '',
    serviceName: w.serviceName ?? '',
    ttl: w.ttl ?? 0,
    extraClaims: strs(w.extraClaims),
  };
}

function resources(r: P<Resources>): Resources {
  const cores = r?.cores ?? 0;
  return {
    // cpu defaults to 100 MHz only when neither cpu nor cores is set.
    cpu: r?.cpu ?? (r?.cores === undefined ? DEFAULT_CPU_MHZ : 0),
    cores,
    memoryMB: r?.memoryMB ?? DEFAULT_MEMORY_MB,
    memoryMaxMB: r?.memoryMaxMB ?? 0,
    // Nomad's api -> structs conversion drops a task's disk (ephemeral_disk is the group's).
    diskMB: 0,
    iops: r?.iops ?? 0,
    networks: (r?.networks ?? []).map(network),
    devices: (r?.devices ?? []).map((d) => ({
      name: d.name ?? '',
      count: d.count ?? 1,
      constraints: (d.constraints ?? []).map(constraint),
      affinities: (d.affinities ?? []).map(affinity),
    })),
    numa: r?.numa ? { affinity: r.numa.affinity || 'none', devices: strs(r.numa.devices) } : undefined,
    secretsMB: r?.secretsMB ?? 0,
  };
}

function constraint(c: P<Constraint>): Constraint {
  return { ltarget: c?.ltarget ?? '', rtarget: c?.rtarget ?? '', operand: c?.operand || '=' };
}

function affinity(a: P<Affinity>): Affinity {
  return {
    ltarget: a?.ltarget ?? '',
    rtarget: a?.rtarget ?? '',
    operand: a?.operand || '=',
    weight: a?.weight ?? DEFAULT_AFFINITY_WEIGHT,
  };
}

function spread(s: P<Spread>): Spread {
  return {
    attribute: s?.attribute ?? '',
    weight: s?.weight ?? DEFAULT_SPREAD_WEIGHT,
    spreadTarget: (s?.spreadTarget ?? []).map((t) => ({ value: t.value ?? '', percent: t.percent ?? 0 })),
  };
}

function port(p: P<Port>): Port {
  return {
    label: p?.label ?? '',
    value: p?.value ?? 0,
    to: p?.to ?? 0,
    hostNetwork: p?.hostNetwork ?? '',
    ignoreCollision: p?.ignoreCollision ?? false,
  };
}

function network(n: P<NetworkResource>): NetworkResource {
  return {
    mode: n?.mode ?? '',
    device: n?.device ?? '',
    cidr: n?.cidr ?? '',
    ip: n?.ip ?? '',
    hostname: n?.hostname ?? '',
    mbits: n?.mbits ?? 0,
    dns: n?.dns
      ? { servers: strs(n.dns.servers), searches: strs(n.dns.searches), options: strs(n.dns.options) }
      : undefined,
    reservedPorts: (n?.reservedPorts ?? []).map(port),
    dynamicPorts: (n?.dynamicPorts ?? []).map(port),
    cni: n?.cni ? { args: smap(n.cni.args) } : undefined,
  };
}

function checkRestart(c: P<CheckRestart>): CheckRestart {
  return { limit: c?.limit ?? 0, grace: c?.grace ?? SECOND, ignoreWarnings: c?.ignoreWarnings ?? false };
}

function service(s: DeepPartial<Service>, defaultName: string): Service {
  const onUpdate = s.onUpdate || 'require_healthy';
  return {
    name: s.name || defaultName,
    tags: strs(s.tags),
    canaryTags: strs(s.canaryTags),
    enableTagOverride: s.enableTagOverride ?? false,
    portLabel: s.portLabel ?? '',
    addressMode: s.addressMode || 'auto',
    address: s.address ?? '',
    checks: (s.checks ?? []).map((c) => check(c, s.checkRestart, onUpdate)),
    checkRestart: s.checkRestart ? checkRestart(s.checkRestart) : undefined,
    connect: s.connect ? { ...s.connect } : undefined,
    meta: smap(s.meta),
    canaryMeta: smap(s.canaryMeta),
    taggedAddresses: smap(s.taggedAddresses),
    taskName: s.taskName ?? '',
    onUpdate,
    provider: s.provider || 'consul',
    cluster: s.cluster || 'default',
    kind: s.kind || undefined,
    identity: s.identity ? workloadIdentity(s.identity) : undefined,
    // Nomad's api raises weights below 1 to 1.
    weights: s.weights
      ? { passing: Math.max(1, s.weights.passing ?? 0), warning: Math.max(1, s.weights.warning ?? 0) }
      : undefined,
  };
}

function check(
  c: DeepPartial<ServiceCheck>,
  serviceRestart: P<CheckRestart>,
  onUpdate: string,
): ServiceCheck {
  // The service's check_restart is the base for each check's own.
  const cr =
    serviceRestart || c.checkRestart
      ? checkRestart(merge({ ...(serviceRestart ?? {}) }, c.checkRestart))
      : undefined;
  const header: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(c.header ?? {})) header[k] = strs(v);
  return {
    name: c.name ?? '',
    type: c.type ?? '',
    command: c.command ?? '',
    args: strs(c.args),
    path: c.path ?? '',
    protocol: c.protocol ?? '',
    portLabel: c.portLabel ?? '',
    expose: c.expose ?? false,
    addressMode: c.addressMode ?? '',
    interval: c.interval ?? 0,
    timeout: c.timeout ?? 0,
    initialStatus: c.initialStatus ?? '',
    tlsServerName: c.tlsServerName ?? '',
    tlsSkipVerify: c.tlsSkipVerify ?? false,
    header,
    method: c.method ?? '',
    checkRestart: cr,
    grpcService: c.grpcService ?? '',
    grpcUseTLS: c.grpcUseTLS ?? false,
    taskName: c.taskName ?? '',
    successBeforePassing: Math.max(0, c.successBeforePassing ?? 0),
    failuresBeforeCritical: Math.max(0, c.failuresBeforeCritical ?? 0),
    failuresBeforeWarning: Math.max(0, c.failuresBeforeWarning ?? 0),
    body: c.body ?? '',
    onUpdate: c.onUpdate || onUpdate,
    advertise: c.advertise || undefined,
    notes: c.notes || undefined,
  };
}

function template(t: DeepPartial<Template>): Template {
  const changeMode = t.changeMode ?? 'restart';
  return {
    sourcePath: t.sourcePath ?? '',
    destPath: t.destPath ?? '',
    embeddedTmpl: t.embeddedTmpl ?? '',
    changeMode,
    changeSignal:
      t.changeSignal !== undefined ? t.changeSignal.toUpperCase() : changeMode === 'signal' ? 'SIGHUP' : '',
    changeScript: t.changeScript
      ? {
          command: t.changeScript.command ?? '',
          args: strs(t.changeScript.args),
          timeout: t.changeScript.timeout ?? 5 * SECOND,
          failOnError: t.changeScript.failOnError ?? false,
          runOnFirstRender: t.changeScript.runOnFirstRender ?? false,
        }
      : undefined,
    once: t.once ?? false,
    splay: t.splay ?? 5 * SECOND,
    perms: t.perms ?? '0644',
    uid: t.uid,
    gid: t.gid,
    leftDelim: t.leftDelim ?? '{{',
    rightDelim: t.rightDelim ?? '}}',
    envvars: t.envvars ?? false,
    vaultGrace: t.vaultGrace ?? 0,
    wait: t.wait ? { min: t.wait.min ?? 0, max: t.wait.max ?? 0 } : undefined,
    errMissingKey: t.errMissingKey ?? false,
  };
}

function scaling(s: DeepPartial<ScalingPolicy>, count: number, defaultType: string): ScalingPolicy {
  return {
    id: s.id ?? '',
    type: s.type || defaultType,
    min: s.min ?? count,
    max: s.max ?? 0,
    enabled: s.enabled ?? true,
    policy: { ...(s.policy ?? {}) },
    target: smap(s.target),
  };
}

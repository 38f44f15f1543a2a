/**
 * The jobspec block and attribute names (Nomad's jobspec2 / api hcl tags) mapped to the core
 * Job's camelCase fields, with the shape fix-ups jobspec2 performs: constraint and affinity
 * shorthands, static ports as reserved ports, labelled volumes, devices and spread targets,
 * task scaling policy types.
 */

import { diagError } from '../diagnostics.js';
import type { Range } from '../syntax/ast.js';
import { blockRanges, labelRanges, type BlockRule, type Obj, type Spec } from './bodyDecoder.js';
import { connectSpec } from './connectSchema.js';

const one = (field: string, spec: Spec, labels = 0): BlockRule => ({ field, mode: 'one', spec, labels });
const list = (field: string, spec: Spec, labels = 0): BlockRule => ({ field, mode: 'list', spec, labels });
const free = (field: string): BlockRule => ({ field, mode: 'free' });
const blockRange = (o: object): Range | undefined => blockRanges.get(o);

/** Operands that take their value from a same-named attribute (`regexp = "…"`). */
const SHORTHANDS = ['version', 'semver', 'regexp', 'set_contains', 'set_contains_any', 'set_contains_all'];

const constraint: Spec = {
  attrs: {
    attribute: ['ltarget', 'string'],
    value: ['rtarget', 'string'],
    operator: ['operand', 'string'],
    distinct_hosts: ['distinctHosts', 'bool'],
    distinct_property: ['distinctProperty', 'string'],
    ...Object.fromEntries(SHORTHANDS.map((s) => [s, [s, 'string'] as const])),
  },
  post: (out) => {
    for (const s of SHORTHANDS) {
      if (typeof out[s] === 'string' && out[s] !== '') {
        out['operand'] = s;
        out['rtarget'] = out[s];
      }
      delete out[s];
    }
    // jobspec2: `distinct_hosts = true|false` is operand distinct_hosts with RTarget "true"/"false".
    if (typeof out['distinctHosts'] === 'boolean') {
      out['operand'] = 'distinct_hosts';
      out['rtarget'] = String(out['distinctHosts']);
    }
    delete out['distinctHosts'];
    if (typeof out['distinctProperty'] === 'string' && out['distinctProperty'] !== '') {
      out['operand'] = 'distinct_property';
      out['ltarget'] = out['distinctProperty'];
    }
    delete out['distinctProperty'];
    out['ltarget'] ??= '';
    out['rtarget'] ??= '';
    out['operand'] ??= '=';
  },
};

const affinity: Spec = {
  attrs: {
    attribute: ['ltarget', 'string'],
    value: ['rtarget', 'string'],
    operator: ['operand', 'string'],
    weight: ['weight', 'number'],
    ...Object.fromEntries(SHORTHANDS.map((s) => [s, [s, 'string'] as const])),
  },
  post: (out) => {
    for (const s of SHORTHANDS) {
      if (typeof out[s] === 'string' && out[s] !== '') {
        out['operand'] = s;
        out['rtarget'] = out[s];
      }
      delete out[s];
    }
    out['operand'] ??= '=';
  },
};

const spread: Spec = {
  attrs: { attribute: ['attribute', 'string'], weight: ['weight', 'number'] },
  blocks: {
    target: list(
      'spreadTarget',
      { labelField: 'value', attrs: { value: ['value', 'string'], percent: ['percent', 'number'] } },
      1,
    ),
  },
};

const update: Spec = {
  attrs: {
    max_parallel: ['maxParallel', 'number'],
    health_check: ['healthCheck', 'string'],
    min_healthy_time: ['minHealthyTime', 'duration'],
    healthy_deadline: ['healthyDeadline', 'duration'],
    progress_deadline: ['progressDeadline', 'duration'],
    auto_revert: ['autoRevert', 'bool'],
    auto_promote: ['autoPromote', 'bool'],
    canary: ['canary', 'number'],
    stagger: ['stagger', 'duration'],
  },
};

const migrate: Spec = {
  attrs: {
    max_parallel: ['maxParallel', 'number'],
    health_check: ['healthCheck', 'string'],
    min_healthy_time: ['minHealthyTime', 'duration'],
    healthy_deadline: ['healthyDeadline', 'duration'],
  },
};

const reschedule: Spec = {
  attrs: {
    attempts: ['attempts', 'number'],
    interval: ['interval', 'duration'],
    delay: ['delay', 'duration'],
    delay_function: ['delayFunction', 'string'],
    max_delay: ['maxDelay', 'duration'],
    unlimited: ['unlimited', 'bool'],
  },
};

const restart: Spec = {
  attrs: {
    attempts: ['attempts', 'number'],
    interval: ['interval', 'duration'],
    delay: ['delay', 'duration'],
    mode: ['mode', 'string'],
    render_templates: ['renderTemplates', 'bool'],
  },
};

const periodic: Spec = {
  attrs: {
    cron: ['spec', 'string'],
    crons: ['specs', 'strings'],
    prohibit_overlap: ['prohibitOverlap', 'bool'],
    time_zone: ['timeZone', 'string'],
    enabled: ['enabled', 'bool'],
  },
};

const parameterized: Spec = {
  attrs: {
    payload: ['payload', 'string'],
    meta_required: ['metaRequired', 'strings'],
    meta_optional: ['metaOptional', 'strings'],
  },
};

const multiregion: Spec = {
  blocks: {
    strategy: one('strategy', {
      attrs: { max_parallel: ['maxParallel', 'number'], on_failure: ['onFailure', 'string'] },
    }),
    region: list(
      'regions',
      {
        labelField: 'name',
        attrs: {
          count: ['count', 'number'],
          datacenters: ['datacenters', 'strings'],
          node_pool: ['nodePool', 'string'],
          meta: ['meta', 'smap'],
        },
      },
      1,
    ),
  },
};

const port: Spec = {
  labelField: 'label',
  attrs: {
    static: ['value', 'number'],
    to: ['to', 'number'],
    host_network: ['hostNetwork', 'string'],
    ignore_collision: ['ignoreCollision', 'bool'],
  },
};

const network: Spec = {
  attrs: {
    mode: ['mode', 'string'],
    device: ['device', 'string'],
    cidr: ['cidr', 'string'],
    ip: ['ip', 'string'],
    hostname: ['hostname', 'string'],
    mbits: ['mbits', 'number'],
  },
  blocks: {
    port: list('ports', port, 1),
    reserved_ports: list('reservedPortBlocks', port, 1),
    dns: one('dns', {
      attrs: {
        servers: ['servers', 'strings'],
        searches: ['searches', 'strings'],
        options: ['options', 'strings'],
      },
    }),
    cni: one('cni', { attrs: { args: ['args', 'smap'] } }),
  },
  // Ports with a static host port are reserved; the others are dynamic. As in jobspec2, when
  // there are `port` blocks the reserved list is the static ones among them.
  post: (out) => {
    const ports = (out['ports'] as Obj[] | undefined) ?? [];
    const blocks = (out['reservedPortBlocks'] as Obj[] | undefined) ?? [];
    delete out['ports'];
    delete out['reservedPortBlocks'];
    const reserved = ports.filter((p) => typeof p['value'] === 'number' && p['value'] > 0);
    const dynamic = ports.filter((p) => !reserved.includes(p));
    if (ports.length === 0 && blocks.length) out['reservedPorts'] = blocks;
    if (reserved.length) out['reservedPorts'] = reserved;
    if (dynamic.length) out['dynamicPorts'] = dynamic;
  },
};

const checkRestart: Spec = {
  attrs: {
    limit: ['limit', 'number'],
    grace: ['grace', 'duration'],
    ignore_warnings: ['ignoreWarnings', 'bool'],
  },
};

const check: Spec = {
  attrs: {
    name: ['name', 'string'],
    type: ['type', 'string'],
    command: ['command', 'string'],
    args: ['args', 'strings'],
    path: ['path', 'string'],
    protocol: ['protocol', 'string'],
    port: ['portLabel', 'string'],
    expose: ['expose', 'bool'],
    address_mode: ['addressMode', 'string'],
    interval: ['interval', 'duration'],
    timeout: ['timeout', 'duration'],
    initial_status: ['initialStatus', 'string'],
    tls_server_name: ['tlsServerName', 'string'],
    tls_skip_verify: ['tlsSkipVerify', 'bool'],
    header: ['header', 'lmap'],
    method: ['method', 'string'],
    grpc_service: ['grpcService', 'string'],
    grpc_use_tls: ['grpcUseTLS', 'bool'],
    task: ['taskName', 'string'],
    success_before_passing: ['successBeforePassing', 'number'],
    failures_before_critical: ['failuresBeforeCritical', 'number'],
    failures_before_warning: ['failuresBeforeWarning', 'number'],
    body: ['body', 'string'],
    on_update: ['onUpdate', 'string'],
    advertise: ['advertise', 'string'],
    notes: ['notes', 'string'],
  },
  blocks: { check_restart: one('checkRestart', checkRestart) },
};

/** `identity { … }` (api.WorkloadIdentity). */
const identity: Spec = {
  attrs: {
    name: ['name', 'string'],
    aud: ['audience', 'strings'],
    change_mode: ['changeMode', 'string'],
    change_signal: ['changeSignal', 'string'],
    env: ['env', 'bool'],
    file: ['file', 'bool'],
    filepath: ['filepath', 'string'],
    service_name: ['serviceName', 'string'],
    ttl: ['ttl', 'duration'],
    extra_claims: ['extraClaims', 'strings'],
  },
};

/** `consul { … }` of a group or task (api.Consul). */
const consul: Spec = {
  attrs: {
    namespace: ['namespace', 'string'],
    cluster: ['cluster', 'string'],
    partition: ['partition', 'string'],
  },
};

/** `secret "name" { … }` (api.Secret). */
const secret: Spec = {
  labelField: 'name',
  attrs: { provider: ['provider', 'string'], path: ['path', 'string'], env: ['env', 'smap'] },
  blocks: { config: free('config') },
};

const service: Spec = {
  attrs: {
    name: ['name', 'string'],
    port: ['portLabel', 'string'],
    tags: ['tags', 'strings'],
    canary_tags: ['canaryTags', 'strings'],
    enable_tag_override: ['enableTagOverride', 'bool'],
    address_mode: ['addressMode', 'string'],
    address: ['address', 'string'],
    task: ['taskName', 'string'],
    on_update: ['onUpdate', 'string'],
    provider: ['provider', 'string'],
    cluster: ['cluster', 'string'],
    meta: ['meta', 'smap'],
    canary_meta: ['canaryMeta', 'smap'],
    tagged_addresses: ['taggedAddresses', 'smap'],
    kind: ['kind', 'string'],
  },
  blocks: {
    check: list('checks', check),
    check_restart: one('checkRestart', checkRestart),
    connect: one('connect', connectSpec),
    identity: one('identity', identity),
    weights: one('weights', { attrs: { passing: ['passing', 'number'], warning: ['warning', 'number'] } }),
  },
};

const volume: Spec = {
  labelField: 'name',
  attrs: {
    type: ['type', 'string'],
    source: ['source', 'string'],
    read_only: ['readOnly', 'bool'],
    sticky: ['sticky', 'bool'],
    access_mode: ['accessMode', 'string'],
    attachment_mode: ['attachmentMode', 'string'],
    per_alloc: ['perAlloc', 'bool'],
  },
  blocks: {
    mount_options: one('mountOptions', {
      attrs: { fs_type: ['fsType', 'string'], mount_flags: ['mountFlags', 'strings'] },
    }),
  },
};

const scaling: Spec = {
  attrs: {
    min: ['min', 'number'],
    max: ['max', 'number'],
    enabled: ['enabled', 'bool'],
    type: ['type', 'string'],
  },
  blocks: { policy: free('policy') },
};

/** A group's `scaling` block: `max` is required and the type, when written, must be horizontal. */
const groupScaling: Spec = {
  ...scaling,
  required: ['max'],
  post: (out, at, diags) => {
    const ty = out['type'];
    const tyRange = at.body.attributes.find((a) => a.name === 'type')?.expr.range;
    if (ty !== undefined && ty !== 'horizontal' && tyRange)
      diags.push(
        diagError(
          tyRange,
          'Invalid group scaling type',
          `task group scaling policy had invalid type: ${JSON.stringify(ty)}`,
        ),
      );
    out['type'] ??= 'horizontal';
  },
};

const device: Spec = {
  labelField: 'name',
  attrs: { count: ['count', 'number'] },
  blocks: { constraint: list('constraints', constraint), affinity: list('affinities', affinity) },
};

const resources: Spec = {
  attrs: {
    cpu: ['cpu', 'number'],
    cores: ['cores', 'number'],
    memory: ['memoryMB', 'number'],
    memory_max: ['memoryMaxMB', 'number'],
    disk: ['diskMB', 'number'],
    iops: ['iops', 'number'],
    secrets: ['secretsMB', 'number'],
  },
  blocks: {
    network: list('networks', network),
    device: list('devices', device, 1),
    numa: one('numa', { attrs: { affinity: ['affinity', 'string'], devices: ['devices', 'strings'] } }),
  },
};

const template: Spec = {
  attrs: {
    source: ['sourcePath', 'string'],
    destination: ['destPath', 'string'],
    data: ['embeddedTmpl', 'string'],
    change_mode: ['changeMode', 'string'],
    change_signal: ['changeSignal', 'string'],
    splay: ['splay', 'duration'],
    perms: ['perms', 'string'],
    uid: ['uid', 'number'],
    gid: ['gid', 'number'],
    left_delimiter: ['leftDelim', 'string'],
    right_delimiter: ['rightDelim', 'string'],
    env: ['envvars', 'bool'],
    vault_grace: ['vaultGrace', 'duration'],
    error_on_missing_key: ['errMissingKey', 'bool'],
    once: ['once', 'bool'],
  },
  blocks: {
    change_script: one('changeScript', {
      attrs: {
        command: ['command', 'string'],
        args: ['args', 'strings'],
        timeout: ['timeout', 'duration'],
        fail_on_error: ['failOnError', 'bool'],
        run_on_first_render: ['runOnFirstRender', 'bool'],
      },
    }),
    wait: one('wait', { attrs: { min: ['min', 'duration'], max: ['max', 'duration'] } }),
  },
};

const vault: Spec = {
  attrs: {
    policies: ['policies', 'strings'],
    role: ['role', 'string'],
    namespace: ['namespace', 'string'],
    cluster: ['cluster', 'string'],
    env: ['env', 'bool'],
    disable_file: ['disableFile', 'bool'],
    change_mode: ['changeMode', 'string'],
    change_signal: ['changeSignal', 'string'],
    allow_token_expiration: ['allowTokenExpiration', 'bool'],
  },
};

const task: Spec = {
  labelField: 'name',
  attrs: {
    driver: ['driver', 'string'],
    user: ['user', 'string'],
    config: ['config', 'free'],
    env: ['env', 'smap'],
    meta: ['meta', 'smap'],
    kill_timeout: ['killTimeout', 'duration'],
    kill_signal: ['killSignal', 'string'],
    leader: ['leader', 'bool'],
    shutdown_delay: ['shutdownDelay', 'duration'],
    kind: ['kind', 'string'],
  },
  blocks: {
    constraint: list('constraints', constraint),
    affinity: list('affinities', affinity),
    resources: one('resources', resources),
    restart: one('restartPolicy', restart),
    logs: one('logConfig', {
      attrs: {
        max_files: ['maxFiles', 'number'],
        max_file_size: ['maxFileSizeMB', 'number'],
        disabled: ['disabled', 'bool'],
        enabled: ['enabled', 'bool'],
      },
      post: (out) => {
        if (out['enabled'] === false) out['disabled'] = true;
        delete out['enabled'];
      },
    }),
    artifact: list('artifacts', {
      attrs: {
        source: ['getterSource', 'string'],
        destination: ['relativeDest', 'string'],
        mode: ['getterMode', 'string'],
        options: ['getterOptions', 'smap'],
        headers: ['getterHeaders', 'smap'],
        chown: ['chown', 'bool'],
        insecure: ['getterInsecure', 'bool'],
      },
    }),
    vault: one('vault', vault),
    template: list('templates', template),
    dispatch_payload: one('dispatchPayload', { attrs: { file: ['file', 'string'] } }),
    volume_mount: list('volumeMounts', {
      attrs: {
        volume: ['volume', 'string'],
        destination: ['destination', 'string'],
        read_only: ['readOnly', 'bool'],
        propagation_mode: ['propagationMode', 'string'],
        selinux_label: ['selinuxLabel', 'string'],
      },
    }),
    csi_plugin: one('csiPluginConfig', {
      attrs: {
        id: ['id', 'string'],
        type: ['type', 'string'],
        mount_dir: ['mountDir', 'string'],
        stage_publish_base_dir: ['stagePublishBaseDir', 'string'],
        health_timeout: ['healthTimeout', 'duration'],
      },
    }),
    lifecycle: one('lifecycle', { attrs: { hook: ['hook', 'string'], sidecar: ['sidecar', 'bool'] } }),
    service: list('services', service),
    scaling: list('scalingPolicies', { ...scaling, labelField: 'label' }, 1),
    consul: one('consul', consul),
    identity: list('identities', identity),
    action: list(
      'actions',
      { labelField: 'name', attrs: { command: ['command', 'string'], args: ['args', 'strings'] } },
      1,
    ),
    secret: list('secrets', secret, 1),
    schedule: one('schedule', {
      blocks: {
        cron: one('cron', {
          attrs: { start: ['start', 'string'], end: ['end', 'string'], timezone: ['timezone', 'string'] },
        }),
      },
    }),
  },
  post: (out, taskAt, diags) => {
    // Task scaling blocks are labelled "cpu" or "mem" (vertical policies), each at most once.
    const policies = (out['scalingPolicies'] as Obj[] | undefined) ?? [];
    const kept: Obj[] = [];
    const seen = new Map<string, Obj>();
    for (const p of policies) {
      const label = String(p['label']).toLowerCase();
      delete p['label'];
      const at = labelRanges.get(p) ?? blockRange(p) ?? taskAt.typeRange;
      const want = label === 'cpu' ? 'vertical_cpu' : label === 'mem' ? 'vertical_mem' : undefined;
      if (!want) {
        if (at)
          diags.push(
            diagError(at, 'Invalid scaling policy name', 'scaling policy name must be "cpu" or "mem"'),
          );
        continue;
      }
      const prev = seen.get(label);
      if (prev) {
        const r = blockRange(p) ?? taskAt.typeRange;
        const pr = blockRange(prev);
        if (r)
          diags.push(
            diagError(
              r,
              `Duplicate scaling ${JSON.stringify(label)} block`,
              `Only one scaling ${label} block is allowed. Another was defined at ${pr ? `${pr.file.name}:${pr.start.line},${pr.start.column}` : 'another place'}.`,
            ),
          );
        continue;
      }
      seen.set(label, p);
      if (p['type'] === undefined) p['type'] = want;
      else if (p['type'] !== want) {
        const r = blockRange(p) ?? taskAt.typeRange;
        // jobspec2's message names the written type as "expected" and the label's as "found".
        if (r)
          diags.push(
            diagError(
              r,
              'Invalid scaling policy type',
              `Invalid policy type, expected ${JSON.stringify(p['type'])} but found ${JSON.stringify(want)}`,
            ),
          );
        continue;
      }
      kept.push(p);
    }
    if (policies.length) out['scalingPolicies'] = kept;
    // The default identity (unnamed or "default") is Task.Identity; the rest stay in Identities.
    const ids = (out['identities'] as Obj[] | undefined) ?? [];
    const i = ids.findIndex((w) => w['name'] === undefined || w['name'] === '' || w['name'] === 'default');
    if (i >= 0) {
      out['identity'] = ids[i];
      ids.splice(i, 1);
    }
    if (out['identities'] !== undefined && ids.length === 0) delete out['identities'];
  },
};

const group: Spec = {
  labelField: 'name',
  attrs: {
    count: ['count', 'number'],
    shutdown_delay: ['shutdownDelay', 'duration'],
    stop_after_client_disconnect: ['stopAfterClientDisconnect', 'duration'],
    max_client_disconnect: ['maxClientDisconnect', 'duration'],
    prevent_reschedule_on_lost: ['preventRescheduleOnLost', 'bool'],
    max_run_duration: ['maxRunDuration', 'duration'],
    meta: ['meta', 'smap'],
  },
  blocks: {
    constraint: list('constraints', constraint),
    affinity: list('affinities', affinity),
    spread: list('spreads', spread),
    task: list('tasks', task, 1),
    restart: one('restartPolicy', restart),
    reschedule: one('reschedulePolicy', reschedule),
    ephemeral_disk: one('ephemeralDisk', {
      attrs: { sticky: ['sticky', 'bool'], migrate: ['migrate', 'bool'], size: ['sizeMB', 'number'] },
    }),
    update: one('update', update),
    migrate: one('migrate', migrate),
    network: list('networks', network),
    service: list('services', service),
    volume: list('volumeList', volume, 1),
    scaling: one('scaling', groupScaling),
    vault: one('vault', vault),
    consul: one('consul', consul),
    secret: list('secrets', secret, 1),
    disconnect: one('disconnect', {
      attrs: {
        lost_after: ['lostAfter', 'duration'],
        stop_on_client_after: ['stopOnClientAfter', 'duration'],
        replace: ['replace', 'bool'],
        reconcile: ['reconcile', 'string'],
      },
    }),
  },
  post: (out) => {
    const vols = (out['volumeList'] as Obj[] | undefined) ?? [];
    delete out['volumeList'];
    if (vols.length) out['volumes'] = Object.fromEntries(vols.map((v) => [v['name'] as string, v]));
    // A group-level vault block applies to every task that has none of its own; group secrets
    // go to every task that declares none.
    const v = out['vault'];
    delete out['vault'];
    const secrets = out['secrets'] as Obj[] | undefined;
    delete out['secrets'];
    for (const t of (out['tasks'] as Obj[] | undefined) ?? []) {
      if (v) t['vault'] ??= v;
      if (secrets && !(t['secrets'] as Obj[] | undefined)?.length) t['secrets'] = [...secrets];
    }
  },
};

/** The `job "name" { … }` block. */
export const jobSpec: Spec = {
  labelField: 'jobLabel',
  attrs: {
    id: ['id', 'string'],
    name: ['name', 'string'],
    region: ['region', 'string'],
    namespace: ['namespace', 'string'],
    type: ['type', 'string'],
    priority: ['priority', 'number'],
    all_at_once: ['allAtOnce', 'bool'],
    datacenters: ['datacenters', 'strings'],
    node_pool: ['nodePool', 'string'],
    meta: ['meta', 'smap'],
  },
  blocks: {
    constraint: list('constraints', constraint),
    affinity: list('affinities', affinity),
    spread: list('spreads', spread),
    group: list('taskGroups', group, 1),
    task: list('looseTasks', task, 1),
    update: one('update', update),
    multiregion: one('multiregion', multiregion),
    periodic: one('periodic', periodic),
    parameterized: one('parameterizedJob', parameterized),
    reschedule: one('reschedule', reschedule),
    migrate: one('migrate', migrate),
    ui: one('ui', {
      attrs: { description: ['description', 'string'] },
      blocks: { link: list('links', { attrs: { label: ['label', 'string'], url: ['url', 'string'] } }) },
    }),
    vault: one('vault', vault),
    secret: list('secrets', secret, 1),
  },
  post: (out) => {
    // The label is the job ID unless `id` is written; the name defaults to the label either way
    // (jobspec2 normalizeJob).
    const label = out['jobLabel'];
    delete out['jobLabel'];
    out['id'] ??= label;
    out['name'] ??= label;
    // A task directly under the job becomes a group of its own, named after it, placed before
    // the explicit groups (jobspec2's normalizeJob).
    const loose = (out['looseTasks'] as Obj[] | undefined) ?? [];
    delete out['looseTasks'];
    if (loose.length) {
      const groups = (out['taskGroups'] as Obj[] | undefined) ?? [];
      out['taskGroups'] = [...loose.map((t) => ({ name: t['name'], tasks: [t] })), ...groups];
    }
    // Job-level vault goes to tasks without one; job-level secrets are added to every task.
    const v = out['vault'];
    const secrets = out['secrets'] as Obj[] | undefined;
    delete out['vault'];
    delete out['secrets'];
    if (v || secrets) {
      for (const g of (out['taskGroups'] as Obj[] | undefined) ?? []) {
        for (const t of (g['tasks'] as Obj[] | undefined) ?? []) {
          if (v) t['vault'] ??= v;
          if (secrets) t['secrets'] = [...((t['secrets'] as Obj[] | undefined) ?? []), ...secrets];
        }
      }
    }
  },
};

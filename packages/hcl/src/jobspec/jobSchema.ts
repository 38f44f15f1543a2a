/**
 * The jobspec block and attribute names (Nomad's jobspec2 / api hcl tags) mapped to the core
 * Job's camelCase fields, with the shape fix-ups jobspec2 performs: constraint and affinity
 * shorthands, static ports as reserved ports, labelled volumes, devices and spread targets,
 * task scaling policy types.
 */

import { diagError } from '../diagnostics.js';
import type { BlockRule, Obj, Spec } from './bodyDecoder.js';

const one = (field: string, spec: Spec, labels = 0): BlockRule => ({ field, mode: 'one', spec, labels });
const list = (field: string, spec: Spec, labels = 0): BlockRule => ({ field, mode: 'list', spec, labels });
const free = (field: string): BlockRule => ({ field, mode: 'free' });

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
    if (out['distinctHosts'] === true) out['operand'] = 'distinct_hosts';
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
  attrs: { mode: ['mode', 'string'], hostname: ['hostname', 'string'], mbits: ['mbits', 'number'] },
  blocks: {
    port: list('ports', port, 1),
    dns: one('dns', {
      attrs: {
        servers: ['servers', 'strings'],
        searches: ['searches', 'strings'],
        options: ['options', 'strings'],
      },
    }),
    cni: one('cni', { attrs: { args: ['args', 'smap'] } }),
  },
  // Ports with a static host port are reserved; the others are dynamic.
  post: (out) => {
    const ports = (out['ports'] as Obj[] | undefined) ?? [];
    delete out['ports'];
    const reserved = ports.filter((p) => typeof p['value'] === 'number' && p['value'] !== 0);
    const dynamic = ports.filter((p) => !reserved.includes(p));
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
  },
  blocks: { check_restart: one('checkRestart', checkRestart) },
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
  },
  blocks: {
    check: list('checks', check),
    check_restart: one('checkRestart', checkRestart),
    connect: { field: 'connect', mode: 'api' },
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
  },
  // Task scaling blocks are labelled "cpu" or "mem" (vertical policies).
  post: (out, _raw, range, diags) => {
    const policies = (out['scalingPolicies'] as Obj[] | undefined) ?? [];
    for (const p of policies) {
      const label = p['label'];
      delete p['label'];
      if (label === 'cpu') p['type'] = 'vertical_cpu';
      else if (label === 'mem') p['type'] = 'vertical_mem';
      else
        diags.push(
          diagError(range, 'Invalid scaling policy name', 'scaling policy name must be "cpu" or "mem"'),
        );
    }
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
    scaling: one('scaling', scaling),
    vault: one('vault', vault),
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
    const sc = out['scaling'] as Obj | undefined;
    if (sc && sc['type'] === undefined) sc['type'] = 'horizontal';
    // A group-level vault block applies to every task that has none of its own.
    const v = out['vault'];
    delete out['vault'];
    if (v) for (const t of (out['tasks'] as Obj[] | undefined) ?? []) t['vault'] ??= v;
  },
};

/** The `job "name" { … }` block. */
export const jobSpec: Spec = {
  labelField: 'id',
  attrs: {
    name: ['name', 'string'],
    region: ['region', 'string'],
    namespace: ['namespace', 'string'],
    type: ['type', 'string'],
    priority: ['priority', 'number'],
    all_at_once: ['allAtOnce', 'bool'],
    datacenters: ['datacenters', 'strings'],
    node_pool: ['nodePool', 'string'],
    meta: ['meta', 'smap'],
    consul_token: ['consulToken', 'string'],
    vault_token: ['vaultToken', 'string'],
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
  },
  post: (out) => {
    out['name'] ??= out['id'];
    // Tokens are never part of a stored job.
    delete out['consulToken'];
    delete out['vaultToken'];
    // A task directly under the job becomes a group of its own, named after it.
    const loose = (out['looseTasks'] as Obj[] | undefined) ?? [];
    delete out['looseTasks'];
    if (loose.length) {
      const groups = (out['taskGroups'] as Obj[] | undefined) ?? [];
      for (const t of loose) groups.push({ name: t['name'], count: 1, tasks: [t] });
      out['taskGroups'] = groups;
    }
  },
};

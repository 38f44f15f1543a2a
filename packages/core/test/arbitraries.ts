/**
 * fast-check arbitraries for whole jobs, nodes, allocations and evaluations in their complete
 * (canonical-shaped) form. Exported for reuse by scheduler and state tests.
 *
 *   import { arbJob, arbNode, arbAllocation } from '../arbitraries.js';
 *   fc.assert(fc.property(arbJob(), (job) => ...));
 */
import fc from 'fast-check';
import type {
  Affinity,
  Constraint,
  NetworkResource,
  Port,
  ReschedulePolicy,
  Resources,
  RestartPolicy,
  Service,
  UpdateStrategy,
} from '@tsnomad/core/structs';
import type {
  Deployment,
  AllocMetric,
  Allocation,
  Evaluation,
  Job,
  Node,
  Task,
  TaskGroup,
} from '@tsnomad/core';
import type { EvalTrigger } from '@tsnomad/core/structs';

/** A short identifier-like string (no `__proto__` surprises in maps). */
export const arbName = (): fc.Arbitrary<string> => fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const key = (): fc.Arbitrary<string> => fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const str = (): fc.Arbitrary<string> => fc.string({ maxLength: 12 });
const nat = (max = 100_000): fc.Arbitrary<number> => fc.integer({ min: 0, max });
const dur = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 48 * 3600 }).map((s) => s * 1e9);
/**
 * A Go `time.Time` field as core holds it: ns since the epoch, 0 for unset. Covers exact
 * nanoseconds near the epoch, times before 1970, and ns-fraction doubles in years 1900–2200.
 */
export const arbTimestamp = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constant(0),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc
      .tuple(
        fc.integer({ min: -2_208_988_800, max: 7_258_118_400 }),
        fc.integer({ min: 0, max: 999_999_999 }),
      )
      .map(([s, ns]) => s * 1e9 + ns),
  );
const smap = (): fc.Arbitrary<Record<string, string>> => fc.dictionary(key(), str(), { maxKeys: 3 });
const list = <T>(a: fc.Arbitrary<T>, max = 2): fc.Arbitrary<T[]> => fc.array(a, { maxLength: max });
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const float = (): fc.Arbitrary<number> =>
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1000);
const jsonish = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(key(), fc.oneof(str(), fc.integer(), fc.boolean(), list(str(), 3)), { maxKeys: 3 });

const OPERANDS = [
  '=',
  '!=',
  '<',
  '>=',
  'regexp',
  'version',
  'semver',
  'set_contains',
  'is_set',
  'distinct_hosts',
];

export const arbConstraint = (): fc.Arbitrary<Constraint> =>
  fc.record({
    ltarget: fc.constantFrom('${attr.kernel.name}', '${node.class}', '${meta.rack}'),
    rtarget: str(),
    operand: fc.constantFrom(...OPERANDS),
  });

export const arbAffinity = (): fc.Arbitrary<Affinity> =>
  fc.record({
    ltarget: fc.constantFrom('${node.datacenter}', '${meta.zone}'),
    rtarget: str(),
    operand: fc.constantFrom('=', '!='),
    weight: fc.integer({ min: -100, max: 100 }),
  });

export const arbPort = (): fc.Arbitrary<Port> =>
  fc.record({
    label: arbName(),
    value: nat(65535),
    to: nat(65535),
    hostNetwork: fc.constantFrom('', 'public'),
    ignoreCollision: fc.boolean(),
  });

export const arbNetwork = (): fc.Arbitrary<NetworkResource> =>
  fc.record({
    mode: fc.constantFrom('', 'host', 'bridge', 'none', 'cni/mynet'),
    device: fc.constant(''),
    cidr: fc.constant(''),
    ip: fc.constantFrom('', '10.0.0.1'),
    hostname: fc.constant(''),
    mbits: nat(1000),
    dns: maybe(fc.record({ servers: list(str()), searches: list(str()), options: list(str()) })),
    reservedPorts: list(arbPort()),
    dynamicPorts: list(arbPort()),
    cni: maybe(fc.record({ args: smap() })),
  });

export const arbResources = (): fc.Arbitrary<Resources> =>
  fc.record({
    cpu: nat(8000),
    cores: nat(8),
    memoryMB: nat(16384),
    memoryMaxMB: nat(32768),
    diskMB: nat(1000),
    iops: fc.constant(0),
    networks: list(arbNetwork(), 1),
    devices: list(
      fc.record({
        name: fc.constantFrom('nvidia/gpu', 'gpu'),
        count: nat(4),
        constraints: list(arbConstraint(), 1),
        affinities: list(arbAffinity(), 1),
      }),
      1,
    ),
    numa: maybe(fc.record({ affinity: fc.constantFrom('none', 'prefer', 'require'), devices: list(str()) })),
    secretsMB: nat(100),
  });

export const arbUpdate = (): fc.Arbitrary<UpdateStrategy> =>
  fc.record({
    stagger: dur(),
    maxParallel: nat(10),
    healthCheck: fc.constantFrom('checks', 'task_states', 'manual'),
    minHealthyTime: dur(),
    healthyDeadline: dur(),
    progressDeadline: dur(),
    canary: nat(5),
    autoRevert: fc.boolean(),
    autoPromote: fc.boolean(),
  });

export const arbRestart = (): fc.Arbitrary<RestartPolicy> =>
  fc.record({
    attempts: nat(10),
    interval: dur(),
    delay: dur(),
    mode: fc.constantFrom('fail', 'delay'),
    renderTemplates: fc.boolean(),
  });

export const arbReschedule = (): fc.Arbitrary<ReschedulePolicy> =>
  fc.record({
    attempts: nat(10),
    interval: dur(),
    delay: dur(),
    delayFunction: fc.constantFrom('constant', 'exponential', 'fibonacci'),
    maxDelay: dur(),
    unlimited: fc.boolean(),
  });

const arbCheckRestart = () => fc.record({ limit: nat(5), grace: dur(), ignoreWarnings: fc.boolean() });

export const arbService = (): fc.Arbitrary<Service> =>
  fc.record({
    name: arbName(),
    tags: list(str()),
    canaryTags: list(str()),
    enableTagOverride: fc.boolean(),
    portLabel: arbName(),
    addressMode: fc.constantFrom('auto', 'host', 'driver', 'alloc'),
    address: fc.constant(''),
    checks: list(
      fc.record({
        name: arbName(),
        type: fc.constantFrom('http', 'tcp', 'grpc', 'script'),
        command: str(),
        args: list(str()),
        path: fc.constantFrom('', '/health'),
        protocol: fc.constantFrom('', 'https'),
        portLabel: arbName(),
        expose: fc.boolean(),
        addressMode: fc.constant(''),
        interval: dur(),
        timeout: dur(),
        initialStatus: fc.constant(''),
        tlsServerName: fc.constant(''),
        tlsSkipVerify: fc.boolean(),
        header: fc.dictionary(key(), list(str()), { maxKeys: 2 }),
        method: fc.constantFrom('', 'GET'),
        checkRestart: maybe(arbCheckRestart()),
        grpcService: fc.constant(''),
        grpcUseTLS: fc.boolean(),
        taskName: fc.constant(''),
        successBeforePassing: nat(3),
        failuresBeforeCritical: nat(3),
        failuresBeforeWarning: nat(3),
        body: fc.constant(''),
        onUpdate: fc.constantFrom('require_healthy', 'ignore_warnings', 'ignore'),
      }),
      1,
    ),
    checkRestart: maybe(arbCheckRestart()),
    connect: maybe(jsonish()),
    meta: smap(),
    canaryMeta: smap(),
    taggedAddresses: smap(),
    taskName: fc.constant(''),
    onUpdate: fc.constantFrom('require_healthy', 'ignore'),
    provider: fc.constantFrom('consul', 'nomad'),
    cluster: fc.constant('default'),
  });

export const arbTask = (): fc.Arbitrary<Task> =>
  fc.record({
    name: arbName(),
    driver: fc.constantFrom('docker', 'exec', 'raw_exec', 'java', 'qemu'),
    user: fc.constantFrom('', 'nobody'),
    config: jsonish(),
    env: smap(),
    services: list(arbService(), 1),
    constraints: list(arbConstraint(), 1),
    affinities: list(arbAffinity(), 1),
    resources: arbResources(),
    restartPolicy: maybe(arbRestart()),
    meta: smap(),
    killTimeout: dur(),
    killSignal: fc.constantFrom('', 'SIGTERM', 'SIGINT'),
    logConfig: maybe(fc.record({ maxFiles: nat(20), maxFileSizeMB: nat(100), disabled: fc.boolean() })),
    artifacts: list(
      fc.record({
        getterSource: str(),
        getterOptions: smap(),
        getterHeaders: smap(),
        getterMode: fc.constantFrom('any', 'file', 'dir'),
        getterInsecure: fc.boolean(),
        relativeDest: fc.constant('local/'),
        chown: fc.boolean(),
      }),
      1,
    ),
    vault: maybe(
      fc.record({
        policies: list(str()),
        role: str(),
        namespace: str(),
        cluster: fc.constant('default'),
        env: fc.boolean(),
        disableFile: fc.boolean(),
        changeMode: fc.constantFrom('restart', 'signal', 'noop'),
        changeSignal: fc.constantFrom('SIGHUP', ''),
        allowTokenExpiration: fc.boolean(),
      }),
    ),
    templates: list(
      fc.record({
        sourcePath: str(),
        destPath: fc.constantFrom('local/a.conf', 'secrets/env'),
        embeddedTmpl: str(),
        changeMode: fc.constantFrom('restart', 'signal', 'noop'),
        changeSignal: fc.constantFrom('', 'SIGHUP'),
        changeScript: maybe(
          fc.record({ command: str(), args: list(str()), timeout: dur(), failOnError: fc.boolean() }),
        ),
        once: fc.boolean(),
        splay: dur(),
        perms: fc.constantFrom('0644', '0600'),
        uid: maybe(nat(1000)),
        gid: maybe(nat(1000)),
        leftDelim: fc.constant('{{'),
        rightDelim: fc.constant('}}'),
        envvars: fc.boolean(),
        vaultGrace: dur(),
        wait: maybe(fc.record({ min: dur(), max: dur() })),
        errMissingKey: fc.boolean(),
      }),
      1,
    ),
    dispatchPayload: maybe(fc.record({ file: str() })),
    volumeMounts: list(
      fc.record({
        volume: arbName(),
        destination: str(),
        readOnly: fc.boolean(),
        propagationMode: fc.constantFrom('private', 'bidirectional'),
        selinuxLabel: fc.constant(''),
      }),
      1,
    ),
    csiPluginConfig: maybe(
      fc.record({
        id: arbName(),
        type: fc.constantFrom('node', 'controller', 'monolith'),
        mountDir: fc.constant('/csi'),
        stagePublishBaseDir: fc.constant('/local/csi'),
        healthTimeout: dur(),
      }),
    ),
    lifecycle: maybe(
      fc.record({ hook: fc.constantFrom('prestart', 'poststart', 'poststop'), sidecar: fc.boolean() }),
    ),
    leader: fc.boolean(),
    shutdownDelay: dur(),
    kind: fc.constant(''),
    scalingPolicies: fc.constant([]),
  });

const arbScaling = () =>
  fc.record({
    id: fc.constant(''),
    type: fc.constant('horizontal'),
    min: nat(5),
    max: nat(20),
    enabled: fc.boolean(),
    policy: jsonish(),
    target: smap(),
  });

export const arbTaskGroup = (): fc.Arbitrary<TaskGroup> =>
  fc.record({
    name: arbName(),
    count: nat(10),
    constraints: list(arbConstraint(), 1),
    affinities: list(arbAffinity(), 1),
    spreads: list(
      fc.record({
        attribute: fc.constant('${node.datacenter}'),
        weight: nat(100),
        spreadTarget: list(fc.record({ value: arbName(), percent: nat(100) })),
      }),
      1,
    ),
    tasks: fc.array(arbTask(), { minLength: 1, maxLength: 3 }),
    volumes: fc.dictionary(
      arbName(),
      fc.record({
        name: arbName(),
        type: fc.constantFrom('host', 'csi'),
        source: arbName(),
        readOnly: fc.boolean(),
        sticky: fc.boolean(),
        accessMode: fc.constant(''),
        attachmentMode: fc.constant(''),
        mountOptions: maybe(fc.record({ fsType: fc.constant('ext4'), mountFlags: list(str()) })),
        perAlloc: fc.boolean(),
      }),
      { maxKeys: 1 },
    ),
    restartPolicy: maybe(arbRestart()),
    reschedulePolicy: maybe(arbReschedule()),
    ephemeralDisk: maybe(fc.record({ sticky: fc.boolean(), migrate: fc.boolean(), sizeMB: nat(2000) })),
    update: maybe(arbUpdate()),
    migrate: maybe(
      fc.record({
        maxParallel: nat(5),
        healthCheck: fc.constantFrom('checks', 'task_states'),
        minHealthyTime: dur(),
        healthyDeadline: dur(),
      }),
    ),
    networks: list(arbNetwork(), 1),
    meta: smap(),
    services: list(arbService(), 1),
    shutdownDelay: maybe(dur()),
    stopAfterClientDisconnect: maybe(dur()),
    maxClientDisconnect: maybe(dur()),
    disconnect: maybe(
      fc.record({
        lostAfter: dur(),
        stopOnClientAfter: dur(),
        replace: fc.boolean(),
        reconcile: fc.constantFrom('best_score', 'keep_original'),
      }),
    ),
    scaling: maybe(arbScaling()),
    preventRescheduleOnLost: fc.boolean(),
  });

/** A complete job (every field present, values not necessarily valid). */
export const arbJob = (): fc.Arbitrary<Job> =>
  fc.record({
    region: fc.constantFrom('global', 'eu'),
    namespace: fc.constantFrom('default', 'prod'),
    id: arbName(),
    name: arbName(),
    type: fc.constantFrom('service', 'batch', 'system', 'sysbatch'),
    priority: fc.integer({ min: 0, max: 120 }),
    allAtOnce: fc.boolean(),
    datacenters: list(fc.constantFrom('dc1', 'dc2', '*'), 3),
    nodePool: fc.constantFrom('default', 'gpu'),
    constraints: list(arbConstraint(), 2),
    affinities: list(arbAffinity(), 1),
    spreads: fc.constant([]),
    taskGroups: fc.array(arbTaskGroup(), { minLength: 1, maxLength: 3 }),
    update: maybe(arbUpdate()),
    multiregion: maybe(
      fc.record({
        strategy: maybe(fc.record({ maxParallel: nat(3), onFailure: fc.constantFrom('', 'fail_all') })),
        regions: list(
          fc.record({
            name: arbName(),
            count: nat(5),
            datacenters: list(arbName()),
            nodePool: fc.constant(''),
            meta: smap(),
          }),
        ),
      }),
    ),
    periodic: maybe(
      fc.record({
        enabled: fc.boolean(),
        spec: fc.constantFrom('*/5 * * * *', '@daily'),
        specs: fc.constant([]),
        specType: fc.constant('cron'),
        prohibitOverlap: fc.boolean(),
        timeZone: fc.constantFrom('UTC', 'Asia/Tokyo'),
      }),
    ),
    parameterizedJob: maybe(
      fc.record({
        payload: fc.constantFrom('optional', 'required', 'forbidden'),
        metaRequired: list(key()),
        metaOptional: list(key()),
      }),
    ),
    reschedule: maybe(arbReschedule()),
    migrate: fc.constant(undefined),
    meta: smap(),
    stop: fc.boolean(),
    parentId: fc.constant(''),
    dispatched: fc.boolean(),
    payload: fc.constant(''),
    consulNamespace: fc.constant(''),
    vaultNamespace: fc.constant(''),
    status: fc.constantFrom('', 'pending', 'running', 'dead'),
    statusDescription: fc.constant(''),
    stable: fc.boolean(),
    version: nat(),
    submitTime: nat(1e12).map((n) => n * 1e6),
    createIndex: nat(),
    modifyIndex: nat(),
    jobModifyIndex: nat(),
  });

const cpuMem = () => fc.record({ memoryMB: nat(65536) });

/** A complete node. */
export const arbNode = (): fc.Arbitrary<Node> =>
  fc.record({
    id: fc.uuid(),
    secretId: fc.uuid(),
    datacenter: fc.constantFrom('dc1', 'dc2'),
    name: arbName(),
    httpAddr: fc.constant('10.0.0.1:4646'),
    tlsEnabled: fc.boolean(),
    attributes: smap(),
    nodeResources: fc.record({
      cpu: fc.record({ cpuShares: nat(64000), totalCpuCores: nat(64), reservableCpuCores: list(nat(63), 4) }),
      memory: cpuMem(),
      disk: fc.record({ diskMB: nat(1e6) }),
      devices: list(
        fc.record({
          vendor: fc.constant('nvidia'),
          type: fc.constant('gpu'),
          name: arbName(),
          instances: list(
            fc.record({
              id: fc.uuid(),
              healthy: fc.boolean(),
              healthDescription: str(),
              locality: maybe(fc.record({ pciBusId: str() })),
            }),
          ),
          attributes: fc.dictionary(
            key(),
            fc.record({ int: maybe(fc.integer()), string: maybe(str()), unit: fc.constantFrom('', 'MiB') }),
            { maxKeys: 2 },
          ),
        }),
        1,
      ),
      networks: list(arbNetwork(), 1),
      nodeNetworks: list(
        fc.record({
          mode: fc.constant('host'),
          device: fc.constant('eth0'),
          macAddress: fc.constant(''),
          speed: nat(10000),
          addresses: list(
            fc.record({
              family: fc.constant('ipv4'),
              alias: fc.constant('default'),
              address: fc.constant('10.0.0.1'),
              reservedPorts: fc.constant(''),
              gateway: fc.constant(''),
            }),
          ),
        }),
        1,
      ),
      minDynamicPort: fc.constant(20000),
      maxDynamicPort: fc.constant(32000),
    }),
    reservedResources: fc.record({
      cpu: fc.record({ cpuShares: nat(1000), reservedCpuCores: list(nat(63)) }),
      memory: cpuMem(),
      disk: fc.record({ diskMB: nat(1000) }),
      networks: fc.record({ reservedHostPorts: fc.constantFrom('', '22,80') }),
    }),
    links: smap(),
    meta: smap(),
    nodeClass: fc.constantFrom('', 'gpu', 'web'),
    nodePool: fc.constantFrom('default', 'gpu'),
    computedClass: str(),
    drainStrategy: maybe(
      fc.record({
        deadline: dur(),
        ignoreSystemJobs: fc.boolean(),
        forceDeadline: arbTimestamp(),
        startedAt: arbTimestamp(),
      }),
    ),
    schedulingEligibility: fc.constantFrom('eligible', 'ineligible'),
    status: fc.constantFrom('initializing', 'ready', 'down', 'disconnected'),
    statusDescription: str(),
    statusUpdatedAt: nat(),
    drivers: fc.dictionary(
      fc.constantFrom('docker', 'exec', 'raw_exec'),
      fc.record({
        attributes: smap(),
        detected: fc.boolean(),
        healthy: fc.boolean(),
        healthDescription: str(),
        updateTime: arbTimestamp(),
      }),
      { maxKeys: 3 },
    ),
    csiControllerPlugins: fc.constant({}),
    csiNodePlugins: fc.dictionary(
      arbName(),
      fc.record({
        pluginId: arbName(),
        allocId: fc.uuid(),
        healthy: fc.boolean(),
        healthDescription: str(),
        updateTime: arbTimestamp(),
        provider: str(),
        providerVersion: str(),
        requiresControllerPlugin: fc.boolean(),
        requiresTopologies: fc.boolean(),
        controllerInfo: fc.constant(undefined),
        nodeInfo: maybe(
          fc.record({
            id: str(),
            maxVolumes: nat(100),
            accessibleTopology: maybe(fc.record({ segments: smap() })),
            requiresNodeStageVolume: fc.boolean(),
          }),
        ),
      }),
      { maxKeys: 1 },
    ),
    hostVolumes: fc.dictionary(
      arbName(),
      fc.record({ name: arbName(), path: fc.constant('/data'), readOnly: fc.boolean(), id: fc.constant('') }),
      { maxKeys: 2 },
    ),
    nodeMaxAllocs: nat(100),
    createIndex: nat(),
    modifyIndex: nat(),
  });

/** A complete AllocMetric. */
export const arbAllocMetric = (): fc.Arbitrary<AllocMetric> =>
  fc.record({
    nodesEvaluated: nat(),
    nodesFiltered: nat(),
    nodesInPool: nat(),
    nodePool: fc.constant('default'),
    nodesAvailable: fc.dictionary(key(), nat(), { maxKeys: 2 }),
    classFiltered: fc.dictionary(key(), nat(), { maxKeys: 2 }),
    constraintFiltered: fc.dictionary(key(), nat(), { maxKeys: 2 }),
    nodesExhausted: nat(),
    classExhausted: fc.dictionary(key(), nat(), { maxKeys: 2 }),
    dimensionExhausted: fc.dictionary(fc.constantFrom('cpu', 'memory', 'disk'), nat(), { maxKeys: 2 }),
    quotaExhausted: list(str()),
    scores: fc.dictionary(key(), float(), { maxKeys: 2 }),
    scoreMetaData: list(
      fc.record({
        nodeId: fc.uuid(),
        scores: fc.dictionary(fc.constantFrom('binpack', 'job-anti-affinity'), float(), { maxKeys: 2 }),
        normScore: float(),
      }),
    ),
    allocationTime: nat(),
    coalescedFailures: nat(),
  });

/** A complete allocation; `job` is sometimes embedded. */
export const arbAllocation = (): fc.Arbitrary<Allocation> =>
  fc.record({
    id: fc.uuid(),
    namespace: fc.constant('default'),
    evalId: fc.uuid(),
    name: fc.tuple(arbName(), arbName(), nat(10)).map(([j, g, i]) => `${j}.${g}[${i}]`),
    nodeId: fc.uuid(),
    nodeName: arbName(),
    jobId: arbName(),
    job: maybe(arbJob()),
    taskGroup: arbName(),
    allocatedResources: maybe(
      fc.record({
        tasks: fc.dictionary(
          arbName(),
          fc.record({
            cpu: fc.record({ cpuShares: nat(8000), reservedCores: list(nat(63)) }),
            memory: fc.record({ memoryMB: nat(16384), memoryMaxMB: nat(16384) }),
            networks: list(arbNetwork(), 1),
            devices: list(
              fc.record({
                vendor: fc.constant('nvidia'),
                type: fc.constant('gpu'),
                name: arbName(),
                deviceIds: list(fc.uuid()),
              }),
              1,
            ),
          }),
          { maxKeys: 2 },
        ),
        taskLifecycles: fc.dictionary(
          arbName(),
          fc.option(fc.record({ hook: fc.constantFrom('prestart', 'poststop'), sidecar: fc.boolean() })),
          { maxKeys: 2 },
        ),
        shared: fc.record({
          networks: list(arbNetwork(), 1),
          diskMB: nat(1000),
          ports: list(
            fc.record({
              label: arbName(),
              value: nat(65535),
              to: nat(65535),
              hostIp: fc.constant('10.0.0.1'),
              ignoreCollision: fc.boolean(),
            }),
          ),
        }),
      }),
    ),
    metrics: maybe(arbAllocMetric()),
    desiredStatus: fc.constantFrom('run', 'stop', 'evict'),
    desiredDescription: str(),
    desiredTransition: fc.record({
      migrate: maybe(fc.boolean()),
      reschedule: maybe(fc.boolean()),
      forceReschedule: maybe(fc.boolean()),
      noShutdownDelay: maybe(fc.boolean()),
    }),
    clientStatus: fc.constantFrom('pending', 'running', 'complete', 'failed', 'lost', 'unknown'),
    clientDescription: str(),
    taskStates: fc.dictionary(
      arbName(),
      fc.record({
        state: fc.constantFrom('pending', 'running', 'dead'),
        failed: fc.boolean(),
        restarts: nat(10),
        lastRestart: arbTimestamp(),
        startedAt: arbTimestamp(),
        finishedAt: arbTimestamp(),
        events: list(
          fc.record({
            type: fc.constantFrom('Started', 'Terminated', 'Restarting'),
            time: nat(),
            message: str(),
            displayMessage: str(),
            details: smap(),
            failsTask: fc.boolean(),
            restartReason: str(),
            exitCode: fc.integer({ min: 0, max: 255 }),
            signal: nat(31),
            killTimeout: dur(),
            killReason: str(),
            startDelay: nat(),
            driverError: str(),
          }),
          1,
        ),
      }),
      { maxKeys: 2 },
    ),
    previousAllocation: fc.constantFrom('', 'prev'),
    nextAllocation: fc.constant(''),
    deploymentId: fc.constantFrom('', 'dep-1'),
    deploymentStatus: maybe(
      fc.record({
        healthy: maybe(fc.boolean()),
        timestamp: arbTimestamp(),
        canary: fc.boolean(),
        modifyIndex: nat(),
      }),
    ),
    rescheduleTracker: maybe(
      fc.record({
        events: list(
          fc.record({ rescheduleTime: nat(), prevAllocId: fc.uuid(), prevNodeId: fc.uuid(), delay: dur() }),
        ),
        lastReschedule: fc.constantFrom('', 'ok'),
      }),
    ),
    followupEvalId: fc.constant(''),
    preemptedAllocations: list(fc.uuid()),
    preemptedByAllocation: fc.constant(''),
    createIndex: nat(),
    modifyIndex: nat(),
    allocModifyIndex: nat(),
    createTime: nat(1e12).map((n) => n * 1e6),
    modifyTime: nat(1e12).map((n) => n * 1e6),
  });

const TRIGGERS: EvalTrigger[] = [
  'job-register',
  'job-deregister',
  'periodic-job',
  'node-update',
  'node-drain',
  'alloc-failure',
  'deployment-watcher',
  'queued-allocs',
];

/** A complete evaluation. */
export const arbEvaluation = (): fc.Arbitrary<Evaluation> =>
  fc.record({
    id: fc.uuid(),
    namespace: fc.constant('default'),
    priority: fc.integer({ min: 1, max: 100 }),
    type: fc.constantFrom('service', 'batch', 'system', 'sysbatch', '_core'),
    triggeredBy: fc.constantFrom(...TRIGGERS),
    jobId: arbName(),
    jobModifyIndex: nat(),
    nodeId: fc.constantFrom('', 'node-1'),
    nodeModifyIndex: nat(),
    deploymentId: fc.constant(''),
    status: fc.constantFrom('blocked', 'pending', 'complete', 'failed', 'canceled'),
    statusDescription: str(),
    wait: dur(),
    waitUntil: arbTimestamp(),
    nextEval: fc.constant(''),
    previousEval: fc.constant(''),
    blockedEval: fc.constant(''),
    failedTGAllocs: fc.dictionary(arbName(), arbAllocMetric(), { maxKeys: 1 }),
    classEligibility: fc.dictionary(key(), fc.boolean(), { maxKeys: 3 }),
    quotaLimitReached: fc.constant(''),
    escapedComputedClass: fc.boolean(),
    annotatePlan: fc.boolean(),
    planAnnotations: fc.constant(undefined),
    queuedAllocations: fc.dictionary(arbName(), nat(10), { maxKeys: 2 }),
    leaderACL: fc.constant(''),
    snapshotIndex: nat(),
    createIndex: nat(),
    modifyIndex: nat(),
    createTime: nat(),
    modifyTime: nat(),
  });

/** A complete deployment. */
export const arbDeployment = (): fc.Arbitrary<Deployment> =>
  fc.record({
    id: fc.uuid(),
    namespace: fc.constant('default'),
    jobId: arbName(),
    jobVersion: nat(),
    jobModifyIndex: nat(),
    jobSpecModifyIndex: nat(),
    jobCreateIndex: nat(),
    isMultiregion: fc.boolean(),
    taskGroups: fc.dictionary(
      arbName(),
      fc.record({
        autoRevert: fc.boolean(),
        autoPromote: fc.boolean(),
        progressDeadline: dur(),
        requireProgressBy: arbTimestamp(),
        promoted: fc.boolean(),
        placedCanaries: list(fc.uuid()),
        desiredCanaries: nat(5),
        desiredTotal: nat(10),
        placedAllocs: nat(10),
        healthyAllocs: nat(10),
        unhealthyAllocs: nat(10),
      }),
      { maxKeys: 2 },
    ),
    status: fc.constantFrom('running', 'paused', 'failed', 'successful', 'cancelled', 'pending', 'blocked'),
    statusDescription: str(),
    evalPriority: fc.integer({ min: 1, max: 100 }),
    createIndex: nat(),
    modifyIndex: nat(),
    createTime: nat(),
    modifyTime: nat(),
  });

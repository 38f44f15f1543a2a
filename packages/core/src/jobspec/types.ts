/**
 * The job specification: Job > TaskGroup > Task and every block the guide shows.
 *
 * Field names are camelCase versions of Nomad's API field names (`MemoryMB` -> `memoryMB`,
 * `LTarget` -> `ltarget`), so the PascalCase wire mapping in `api/` is mechanical.
 * Durations are numbers of nanoseconds, as on Nomad's wire.
 *
 * These are the canonical shapes that `canonicalizeJob` returns: scalar fields are always
 * present, optional blocks are `undefined` when absent. `JobInput` (below) is what a user,
 * the HCL decoder or `decodeJob` provides: any field may be missing, meaning "use the default".
 */

/** Job types, spelled as Nomad spells them. */
export type JobType = 'service' | 'batch' | 'system' | 'sysbatch';

/** The four job types as constants. */
export const JOB_TYPE_SERVICE = 'service';
export const JOB_TYPE_BATCH = 'batch';
export const JOB_TYPE_SYSTEM = 'system';
export const JOB_TYPE_SYSBATCH = 'sysbatch';

/** Job status strings. */
export type JobStatus = 'pending' | 'running' | 'dead';

/** Placement constraint. `operand` defaults to `=`; some operands (distinct_hosts, is_set) ignore `rtarget`. */
export interface Constraint {
  ltarget: string;
  rtarget: string;
  operand: string;
}

/** Soft placement preference, weight -100..100 (default 50). */
export interface Affinity {
  ltarget: string;
  rtarget: string;
  operand: string;
  weight: number;
}

/** One value of a spread attribute and the share of allocations it should get. */
export interface SpreadTarget {
  value: string;
  percent: number;
}

/** Spread allocations over the values of an attribute, weight 0..100 (default 50). */
export interface Spread {
  attribute: string;
  weight: number;
  spreadTarget: SpreadTarget[];
}

/** Rolling update / canary strategy (job or group level). */
export interface UpdateStrategy {
  stagger: number;
  maxParallel: number;
  /** `checks`, `task_states` or `manual`. */
  healthCheck: string;
  minHealthyTime: number;
  healthyDeadline: number;
  progressDeadline: number;
  canary: number;
  autoRevert: boolean;
  autoPromote: boolean;
}

/** How allocations move off a draining node. */
export interface MigrateStrategy {
  maxParallel: number;
  healthCheck: string;
  minHealthyTime: number;
  healthyDeadline: number;
}

/** How failed allocations are replaced on other nodes. */
export interface ReschedulePolicy {
  attempts: number;
  interval: number;
  delay: number;
  /** `constant`, `exponential` or `fibonacci`. */
  delayFunction: string;
  maxDelay: number;
  unlimited: boolean;
}

/** How a failed task is restarted in place. */
export interface RestartPolicy {
  attempts: number;
  interval: number;
  delay: number;
  /** `fail` or `delay`. */
  mode: string;
  renderTemplates: boolean;
}

/** Cron-like launching of a batch job. */
export interface PeriodicConfig {
  enabled: boolean;
  /** The cron expression (`cron` in HCL). */
  spec: string;
  /** Several cron expressions (`crons` in HCL). */
  specs: string[];
  specType: string;
  prohibitOverlap: boolean;
  timeZone: string;
}

/** A job template dispatched with a payload and metadata. */
export interface ParameterizedJobConfig {
  /** `optional`, `required` or `forbidden`. */
  payload: string;
  metaRequired: string[];
  metaOptional: string[];
}

/** Where a dispatch payload is written for a task. */
export interface DispatchPayloadConfig {
  file: string;
}

/** How many regions deploy at once and what a failure does (`fail_all`, `fail_local`). */
export interface MultiregionStrategy {
  maxParallel: number;
  onFailure: string;
}

/** One region of a multiregion job, with its count and datacenters. */
export interface MultiregionRegion {
  name: string;
  count: number;
  datacenters: string[];
  nodePool: string;
  meta: Record<string, string>;
}

/** Deploy one job across regions in order. */
export interface Multiregion {
  strategy?: MultiregionStrategy | undefined;
  regions: MultiregionRegion[];
}

/** A port request. `value` is the static host port (0: dynamic), `to` the port inside the task. */
export interface Port {
  label: string;
  value: number;
  to: number;
  hostNetwork: string;
  ignoreCollision: boolean;
}

/** DNS settings of a network namespace. */
export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** Arguments passed to CNI plugins. */
export interface CNIConfig {
  args: Record<string, string>;
}

/** A network request: mode (`host`, `bridge`, `none`, `cni/<name>`), ports and dns. */
export interface NetworkResource {
  mode: string;
  device: string;
  cidr: string;
  ip: string;
  hostname: string;
  mbits: number;
  dns?: DNSConfig | undefined;
  reservedPorts: Port[];
  dynamicPorts: Port[];
  cni?: CNIConfig | undefined;
}

/** A device request such as `nvidia/gpu`, with its own constraints and affinities. */
export interface RequestedDevice {
  name: string;
  count: number;
  constraints: Constraint[];
  affinities: Affinity[];
}

/** NUMA placement of reserved cores (`none`, `prefer`, `require`). */
export interface NUMAResource {
  affinity: string;
  devices: string[];
}

/** What a task asks for. cpu in MHz, memory in MB; `cores` reserves whole cores instead of MHz. */
export interface Resources {
  cpu: number;
  cores: number;
  memoryMB: number;
  memoryMaxMB: number;
  diskMB: number;
  iops: number;
  networks: NetworkResource[];
  devices: RequestedDevice[];
  numa?: NUMAResource | undefined;
  secretsMB: number;
}

/** The group's scratch disk (MB), optionally sticky or migrated with the allocation. */
export interface EphemeralDisk {
  sticky: boolean;
  migrate: boolean;
  sizeMB: number;
}

/** Filesystem and mount flags for a CSI volume. */
export interface CSIMountOptions {
  fsType: string;
  mountFlags: string[];
}

/** A group-level volume request (`host` or `csi`). */
export interface VolumeRequest {
  name: string;
  type: string;
  source: string;
  readOnly: boolean;
  sticky: boolean;
  accessMode: string;
  attachmentMode: string;
  mountOptions?: CSIMountOptions | undefined;
  perAlloc: boolean;
}

/** Mounts a group volume into a task. */
export interface VolumeMount {
  volume: string;
  destination: string;
  readOnly: boolean;
  propagationMode: string;
  selinuxLabel: string;
}

/** Restart a task whose health check keeps failing. */
export interface CheckRestart {
  limit: number;
  grace: number;
  ignoreWarnings: boolean;
}

/** A service health check (http, tcp, grpc, script). */
export interface ServiceCheck {
  name: string;
  type: string;
  command: string;
  args: string[];
  path: string;
  protocol: string;
  portLabel: string;
  expose: boolean;
  addressMode: string;
  interval: number;
  timeout: number;
  initialStatus: string;
  tlsServerName: string;
  tlsSkipVerify: boolean;
  header: Record<string, string[]>;
  method: string;
  checkRestart?: CheckRestart | undefined;
  grpcService: string;
  grpcUseTLS: boolean;
  taskName: string;
  successBeforePassing: number;
  failuresBeforeCritical: number;
  failuresBeforeWarning: number;
  body: string;
  onUpdate: string;
  /** Address the check is advertised on (Consul), as written. */
  advertise?: string | undefined;
  /** Free text shown with the check in Consul. */
  notes?: string | undefined;
}

/** Consul Connect settings, kept as data (the sidecar details vary by version). */
export type ConsulConnect = Record<string, unknown>;

/** A service registration (Consul or native `provider = "nomad"`). */
export interface Service {
  name: string;
  tags: string[];
  canaryTags: string[];
  enableTagOverride: boolean;
  portLabel: string;
  addressMode: string;
  address: string;
  checks: ServiceCheck[];
  checkRestart?: CheckRestart | undefined;
  connect?: ConsulConnect | undefined;
  meta: Record<string, string>;
  canaryMeta: Record<string, string>;
  taggedAddresses: Record<string, string>;
  taskName: string;
  onUpdate: string;
  /** `consul` or `nomad`. */
  provider: string;
  cluster: string;
  /** Consul service kind (e.g. `connect-proxy`). */
  kind?: string | undefined;
  /** Workload identity used to register this service in Consul. */
  identity?: WorkloadIdentity | undefined;
  /** DNS SRV weights for passing and warning instances. */
  weights?: ServiceWeights | undefined;
}

/** How a service instance is weighted in DNS SRV answers by health. */
export interface ServiceWeights {
  passing: number;
  warning: number;
}

/** A workload identity (JWT) exposed to a task or used for a service (`identity` block). */
export interface WorkloadIdentity {
  name: string;
  audience: string[];
  changeMode: string;
  changeSignal: string;
  env: boolean;
  file: boolean;
  filepath: string;
  serviceName: string;
  ttl: number;
  extraClaims: string[];
}

/** Which Consul cluster, namespace and partition a group or task uses (`consul` block). */
export interface ConsulConfig {
  namespace: string;
  cluster: string;
  partition: string;
}

/** A named command an operator can run inside the task (`action "name"` block). */
export interface TaskAction {
  name: string;
  command: string;
  args: string[];
}

/** A secret fetched for the task from a provider (`secret "name"` block). */
export interface TaskSecret {
  name: string;
  provider: string;
  path: string;
  config?: Record<string, unknown> | undefined;
  env?: Record<string, string> | undefined;
}

/** The cron window inside which a task may run (`schedule { cron { … } }`). */
export interface TaskSchedule {
  cron?: { start: string; end: string; timezone: string } | undefined;
}

/** Job description and links shown in Nomad's UI (`ui` block). */
export interface JobUIConfig {
  description: string;
  links: { label: string; url: string }[];
}

/** Scaling policy of a group (`horizontal`) or a task (`vertical_cpu`, `vertical_mem`). */
export interface ScalingPolicy {
  id: string;
  type: string;
  min: number;
  max: number;
  enabled: boolean;
  policy: Record<string, unknown>;
  target: Record<string, string>;
}

/** Prestart / poststart / poststop hooks; `sidecar` keeps the task running beside the main tasks. */
export interface TaskLifecycle {
  hook: string;
  sidecar: boolean;
}

/** Minimum and maximum quiescence before a template re-renders (ns). */
export interface WaitConfig {
  min: number;
  max: number;
}

/** A script run inside the task when a template changes (change_mode `script`). */
export interface ChangeScript {
  command: string;
  args: string[];
  timeout: number;
  failOnError: boolean;
  runOnFirstRender?: boolean | undefined;
}

/** A rendered template (consul-template syntax). */
export interface Template {
  sourcePath: string;
  destPath: string;
  embeddedTmpl: string;
  /** `restart`, `signal`, `noop` or `script`. */
  changeMode: string;
  changeSignal: string;
  changeScript?: ChangeScript | undefined;
  once: boolean;
  splay: number;
  perms: string;
  uid?: number | undefined;
  gid?: number | undefined;
  leftDelim: string;
  rightDelim: string;
  envvars: boolean;
  vaultGrace: number;
  wait?: WaitConfig | undefined;
  errMissingKey: boolean;
}

/** A file fetched into the task directory before it starts (go-getter). */
export interface TaskArtifact {
  getterSource: string;
  getterOptions: Record<string, string>;
  getterHeaders: Record<string, string>;
  /** `any`, `file` or `dir`. */
  getterMode: string;
  getterInsecure: boolean;
  relativeDest: string;
  chown: boolean;
}

/** Vault token for a task. */
export interface Vault {
  policies: string[];
  role: string;
  namespace: string;
  cluster: string;
  env: boolean;
  disableFile: boolean;
  changeMode: string;
  changeSignal: string;
  allowTokenExpiration: boolean;
}

/** Task log rotation. */
export interface LogConfig {
  maxFiles: number;
  maxFileSizeMB: number;
  disabled: boolean;
}

/** A task that runs a CSI plugin. */
export interface TaskCSIPluginConfig {
  id: string;
  /** `node`, `controller` or `monolith`. */
  type: string;
  mountDir: string;
  stagePublishBaseDir: string;
  healthTimeout: number;
}

/** One unit of work run by a driver. */
export interface Task {
  name: string;
  driver: string;
  user: string;
  config: Record<string, unknown>;
  env: Record<string, string>;
  services: Service[];
  constraints: Constraint[];
  affinities: Affinity[];
  resources: Resources;
  restartPolicy?: RestartPolicy | undefined;
  meta: Record<string, string>;
  killTimeout: number;
  killSignal: string;
  logConfig?: LogConfig | undefined;
  artifacts: TaskArtifact[];
  vault?: Vault | undefined;
  templates: Template[];
  dispatchPayload?: DispatchPayloadConfig | undefined;
  volumeMounts: VolumeMount[];
  csiPluginConfig?: TaskCSIPluginConfig | undefined;
  lifecycle?: TaskLifecycle | undefined;
  leader: boolean;
  shutdownDelay: number;
  kind: string;
  scalingPolicies: ScalingPolicy[];
  consul?: ConsulConfig | undefined;
  /** The default identity (`identity` without a name, or named `default`). */
  identity?: WorkloadIdentity | undefined;
  /** Named identities besides the default. */
  identities?: WorkloadIdentity[] | undefined;
  actions?: TaskAction[] | undefined;
  secrets?: TaskSecret[] | undefined;
  schedule?: TaskSchedule | undefined;
}

/** Client-disconnect behaviour of a group. */
export interface DisconnectStrategy {
  lostAfter: number;
  stopOnClientAfter: number;
  replace: boolean;
  reconcile: string;
}

/** A set of tasks placed together on one node; `count` copies. */
export interface TaskGroup {
  name: string;
  count: number;
  constraints: Constraint[];
  affinities: Affinity[];
  spreads: Spread[];
  tasks: Task[];
  volumes: Record<string, VolumeRequest>;
  restartPolicy?: RestartPolicy | undefined;
  reschedulePolicy?: ReschedulePolicy | undefined;
  ephemeralDisk?: EphemeralDisk | undefined;
  update?: UpdateStrategy | undefined;
  migrate?: MigrateStrategy | undefined;
  networks: NetworkResource[];
  meta: Record<string, string>;
  services: Service[];
  shutdownDelay?: number | undefined;
  stopAfterClientDisconnect?: number | undefined;
  maxClientDisconnect?: number | undefined;
  disconnect?: DisconnectStrategy | undefined;
  scaling?: ScalingPolicy | undefined;
  preventRescheduleOnLost: boolean;
  /** Stop the group's allocations this long (ns) after they start (batch/sysbatch). */
  maxRunDuration?: number | undefined;
  consul?: ConsulConfig | undefined;
}

/** A job: what the user submits. */
export interface Job {
  region: string;
  namespace: string;
  id: string;
  name: string;
  type: JobType | string;
  priority: number;
  allAtOnce: boolean;
  datacenters: string[];
  nodePool: string;
  constraints: Constraint[];
  affinities: Affinity[];
  spreads: Spread[];
  taskGroups: TaskGroup[];
  update?: UpdateStrategy | undefined;
  multiregion?: Multiregion | undefined;
  periodic?: PeriodicConfig | undefined;
  parameterizedJob?: ParameterizedJobConfig | undefined;
  reschedule?: ReschedulePolicy | undefined;
  migrate?: MigrateStrategy | undefined;
  meta: Record<string, string>;
  ui?: JobUIConfig | undefined;
  // Set by the server, not by the job file.
  stop: boolean;
  parentId: string;
  dispatched: boolean;
  /** Base64 of the dispatch payload, as on the wire. */
  payload: string;
  consulNamespace: string;
  vaultNamespace: string;
  status: string;
  statusDescription: string;
  stable: boolean;
  version: number;
  submitTime: number;
  createIndex: number;
  modifyIndex: number;
  jobModifyIndex: number;
}

/**
 * Every field optional, recursively: a job as written by a user. Missing means "default".
 * Arrays keep their element type partial; string maps stay maps.
 */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? string extends keyof T
      ? { [K in keyof T]: DeepPartial<T[K]> }
      : { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

/** A job as provided by a user, the HCL decoder or `decodeJob`: any field may be absent. */
export type JobInput = DeepPartial<Job>;
/** A task group as provided by a user. */
export type TaskGroupInput = DeepPartial<TaskGroup>;
/** A task as provided by a user. */
export type TaskInput = DeepPartial<Task>;

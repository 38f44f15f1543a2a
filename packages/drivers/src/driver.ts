/**
 * The TaskDriver contract: what every driver (built-in or external) implements so that a client
 * can start, watch, stop and recover tasks. Shapes follow Nomad's driver plugin API (facts only),
 * in camelCase. Everything a handle carries is plain JSON, so a new driver instance can pick a
 * task up again after an agent restart.
 */
import type { ConfigError, ConfigSchema } from './configSchema.js';

/** A JSON value: what may sit inside a {@link TaskHandle}'s driver state. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Nomad's driver health states, as fingerprinted. */
export type HealthState = 'undetected' | 'unhealthy' | 'healthy';

/**
 * What a driver reports about itself on this node. Attributes become node attributes such as
 * `driver.docker = "1"` and `driver.docker.version = "24.0.7"` (values are strings, as on a Nomad node).
 */
export interface Fingerprint {
  health: HealthState;
  healthDescription: string;
  attributes: Record<string, string>;
}

/** How a driver isolates a task's filesystem: nothing, a chroot built from the alloc dir, or an image. */
export type FsIsolation = 'none' | 'chroot' | 'image';

/** Network isolation modes a driver supports (Nomad's NetIsolationMode). */
export type NetIsolationMode = 'host' | 'group' | 'task' | 'none';

/** Which `volume_mount`s a driver can honour. */
export type MountConfigSupport = 'all' | 'none' | 'host';

/** What a driver can do, so a client knows which operations to offer. */
export interface Capabilities {
  sendSignals: boolean;
  exec: boolean;
  fsIsolation: FsIsolation;
  netIsolationModes: NetIsolationMode[];
  /** True when the driver itself creates the network namespace (e.g. docker's pause container). */
  mustInitiateNetwork: boolean;
  mountConfigs: MountConfigSupport;
}

/** Resources granted to one task, from its `resources` block as allocated. */
export interface TaskResources {
  /** CPU in MHz (`resources.cpu`); drives cpu shares / weight. */
  cpuMHz: number;
  /** Reserved whole cores (`resources.cores`); 0 when the task asked for MHz instead. */
  cores: number;
  /** The concrete core ids reserved for `cores`, when the client pinned them. */
  reservedCores?: number[];
  /** Memory limit in MiB (`resources.memory`). */
  memoryMB: number;
  /** Memory oversubscription limit in MiB (`resources.memory_max`); 0 when unset. */
  memoryMaxMB: number;
}

/** One allocated port of the group network: label, host port, and the `to` port inside the task. */
export interface AllocatedPort {
  label: string;
  value: number;
  /** Port inside the task's network namespace (`to`); 0 or absent means the same as `value`. */
  to?: number;
  hostIp: string;
}

/** A network namespace prepared for the allocation (group network, bridge/CNI). */
export interface NetworkIsolationSpec {
  mode: NetIsolationMode;
  /** Path of the network namespace, e.g. /var/run/netns/<alloc id>. */
  path: string;
  labels: Record<string, string>;
}

/** `dns { servers searches options }` of the group network. */
export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** A `volume_mount` resolved to host paths. */
export interface MountConfig {
  taskPath: string;
  hostPath: string;
  readonly: boolean;
}

/**
 * Everything a driver needs to start one task. Paths follow Nomad's allocation layout:
 * `<allocDir>/alloc/logs/<task>.stdout.0`, `<allocDir>/<task>/local`, `<allocDir>/<task>/secrets`.
 */
export interface TaskConfig {
  /** Unique task id: by convention `<allocId>/<taskName>/<8 hex>`. */
  id: string;
  /** The task's name (`task "name"`). */
  name: string;
  jobName?: string;
  jobId?: string;
  taskGroupName?: string;
  namespace?: string;
  allocId: string;
  /** The allocation directory (holds `alloc/` shared by the group, and one dir per task). */
  allocDir: string;
  /** This task's directory: `<allocDir>/<name>`. */
  taskDir: string;
  /** The task's `config { ... }` block as decoded from the jobspec (free-form; the driver validates it). */
  driverConfig: Record<string, unknown>;
  env: Record<string, string>;
  /** `user` to run as; empty or absent means the driver's default. */
  user?: string;
  resources: TaskResources;
  /** `kill_timeout` in nanoseconds (Nomad default 5s). */
  killTimeoutNs: number;
  /** `kill_signal` name such as `SIGTERM` (Nomad default SIGINT for most drivers). */
  killSignal: string;
  /** Where the task's stdout goes: `<allocDir>/alloc/logs/<task>.stdout.0`. */
  stdoutPath: string;
  /** Where the task's stderr goes: `<allocDir>/alloc/logs/<task>.stderr.0`. */
  stderrPath: string;
  ports?: AllocatedPort[];
  networkIsolation?: NetworkIsolationSpec;
  dns?: DnsConfig;
  mounts?: MountConfig[];
}

/** Lifecycle state of a task as a driver sees it. */
export type TaskState = 'unknown' | 'running' | 'exited';

/**
 * The serialisable record of a started task. The client persists it (JSON) and, after an agent
 * restart, passes it to a fresh driver's {@link TaskDriver.recoverTask}.
 */
export interface TaskHandle {
  /** Handle format version, so drivers can refuse handles they do not understand. */
  version: 1;
  /** Name of the driver that created it. */
  driver: string;
  config: TaskConfig;
  state: TaskState;
  /** Milliseconds since the epoch when the task started. */
  startedAtMs: number;
  /** Driver-private data needed to reattach: pids, cgroup paths, container ids. Plain JSON. */
  driverState: { [key: string]: JsonValue };
}

/** How a task ended (Nomad's ExitResult). */
export interface ExitResult {
  exitCode: number;
  /** The signal number that killed it, 0 if it exited on its own. */
  signal: number;
  /** True when the kernel's OOM killer ended the task for exceeding its memory limit. */
  oomKilled: boolean;
  /** Set when the driver lost track of the task rather than seeing it exit. */
  err?: string;
}

/** Memory usage in bytes; `measured` names the fields this driver actually measures. */
export interface MemoryStats {
  rss: number;
  cache: number;
  swap: number;
  usage: number;
  maxUsage: number;
  measured: string[];
}

/** CPU usage: percent of one core, ticks in MHz-equivalents, modes in percent. */
export interface CpuStats {
  systemMode: number;
  userMode: number;
  totalTicks: number;
  throttledPeriods: number;
  throttledTime: number;
  percent: number;
  measured: string[];
}

/** One sample of a task's resource usage (Nomad's TaskResourceUsage). */
export interface TaskStats {
  /** Milliseconds since the epoch when sampled. */
  timestampMs: number;
  cpu: CpuStats;
  memory: MemoryStats;
  /** Per-process usage, keyed by pid, when the driver tracks processes. */
  pids?: Record<string, { cpu: CpuStats; memory: MemoryStats }>;
}

/** What {@link TaskDriver.inspectTask} reports. */
export interface TaskStatus {
  id: string;
  name: string;
  state: TaskState;
  startedAtMs: number;
  completedAtMs?: number;
  exitResult?: ExitResult;
  driverAttributes: Record<string, string>;
}

/** Network details a driver reports back after start (e.g. docker's container IP). */
export interface DriverNetwork {
  portMap: Record<string, number>;
  ip: string;
  autoAdvertise: boolean;
}

/** What {@link TaskDriver.startTask} returns. */
export interface StartResult {
  handle: TaskHandle;
  network?: DriverNetwork;
}

/** The output of a one-shot command run inside a task (`alloc exec` without a TTY). */
export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  exitResult: ExitResult;
}

/** Options for {@link TaskDriver.execTask}. */
export interface ExecOptions {
  /** Give up (and kill the command) after this many milliseconds. */
  timeoutMs?: number;
  /** Bytes written to the command's stdin, then closed. */
  stdin?: Buffer | string;
}

/**
 * Streams for {@link TaskDriver.execTaskStreaming} (`alloc exec` sessions). There is no TTY:
 * the command gets pipes, so interactive programs that need a terminal behave as in a pipe.
 */
export interface ExecStreams {
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Abort to kill the command (e.g. the client went away). */
  signal?: AbortSignal;
}

/** Why a driver refused or failed an operation; `configErrors` lists user mistakes with paths. */
export type DriverErrorCode =
  'invalid-config' | 'disabled' | 'not-found' | 'start-failed' | 'recover-failed' | 'unsupported';

/**
 * Error thrown by driver operations. User mistakes (bad `config`) carry `configErrors`,
 * each with a path and what was expected, so the caller can render them without a stack trace.
 */
export class DriverError extends Error {
  readonly code: DriverErrorCode;
  readonly configErrors: ConfigError[];
  constructor(code: DriverErrorCode, message: string, configErrors: ConfigError[] = []) {
    super(message);
    this.name = 'DriverError';
    this.code = code;
    this.configErrors = configErrors;
  }
}

/**
 * A task driver. Instances hold in-memory state for the tasks they started or recovered; the
 * {@link TaskHandle} is the only thing that must survive a restart.
 *
 * @example
 * const driver = createRawExecDriver({ enabled: true });
 * const { handle } = await driver.startTask(cfg);
 * const exit = await driver.waitTask(handle.config.id);
 */
export interface TaskDriver {
  /** The name jobs use in `driver = "..."`. */
  readonly name: string;
  /** Schema of the plugin config (`plugin "name" { config { ... } }`). */
  readonly pluginConfigSchema: ConfigSchema;
  /** Schema of a task's `config { ... }` block. */
  readonly taskConfigSchema: ConfigSchema;
  /** Detect whether the driver can run here and what it reports as node attributes. */
  fingerprint(): Promise<Fingerprint>;
  capabilities(): Capabilities;
  /** Check a task's `config` block; returns every error with its path (empty when valid). Pure. */
  validateTaskConfig(driverConfig: Record<string, unknown>): ConfigError[];
  /** Start a task. Rejects with {@link DriverError} (`invalid-config`, `disabled`, `start-failed`). */
  startTask(config: TaskConfig): Promise<StartResult>;
  /** Reattach to a task started by another instance, from its persisted handle. */
  recoverTask(handle: TaskHandle): Promise<void>;
  /** Resolve when the task exits (immediately if it already has). */
  waitTask(taskId: string): Promise<ExitResult>;
  /**
   * Send `signal` to the whole task, then SIGKILL everything left after `timeoutNs`.
   * Resolves once the task has exited.
   */
  stopTask(taskId: string, timeoutNs: number, signal: string): Promise<void>;
  /** Forget the task and release what it held (cgroups, containers); `force` kills it first if running. */
  destroyTask(taskId: string, force: boolean): Promise<void>;
  inspectTask(taskId: string): Promise<TaskStatus>;
  taskStats(taskId: string): Promise<TaskStats>;
  signalTask(taskId: string, signal: string): Promise<void>;
  /** Run a command inside the task's isolation and collect its output. */
  execTask(taskId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Optional: run a command inside the task with streamed stdin/stdout/stderr; resolves with its exit. */
  execTaskStreaming?(taskId: string, command: string[], streams: ExecStreams): Promise<ExitResult>;
}

/**
 * How an external driver module presents itself: `export default { name, create }`.
 * `create` receives the validated `plugin "name" { config { ... } }` map.
 */
export interface DriverFactory {
  name: string;
  create(pluginConfig: Record<string, unknown>): TaskDriver | Promise<TaskDriver>;
}

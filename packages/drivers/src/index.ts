/**
 * @tsnomad/drivers — task drivers (raw_exec, exec, java, docker, qemu) behind one TaskDriver
 * interface, the shared conformance suite, and host networking.
 *
 * Exports are listed by name; nothing internal leaks through `export *`.
 */

// --- the TaskDriver interface and config schemas ---
export { DriverError } from './driver.js';
export type {
  AllocatedPort,
  Capabilities,
  CpuStats,
  DnsConfig,
  DriverErrorCode,
  DriverFactory,
  DriverNetwork,
  ExecOptions,
  ExecResult,
  ExecStreams,
  ExitResult,
  Fingerprint,
  FsIsolation,
  HealthState,
  JsonValue,
  MemoryStats,
  MountConfig,
  MountConfigSupport,
  NetIsolationMode,
  NetworkIsolationSpec,
  StartResult,
  TaskConfig,
  TaskDriver,
  TaskHandle,
  TaskResources,
  TaskState,
  TaskStats,
  TaskStatus,
} from './driver.js';
export { defineConfigSchema, formatConfigErrors, validateConfig } from './configSchema.js';
export type {
  AnyField,
  BlockField,
  BoolField,
  ConfigError,
  ConfigResult,
  ConfigSchema,
  ConfigValue,
  FieldSpec,
  FieldValue,
  ListField,
  MapField,
  NumberField,
  StringField,
} from './configSchema.js';

// --- external drivers: plugin_dir and plugin "name" { config } ---
export { loadDrivers } from './plugins/loader.js';
export type { LoadDriversOptions, LoadDriversResult, PluginBlock } from './plugins/loader.js';
export { processDriverFactories } from './plugins/builtins.js';

// --- conformance suite (run it against any driver, built-in or external) ---
export { conformanceCases } from './conformance/suite.js';
export type { ConformanceCase, ConformanceOptions } from './conformance/suite.js';
export { shellScriptFor } from './conformance/behaviours.js';
export type { ConformanceBehaviour } from './conformance/behaviours.js';
export { createTestTaskConfig } from './conformance/taskDirs.js';
export type { TestTask, TestTaskOptions } from './conformance/taskDirs.js';

// --- raw_exec, exec, java (process drivers) ---
export { createRawExecDriver, rawExecPluginSchema, rawExecTaskSchema } from './rawexec/rawExecDriver.js';
export type { RawExecPluginConfig } from './rawexec/rawExecDriver.js';
export {
  createExecDriver,
  createIsolatedDriver,
  execPluginSchema,
  execTaskSchema,
} from './exec/execDriver.js';
export type { IsolatedDriverOptions } from './exec/execDriver.js';
export { DEFAULT_CHROOT_ENV } from './exec/isolation.js';
export { computeCapabilities, NOMAD_DEFAULT_CAPS, normalizeCap } from './exec/capabilities.js';
export type { NamespaceMode } from './exec/isolation.js';
export {
  createJavaDriver,
  detectJava,
  javaArgv,
  javaTaskSchema,
  parseJavaVersion,
  validateJavaTaskConfig,
} from './java/javaDriver.js';
export type { JavaInfo } from './java/javaDriver.js';

// --- docker, qemu, host networking (owned by the docker/qemu/network work) ---
export { createDockerDriver, listTaskContainers } from './docker/dockerDriver.js';
export type { DockerDriverOptions } from './docker/dockerDriver.js';
export {
  DEFAULT_ALLOW_CAPS,
  buildContainerOptions,
  dockerPluginConfigSchema,
  dockerTaskConfigSchema,
} from './docker/config.js';
export type { DockerPluginConfig, DockerTaskConfig } from './docker/config.js';
export { buildAllocNetworkEnv, buildPortEnv } from './network/portEnv.js';
export {
  DEFAULT_MAX_DYNAMIC_PORT,
  DEFAULT_MIN_DYNAMIC_PORT,
  canBind,
  createPortReserver,
  parsePortList,
} from './network/portReserver.js';
export type {
  PortError,
  PortRequest,
  PortReserver,
  PortReserverOptions,
  PortResult,
} from './network/portReserver.js';
export {
  DEFAULT_ALLOC_SUBNET,
  DEFAULT_BRIDGE_NAME,
  DEFAULT_CNI_PATH,
  NetworkSetupError,
  createBridgeNetworking,
  createCniNetworking,
  loadCniConflist,
  nomadBridgeConflist,
} from './network/cniBridge.js';
export type {
  BridgeNetworkHandle,
  BridgeNetworking,
  BridgeNetworkingOptions,
  CniConflist,
} from './network/cniBridge.js';
export { createAllocNetworkManager } from './network/allocNetwork.js';
export type {
  AllocNetwork,
  AllocNetworkManager,
  AllocNetworkManagerOptions,
} from './network/allocNetwork.js';
export { createQemuDriver, monitorCommand } from './qemu/qemuDriver.js';
export type { QemuDriverOptions } from './qemu/qemuDriver.js';
export { buildQemuArgs, qemuPluginConfigSchema, qemuTaskConfigSchema } from './qemu/config.js';
export type { QemuPluginConfig, QemuTaskConfig } from './qemu/config.js';

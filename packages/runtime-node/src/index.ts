// --- the demo: example jobs through a ControlPlane on a simulated cluster ---
export { runDemo } from './cli/demo.js';
export type { DemoOptions, DemoResult } from './cli/demo.js';
export { demoNodes } from './cli/demoCluster.js';
export { exampleJobFiles, guideJobFiles, loadJobFile } from './cli/guideJobs.js';
export type { LoadedJob } from './cli/guideJobs.js';
// --- `nomad job status` layout ---
export {
  formatAllocMetrics,
  formatDeployment,
  formatKV,
  formatList,
  formatTime,
  jobStatus,
} from './cli/jobStatus.js';
// --- the agent: startAgent, its configuration, the HTTP API ---
export { startAgent } from './agent/startAgent.js';
export type { AgentHandle, StartAgentOptions } from './agent/startAgent.js';
export { decodeConfigText, devConfig, loadConfigPaths, mergeConfig, resolveConfig } from './agent/config.js';
export type { AgentConfig, LogLevel, RawConfig } from './agent/config.js';
export type { ConsensusFactory, ServerHost } from './agent/serverHost.js';
// --- durable server state in data_dir/server (see docs/durability.md) ---
export { openDurableConsensus } from './store/durableConsensus.js';
export type {
  DurableConsensus,
  DurableConsensusOptions,
  RecoveryReport,
  StoreLogger,
} from './store/durableConsensus.js';
export type { WalReport } from './store/walCheck.js';
export {
  decodeSnapshotFile,
  encodeSnapshotFile,
  restoreSnapshot,
  saveSnapshot,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
} from './store/snapshotFile.js';
export type { SnapshotFileResult, SnapshotHeader } from './store/snapshotFile.js';

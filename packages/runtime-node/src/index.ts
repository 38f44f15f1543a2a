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

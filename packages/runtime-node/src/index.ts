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

/**
 * Nomad's default values for job blocks (from its API canonicalisation), in nanoseconds.
 */
import { HOUR, MINUTE, SECOND } from '../util/duration.js';
import type {
  EphemeralDisk,
  LogConfig,
  MigrateStrategy,
  ReschedulePolicy,
  RestartPolicy,
  UpdateStrategy,
} from './types.js';

/** Scalar defaults applied by `canonicalizeJob`. */
export const DEFAULT_PRIORITY = 50;
export const DEFAULT_REGION = 'global';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_NODE_POOL = 'default';
export const DEFAULT_CPU_MHZ = 100;
export const DEFAULT_MEMORY_MB = 300;
export const DEFAULT_KILL_TIMEOUT = 5 * SECOND;
export const DEFAULT_AFFINITY_WEIGHT = 50;
export const DEFAULT_SPREAD_WEIGHT = 50;

/** The update strategy of service and system jobs without an `update` block. Pure. */
export function defaultUpdateStrategy(): UpdateStrategy {
  return {
    stagger: 30 * SECOND,
    maxParallel: 1,
    healthCheck: 'checks',
    minHealthyTime: 10 * SECOND,
    healthyDeadline: 5 * MINUTE,
    progressDeadline: 10 * MINUTE,
    canary: 0,
    autoRevert: false,
    autoPromote: false,
  };
}

/** The migrate strategy of service groups. Pure. */
export function defaultMigrateStrategy(): MigrateStrategy {
  return { maxParallel: 1, healthCheck: 'checks', minHealthyTime: 10 * SECOND, healthyDeadline: 5 * MINUTE };
}

/** The reschedule policy per job type (system and sysbatch get an all-zero one). Pure. */
export function defaultReschedulePolicy(jobType: string): ReschedulePolicy {
  switch (jobType) {
    case 'service':
      return {
        attempts: 0,
        interval: 0,
        delay: 30 * SECOND,
        delayFunction: 'exponential',
        maxDelay: HOUR,
        unlimited: true,
      };
    case 'batch':
      return {
        attempts: 1,
        interval: 24 * HOUR,
        delay: 5 * SECOND,
        delayFunction: 'constant',
        maxDelay: 0,
        unlimited: false,
      };
    default:
      return { attempts: 0, interval: 0, delay: 0, delayFunction: '', maxDelay: 0, unlimited: false };
  }
}

/** The restart policy per job type: service/system 2 per 30m, batch/sysbatch 3 per 24h. Pure. */
export function defaultRestartPolicy(jobType: string): RestartPolicy {
  const service = jobType === 'service' || jobType === 'system';
  return {
    attempts: service ? 2 : 3,
    interval: service ? 30 * MINUTE : 24 * HOUR,
    delay: 15 * SECOND,
    mode: 'fail',
    renderTemplates: false,
  };
}

/** 300 MB, not sticky, not migrated. Pure. */
export function defaultEphemeralDisk(): EphemeralDisk {
  return { sticky: false, migrate: false, sizeMB: 300 };
}

/** 10 files of 10 MB. Pure. */
export function defaultLogConfig(): LogConfig {
  return { maxFiles: 10, maxFileSizeMB: 10, disabled: false };
}

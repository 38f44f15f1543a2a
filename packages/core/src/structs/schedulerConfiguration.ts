/** Scheduler settings stored in the state (Nomad's SchedulerConfiguration). */
export interface SchedulerConfiguration {
  readonly schedulerAlgorithm: 'binpack' | 'spread';
  readonly preemptionConfig: {
    readonly systemSchedulerEnabled: boolean;
    readonly sysBatchSchedulerEnabled: boolean;
    readonly batchSchedulerEnabled: boolean;
    readonly serviceSchedulerEnabled: boolean;
  };
  readonly memoryOversubscriptionEnabled: boolean;
  readonly pauseEvalBroker: boolean;
}

/** Nomad's default scheduler configuration. */
export const DEFAULT_SCHEDULER_CONFIGURATION: SchedulerConfiguration = {
  schedulerAlgorithm: 'binpack',
  preemptionConfig: {
    systemSchedulerEnabled: true,
    sysBatchSchedulerEnabled: false,
    batchSchedulerEnabled: false,
    serviceSchedulerEnabled: false,
  },
  memoryOversubscriptionEnabled: false,
  pauseEvalBroker: false,
};

/** One scaling event of a task group (`nomad job scale` and autoscaler reports). */
export interface ScalingEvent {
  readonly time: number;
  readonly count?: number | undefined;
  readonly previousCount: number;
  readonly message: string;
  readonly error: boolean;
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
  readonly evalId?: string | undefined;
  readonly createIndex: number;
}

/** Scaling events of a job, per task group (Nomad keeps the last 20 per group). */
export interface JobScalingEvents {
  readonly namespace: string;
  readonly jobId: string;
  readonly taskGroups: Readonly<Record<string, readonly ScalingEvent[]>>;
  readonly modifyIndex: number;
}

/** Counts of a job's allocations per task group and client state (Nomad's JobSummary). */
export interface TaskGroupSummary {
  queued: number;
  complete: number;
  failed: number;
  running: number;
  starting: number;
  lost: number;
  unknown: number;
}

/** Per-job allocation counts kept up to date by the reducers. */
export interface JobSummary {
  readonly namespace: string;
  readonly jobId: string;
  readonly summary: Readonly<Record<string, TaskGroupSummary>>;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** Messages between the hostile-input fuzz suite and its child process. */

/** One case to run. */
export interface WorkerRequest {
  readonly id: number;
  /** jobspec: parseJobspec; hclToJson: hclToJson; apiJson: JSON.parse + decodeJob + validateJob. */
  readonly kind: 'jobspec' | 'hclToJson' | 'apiJson';
  readonly source: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly varFiles?: readonly { filename: string; content: string }[];
}

/** How a case ended and how long it took in the child: wall-clock and CPU milliseconds. */
export interface WorkerReply {
  readonly id: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly outcome: 'result' | 'diagnostic' | 'threw';
  readonly summaries: string[];
}

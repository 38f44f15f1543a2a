/**
 * Core garbage collection (Nomad's `_core` jobs), as a pure step: terminal evaluations with
 * their terminal allocations, dead jobs, finished deployments and long-down nodes, each once
 * older than its threshold. Job versions are bounded at registration (6 kept).
 */
import type { Command } from '../state/commands.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';
import { deploymentActive } from '../state/reducer.js';
import { isTerminal } from '../structs/allocation.js';

const HOUR = 3600 * 1_000_000_000;

/** GC thresholds (ns), Nomad's server defaults. */
export interface GcConfig {
  readonly evalGcThreshold: number;
  readonly batchEvalGcThreshold: number;
  readonly jobGcThreshold: number;
  readonly deploymentGcThreshold: number;
  readonly nodeGcThreshold: number;
}

/** eval 1h, batch eval 24h, job 4h, deployment 1h, node 24h. */
export const DEFAULT_GC_CONFIG: GcConfig = {
  evalGcThreshold: HOUR,
  batchEvalGcThreshold: 24 * HOUR,
  jobGcThreshold: 4 * HOUR,
  deploymentGcThreshold: HOUR,
  nodeGcThreshold: 24 * HOUR,
};

const evalTerminal = (s: string): boolean => s === 'complete' || s === 'failed' || s === 'canceled';

/**
 * One GC pass; `force` (`nomad system gc`) ignores the thresholds. Pure.
 * @example for (const cmd of gcStep(state, clock.now(), DEFAULT_GC_CONFIG)) await propose(cmd);
 */
export function gcStep(state: StateSnapshot, now: number, cfg: GcConfig, force = false): Command[] {
  const out: Command[] = [];
  const old = (t: number, threshold: number) => force || now - t >= threshold;

  // Dead jobs whose evaluations are all terminal go with their evaluations and allocations.
  const purgedJobs = new Set<string>();
  for (const job of state.jobs()) {
    if (job.status !== 'dead' || job.periodic?.enabled || job.parameterizedJob) continue;
    if (!old(job.submitTime, cfg.jobGcThreshold)) continue;
    const evals = state.evalsByJob(job.namespace, job.id);
    const allocs = state.allocsByJob(job.namespace, job.id);
    if (!evals.every((e) => evalTerminal(e.status)) || !allocs.every(isTerminal)) continue;
    if (!allocs.every((a) => old(a.modifyTime, cfg.jobGcThreshold))) continue;
    purgedJobs.add(`${job.namespace}\u0000${job.id}`);
    out.push({ type: 'EvalDelete', evalIds: evals.map((e) => e.id), allocIds: allocs.map((a) => a.id) });
    out.push({ type: 'JobDeregister', namespace: job.namespace, jobId: job.id, purge: true, now });
  }

  const evalIds: string[] = [];
  const allocIds: string[] = [];
  for (const e of state.tables.evals.values()) {
    if (!evalTerminal(e.status) || purgedJobs.has(`${e.namespace}\u0000${e.jobId}`)) continue;
    const threshold = e.type === 'batch' ? cfg.batchEvalGcThreshold : cfg.evalGcThreshold;
    if (!old(e.modifyTime, threshold)) continue;
    const allocs = state.allocsByEval(e.id);
    // An evaluation stays while any of its allocations still runs or is recent.
    if (!allocs.every((a) => isTerminal(a) && old(a.modifyTime, threshold))) continue;
    // Batch jobs keep the allocations of a live job (their completion is the job's result).
    const job = state.jobById(e.namespace, e.jobId);
    evalIds.push(e.id);
    if (!(e.type === 'batch' && job && !job.stop)) allocIds.push(...allocs.map((a) => a.id));
  }
  if (evalIds.length > 0) out.push({ type: 'EvalDelete', evalIds, allocIds });

  const deploymentIds: string[] = [];
  for (const d of state.tables.deployments.values()) {
    if (deploymentActive(d) || !old(d.modifyTime, cfg.deploymentGcThreshold)) continue;
    if (state.allocsByDeployment(d.id).some((a) => !isTerminal(a))) continue;
    deploymentIds.push(d.id);
  }
  if (deploymentIds.length > 0) out.push({ type: 'DeploymentDelete', deploymentIds });

  const nodeIds: string[] = [];
  for (const n of state.nodes()) {
    if (n.status !== 'down' || !old(n.statusUpdatedAt, cfg.nodeGcThreshold)) continue;
    if (state.allocsByNode(n.id).some((a) => !isTerminal(a))) continue;
    nodeIds.push(n.id);
  }
  if (nodeIds.length > 0) out.push({ type: 'NodeDeregister', nodeIds });
  return out;
}

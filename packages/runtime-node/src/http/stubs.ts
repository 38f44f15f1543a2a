/**
 * Nomad's list stubs (JobListStub, AllocListStub, NodeListStub) and other response shapes that
 * are not a whole struct, built from the full API JSON encoders of core.
 */
import {
  encodeAllocation,
  encodeJob,
  encodeNode,
  formatGoDuration,
  type Allocation,
  type Job,
  type JobSummary,
  type Node,
  type StateSnapshot,
} from '@tsnomad/core';
import { nomadJobJson } from './jobJson.js';

const pick = (o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = o[k] ?? null;
  return out;
};

/** Nomad's JobSummary JSON, with the Children counts of periodic/parameterized parents. */
export function jobSummaryJson(
  state: StateSnapshot,
  job: Job,
  s: JobSummary | undefined,
): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const [tg, c] of Object.entries(s?.summary ?? {}))
    summary[tg] = {
      Queued: c.queued,
      Complete: c.complete,
      Failed: c.failed,
      Running: c.running,
      Starting: c.starting,
      Lost: c.lost,
      Unknown: c.unknown,
    };
  const children = { Pending: 0, Running: 0, Dead: 0 };
  if (job.periodic?.enabled || job.parameterizedJob)
    for (const child of state.childJobs(job.namespace, job.id))
      children[child.status === 'dead' ? 'Dead' : child.status === 'running' ? 'Running' : 'Pending']++;
  return {
    JobID: job.id,
    Namespace: job.namespace,
    Summary: summary,
    Children: children,
    CreateIndex: s?.createIndex ?? job.createIndex,
    ModifyIndex: s?.modifyIndex ?? job.modifyIndex,
  };
}

/** One row of `GET /v1/jobs`. */
export function jobListStub(state: StateSnapshot, job: Job, withMeta: boolean): Record<string, unknown> {
  const stub: Record<string, unknown> = {
    ID: job.id,
    ParentID: job.parentId,
    Name: job.name,
    Namespace: job.namespace,
    Datacenters: job.datacenters,
    NodePool: job.nodePool,
    Multiregion: job.multiregion ? encodeJob(job).Multiregion : null,
    Type: job.type,
    Priority: job.priority,
    Periodic: !!job.periodic?.enabled,
    ParameterizedJob: !!job.parameterizedJob,
    Stop: job.stop,
    Status: job.status,
    StatusDescription: job.statusDescription,
    JobSummary: jobSummaryJson(state, job, state.jobSummary(job.namespace, job.id)),
    CreateIndex: job.createIndex,
    ModifyIndex: job.modifyIndex,
    JobModifyIndex: job.jobModifyIndex,
    SubmitTime: job.submitTime,
  };
  if (withMeta) stub.Meta = job.meta;
  return stub;
}

const ALLOC_STUB_KEYS = [
  'ID',
  'EvalID',
  'Name',
  'Namespace',
  'NodeID',
  'NodeName',
  'JobID',
  'TaskGroup',
  'AllocatedResources',
  'DesiredStatus',
  'DesiredDescription',
  'ClientStatus',
  'ClientDescription',
  'DesiredTransition',
  'TaskStates',
  'DeploymentStatus',
  'FollowupEvalID',
  'NextAllocation',
  'RescheduleTracker',
  'PreemptedAllocations',
  'PreemptedByAllocation',
  'CreateIndex',
  'ModifyIndex',
  'CreateTime',
  'ModifyTime',
] as const;

/** One row of an allocation list (`/v1/allocations`, `/v1/job/:id/allocations`, …). */
export function allocListStub(state: StateSnapshot, a: Allocation): Record<string, unknown> {
  const full = encodeAllocation(a);
  const stub = pick(full, ALLOC_STUB_KEYS);
  const job = a.job ?? state.jobById(a.namespace, a.jobId);
  stub.JobType = job?.type ?? '';
  stub.JobVersion = job?.version ?? 0;
  if (!stub.NodeName) stub.NodeName = state.nodeById(a.nodeId)?.name ?? '';
  return stub;
}

/** A whole allocation as `GET /v1/allocation/:id` returns it (with its Job). */
export function allocJson(state: StateSnapshot, a: Allocation): Record<string, unknown> {
  const full = encodeAllocation(a);
  const job = a.job ?? state.jobById(a.namespace, a.jobId);
  full.Job = job ? nomadJobJson(job) : null;
  return full;
}

/** One row of `GET /v1/nodes`. */
export function nodeListStub(
  n: Node,
  o: { resources?: boolean; os?: boolean } = {},
): Record<string, unknown> {
  const full = encodeNode(n);
  const stub: Record<string, unknown> = {
    Address: n.attributes?.['unique.network.ip-address'] ?? full.HTTPAddr ?? '',
    ID: n.id,
    Datacenter: n.datacenter,
    Name: n.name,
    NodeClass: n.nodeClass,
    NodePool: n.nodePool,
    Version: n.attributes?.['nomad.version'] ?? '',
    Drain: !!n.drainStrategy,
    SchedulingEligibility: n.schedulingEligibility,
    Status: n.status,
    StatusDescription: n.statusDescription ?? '',
    Drivers: full.Drivers ?? {},
    LastDrain: null,
    CreateIndex: n.createIndex,
    ModifyIndex: n.modifyIndex,
  };
  if (o.os) stub.Attributes = { 'os.name': n.attributes?.['os.name'] ?? '' };
  if (o.resources) {
    stub.NodeResources = full.NodeResources;
    stub.ReservedResources = full.ReservedResources;
  }
  return stub;
}

/** A Go duration string for the JSON of configuration-like answers. */
export const goDuration = (ns: number): string => formatGoDuration(ns);

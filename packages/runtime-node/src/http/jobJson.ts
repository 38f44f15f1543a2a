/**
 * A stored job as Nomad's `GET /v1/job/:id` writes it: every field of Nomad's server-side Job,
 * TaskGroup and Task structs in their declaration order, absent ones as Go's zero value
 * (`null` for pointers, slices and maps), so that clients see the same keys Nomad sends.
 */
import { encodeJob, type Job } from '@tsnomad/core';

type Json = Record<string, unknown>;
// [field, zero value] in Nomad's declaration order.
type Layout = readonly (readonly [string, unknown])[];

const JOB: Layout = [
  ['Stop', false],
  ['Region', ''],
  ['Namespace', ''],
  ['ID', ''],
  ['ParentID', ''],
  ['Name', ''],
  ['Type', ''],
  ['Priority', 0],
  ['AllAtOnce', false],
  ['Datacenters', null],
  ['NodePool', ''],
  ['Constraints', null],
  ['Affinities', null],
  ['Spreads', null],
  ['TaskGroups', null],
  ['Update', null],
  ['Multiregion', null],
  ['Periodic', null],
  ['ParameterizedJob', null],
  ['Dispatched', false],
  ['DispatchIdempotencyToken', ''],
  ['Payload', null],
  ['Meta', null],
  ['ConsulNamespace', ''],
  ['VaultNamespace', ''],
  ['NomadTokenID', ''],
  ['Status', ''],
  ['StatusDescription', ''],
  ['Stable', false],
  ['Version', 0],
  ['SubmitTime', 0],
  ['CreateIndex', 0],
  ['ModifyIndex', 0],
  ['JobModifyIndex', 0],
  ['UI', null],
  ['VersionTag', null],
];

const GROUP: Layout = [
  ['Name', ''],
  ['Count', 0],
  ['Update', null],
  ['Migrate', null],
  ['Constraints', null],
  ['Scaling', null],
  ['RestartPolicy', null],
  ['Disconnect', null],
  ['Tasks', null],
  ['EphemeralDisk', null],
  ['Meta', null],
  ['ReschedulePolicy', null],
  ['Affinities', null],
  ['Spreads', null],
  ['Networks', null],
  ['Consul', null],
  ['Services', null],
  ['Volumes', null],
  ['ShutdownDelay', null],
  ['MaxRunDuration', null],
  ['StopAfterClientDisconnect', null],
  ['MaxClientDisconnect', null],
  ['PreventRescheduleOnLost', false],
];

const TASK: Layout = [
  ['Name', ''],
  ['Driver', ''],
  ['User', ''],
  ['Config', null],
  ['Env', null],
  ['Services', null],
  ['Vault', null],
  ['Secrets', null],
  ['Consul', null],
  ['Templates', null],
  ['Constraints', null],
  ['Affinities', null],
  ['Resources', null],
  ['RestartPolicy', null],
  ['DispatchPayload', null],
  ['Lifecycle', null],
  ['Meta', null],
  ['KillTimeout', 0],
  ['LogConfig', null],
  ['Artifacts', null],
  ['Leader', false],
  ['ShutdownDelay', 0],
  ['VolumeMounts', null],
  ['ScalingPolicies', null],
  ['KillSignal', ''],
  ['Kind', ''],
  ['CSIPluginConfig', null],
  ['Identity', null],
  ['Identities', null],
  ['Actions', null],
  ['Schedule', null],
];

const RESOURCES: Layout = [
  ['CPU', 0],
  ['Cores', 0],
  ['MemoryMB', 0],
  ['MemoryMaxMB', 0],
  ['DiskMB', 0],
  ['IOPS', 0],
  ['Networks', null],
  ['Devices', null],
  ['NUMA', null],
  ['SecretsMB', 0],
];

// Go writes an empty (nil) slice or map as null: so does Nomad for every list and map left unset.
const isEmpty = (v: unknown): boolean =>
  v === '' ||
  (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function layout(o: Json, l: Layout): Json {
  const out: Json = {};
  for (const [k, zero] of l) {
    const v = o[k];
    out[k] = v === undefined || (zero === null && isEmpty(v)) ? zero : v;
  }
  // Anything core encodes beyond Nomad's list is kept, after Nomad's fields.
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

/** The job as Nomad's job read endpoint returns it. Pure. */
export function nomadJobJson(job: Job): Json {
  const j = layout(encodeJob(job), JOB);
  if (Array.isArray(j.TaskGroups))
    j.TaskGroups = (j.TaskGroups as Json[]).map((g) => {
      const tg = layout(g, GROUP);
      if (Array.isArray(tg.Tasks))
        tg.Tasks = (tg.Tasks as Json[]).map((t) => {
          const task = layout(t, TASK);
          if (task.Resources) task.Resources = layout(task.Resources as Json, RESOURCES);
          return task;
        });
      return tg;
    });
  return j;
}

/**
 * `validateJob`: every problem of a canonical job, each with its path in Nomad's API JSON
 * spelling (`Job.TaskGroups[0].Tasks[1].Resources.MemoryMB`). Rules and wording follow
 * Nomad's job validation.
 */
import { RE2JS } from 're2js';
import { formatGoDuration, SECOND } from '../util/duration.js';
import { checkLimits, checkNumbersAndDepth } from './validateLimits.js';
import type {
  Affinity,
  Constraint,
  Job,
  NetworkResource,
  ReschedulePolicy,
  RestartPolicy,
  Service,
  Spread,
  Task,
  TaskGroup,
  UpdateStrategy,
} from './types.js';

/** One problem found in a job. */
export interface ValidationProblem {
  /** Path in API JSON spelling, e.g. `Job.TaskGroups[0].Count`. */
  path: string;
  message: string;
}

const RESTART_MIN_INTERVAL = 5 * SECOND;
const RESCHEDULE_MIN_INTERVAL = 15 * SECOND;
const RESCHEDULE_MIN_DELAY = 5 * SECOND;
const MIN_CPU = 1;
const MIN_MEMORY_MB = 10;
const JOB_TYPES = new Set(['service', 'batch', 'system', 'sysbatch']);
const HOOKS = new Set(['prestart', 'poststart', 'poststop']);
const DELAY_FUNCTIONS = ['constant', 'exponential', 'fibonacci'];
const COMPARE_OPS = new Set(['=', '==', 'is', '!=', 'not', '<', '<=', '>', '>=']);
const SET_OPS = new Set(['set_contains', 'set_contains_all', 'set_contains_any']);
const VERSION_PART =
  /^\s*(=|!=|>=|<=|>|<|~>|\^|~)?\s*v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/;
const d = formatGoDuration;

/**
 * Checks a canonical job (see `canonicalizeJob`) and returns every problem with its path; an
 * empty list means valid. Never throws. Pure.
 * @example
 *   const problems = validateJob(canonicalizeJob(input));
 *   for (const p of problems) print(`${p.path}: ${p.message}`);
 */
export function validateJob(job: Job): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const add = (path: string, message: string): void => void out.push({ path, message });
  try {
    checkJob(job, add);
    checkNumbersAndDepth(job, add);
    checkLimits(job, add);
  } catch (e) {
    // Input that is not even shaped like a Job (e.g. not canonicalized) is a user problem too.
    add('Job', `malformed job: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}

type Add = (path: string, message: string) => void;

function checkJob(job: Job, add: Add): void {
  const P = 'Job';
  if (!job.region) add(`${P}.Region`, 'Missing job region');
  if (!job.id) add(`${P}.ID`, 'Missing job ID');
  else if (/\s/.test(job.id)) add(`${P}.ID`, 'Job ID contains a space');
  else if (job.id.includes('\0')) add(`${P}.ID`, 'Job ID contains a null character');
  if (!job.name) add(`${P}.Name`, 'Missing job name');
  else if (job.name.includes('\0')) add(`${P}.Name`, 'Job Name contains a null character');
  if (!job.namespace) add(`${P}.Namespace`, 'Job must be in a namespace');
  if (!job.type) add(`${P}.Type`, 'Missing job type');
  else if (!JOB_TYPES.has(job.type)) add(`${P}.Type`, `Invalid job type: ${JSON.stringify(job.type)}`);
  if (!Number.isInteger(job.priority) || job.priority < 1 || job.priority > 100)
    add(`${P}.Priority`, `Job priority must be between [1, 100]; got ${job.priority}`);
  if (job.datacenters.length === 0) add(`${P}.Datacenters`, 'Missing job datacenters');
  job.datacenters.forEach((dc, i) => {
    if (dc === '') add(`${P}.Datacenters[${i}]`, 'Job datacenter must be non-empty string');
  });
  if (job.taskGroups.length === 0) add(`${P}.TaskGroups`, 'Missing job task groups');
  const system = job.type === 'system' || job.type === 'sysbatch';
  job.constraints.forEach((c, i) => checkConstraint(c, `${P}.Constraints[${i}]`, add));
  if (system && job.affinities.length > 0)
    add(`${P}.Affinities`, 'System jobs may not have an affinity block');
  job.affinities.forEach((a, i) => checkAffinity(a, `${P}.Affinities[${i}]`, add));
  if (system && job.spreads.length > 0) add(`${P}.Spreads`, 'System jobs may not have a spread block');
  job.spreads.forEach((s, i) => checkSpread(s, `${P}.Spreads[${i}]`, add));

  const batchLike = job.type === 'batch' || job.type === 'sysbatch';
  if (job.periodic?.enabled) {
    if (!batchLike) add(`${P}.Periodic`, `Periodic can only be used with "batch" or "sysbatch" scheduler`);
    const specs = job.periodic.spec ? [job.periodic.spec, ...job.periodic.specs] : job.periodic.specs;
    if (specs.length === 0) add(`${P}.Periodic.Spec`, 'Must specify a spec');
    if (job.periodic.specType !== 'cron' && job.periodic.specType !== 'test')
      add(
        `${P}.Periodic.SpecType`,
        `Unknown periodic specification type ${JSON.stringify(job.periodic.specType)}`,
      );
    specs.forEach((s) => {
      const fields = s.trim().split(/\s+/).length;
      if (!s.trim().startsWith('@') && (fields < 5 || fields > 7))
        add(`${P}.Periodic.Spec`, `Invalid cron spec ${JSON.stringify(s)}: expected 5 to 7 fields`);
    });
  }
  if (job.parameterizedJob) {
    if (!batchLike)
      add(`${P}.ParameterizedJob`, `Parameterized job can only be used with "batch" or "sysbatch" scheduler`);
    if (!['optional', 'required', 'forbidden'].includes(job.parameterizedJob.payload))
      add(
        `${P}.ParameterizedJob.Payload`,
        `Unknown payload requirement: ${JSON.stringify(job.parameterizedJob.payload)}`,
      );
    const req = new Set(job.parameterizedJob.metaRequired);
    for (const k of job.parameterizedJob.metaOptional)
      if (req.has(k))
        add(
          `${P}.ParameterizedJob.MetaOptional`,
          `Metadata key ${JSON.stringify(k)} is both required and optional`,
        );
  }

  const groups = new Map<string, number>();
  job.taskGroups.forEach((tg, i) => {
    const gp = `${P}.TaskGroups[${i}]`;
    if (!tg.name) add(`${gp}.Name`, `Job task group ${i + 1} missing name`);
    else if (groups.has(tg.name))
      add(
        `${gp}.Name`,
        `Job task group ${i + 1} redefines '${tg.name}' from group ${(groups.get(tg.name) ?? 0) + 1}`,
      );
    else groups.set(tg.name, i);
    if (system && tg.count > 1)
      add(
        `${gp}.Count`,
        `Job task group ${tg.name} has count ${tg.count}. Count cannot exceed 1 with system scheduler`,
      );
    checkGroup(tg, job, gp, add);
  });
}

function checkGroup(tg: TaskGroup, job: Job, gp: string, add: Add): void {
  const system = job.type === 'system' || job.type === 'sysbatch';
  if (tg.name.includes('\0')) add(`${gp}.Name`, 'Task group name contains null character');
  // A fractional or non-finite count is reported by checkNumbersAndDepth, as such.
  if (tg.count < 0) add(`${gp}.Count`, "Task group count can't be negative");
  // A group whose only work is a Connect gateway gets its task from Nomad's admission hook.
  if (tg.tasks.length === 0 && !tg.services.some((s) => s.connect?.['Gateway']))
    add(`${gp}.Tasks`, 'Missing tasks for task group');
  checkConnectGateways(tg, gp, add);
  tg.constraints.forEach((c, i) => checkConstraint(c, `${gp}.Constraints[${i}]`, add));
  if (system && tg.affinities.length > 0)
    add(`${gp}.Affinities`, 'System jobs may not have an affinity block');
  tg.affinities.forEach((a, i) => checkAffinity(a, `${gp}.Affinities[${i}]`, add));
  if (system && tg.spreads.length > 0) add(`${gp}.Spreads`, 'System jobs may not have a spread block');
  tg.spreads.forEach((s, i) => checkSpread(s, `${gp}.Spreads[${i}]`, add));
  if (tg.restartPolicy) checkRestart(tg.restartPolicy, `${gp}.RestartPolicy`, add);
  else add(`${gp}.RestartPolicy`, `Task Group ${tg.name} should have a restart policy`);
  if (tg.reschedulePolicy) {
    if (system && (tg.reschedulePolicy.attempts > 0 || tg.reschedulePolicy.unlimited))
      add(`${gp}.ReschedulePolicy`, 'System or sysbatch jobs should not have a reschedule policy');
    else checkReschedule(tg.reschedulePolicy, `${gp}.ReschedulePolicy`, add);
  } else if (!system) add(`${gp}.ReschedulePolicy`, `Task Group ${tg.name} should have a reschedule policy`);
  if (!tg.ephemeralDisk)
    add(`${gp}.EphemeralDisk`, `Task Group ${tg.name} should have an ephemeral disk object`);
  else if (tg.ephemeralDisk.sizeMB <= 0)
    add(`${gp}.EphemeralDisk.SizeMB`, 'Ephemeral disk size must be greater than zero');
  if (tg.update && (job.type === 'service' || job.type === 'system'))
    checkUpdate(tg, job, `${gp}.Update`, add);
  if (tg.migrate) {
    const m = tg.migrate;
    if (m.maxParallel < 0)
      add(`${gp}.Migrate.MaxParallel`, `MaxParallel must be >= 0 but found ${m.maxParallel}`);
    if (!['checks', 'task_states'].includes(m.healthCheck))
      add(`${gp}.Migrate.HealthCheck`, `Invalid HealthCheck: ${JSON.stringify(m.healthCheck)}`);
    if (m.minHealthyTime < 0)
      add(`${gp}.Migrate.MinHealthyTime`, `MinHealthyTime is ${d(m.minHealthyTime)} and must be >= 0`);
    if (m.healthyDeadline < 0)
      add(`${gp}.Migrate.HealthyDeadline`, `HealthyDeadline is ${d(m.healthyDeadline)} and must be >= 0`);
    if (m.minHealthyTime > m.healthyDeadline)
      add(`${gp}.Migrate`, 'MinHealthyTime must be less than HealthyDeadline');
  }
  if (tg.scaling) {
    const s = tg.scaling;
    if (s.min < 0) add(`${gp}.Scaling.Min`, 'minimum count must be specified and non-negative');
    if (s.max < 0) add(`${gp}.Scaling.Max`, 'maximum count must be specified and non-negative');
    else if (s.max < s.min) add(`${gp}.Scaling.Max`, 'maximum count must not be less than minimum count');
    if (tg.count > s.max)
      add(
        `${gp}.Count`,
        'Scaling policy invalid: task group count must not be greater than maximum count in scaling policy',
      );
    if (tg.count < s.min)
      add(
        `${gp}.Count`,
        'Scaling policy invalid: task group count must not be less than minimum count in scaling policy',
      );
  }

  // Port labels are shared by the group's networks and every task's networks.
  const ports = new Map<string, string>();
  const claimPorts = (nets: NetworkResource[], owner: string, base: string): void =>
    nets.forEach((n, ni) =>
      [...n.reservedPorts, ...n.dynamicPorts].forEach((p) => {
        const other = ports.get(p.label);
        if (!p.label) add(`${base}[${ni}]`, 'Port label must not be empty');
        else if (other !== undefined)
          add(`${base}[${ni}]`, `Port label ${p.label} already in use by ${other}`);
        else ports.set(p.label, owner);
        if (p.value < 0 || p.value > 65535)
          add(`${base}[${ni}]`, `Port ${p.label} has an invalid static port ${p.value}`);
      }),
    );
  claimPorts(tg.networks, `taskgroup network:${tg.name}`, `${gp}.Networks`);
  tg.tasks.forEach((t, i) =>
    claimPorts(t.resources.networks, `task network:${t.name}`, `${gp}.Tasks[${i}].Resources.Networks`),
  );
  if (tg.networks.length > 1) add(`${gp}.Networks`, 'Only one task group network resource is allowed');

  const volumeNames = new Set(Object.keys(tg.volumes));
  for (const [name, v] of Object.entries(tg.volumes)) {
    if (!['host', 'csi'].includes(v.type))
      add(`${gp}.Volumes.${name}.Type`, `volume has unrecognized type ${JSON.stringify(v.type)}`);
    if (!v.source) add(`${gp}.Volumes.${name}.Source`, 'volume has an empty source');
  }
  tg.services.forEach((s, i) => checkService(s, `${gp}.Services[${i}]`, tg, undefined, add));

  const tasks = new Map<string, number>();
  let mainTasks = 0;
  let leaders = 0;
  tg.tasks.forEach((t, i) => {
    const tp = `${gp}.Tasks[${i}]`;
    if (!t.name) add(`${tp}.Name`, `Task ${i + 1} missing name`);
    else if (tasks.has(t.name))
      add(`${tp}.Name`, `Task ${i + 1} redefines '${t.name}' from task ${(tasks.get(t.name) ?? 0) + 1}`);
    else tasks.set(t.name, i);
    if (!t.lifecycle) mainTasks++;
    if (t.leader) leaders++;
    checkTask(t, tg, job, tp, volumeNames, add);
  });
  if (tg.tasks.length > 0 && mainTasks === 0)
    add(`${gp}.Tasks`, `Task group ${tg.name} must have at least one main task`);
  if (leaders > 1) add(`${gp}.Tasks`, 'Only one task may be marked as leader');
}

function checkTask(t: Task, tg: TaskGroup, job: Job, tp: string, volumes: Set<string>, add: Add): void {
  if (t.name.includes('/')) add(`${tp}.Name`, 'Task name cannot include slashes');
  if (t.name.includes('\0')) add(`${tp}.Name`, 'Task name cannot include null characters');
  if (!t.driver) add(`${tp}.Driver`, 'Missing task driver');
  if (t.killTimeout < 0) add(`${tp}.KillTimeout`, 'KillTimeout must be a positive value');
  if (tg.update && tg.update.progressDeadline > 0 && t.killTimeout > tg.update.progressDeadline)
    add(
      `${tp}.KillTimeout`,
      `KillTimout (${d(t.killTimeout)}) longer than the group's ProgressDeadline (${d(tg.update.progressDeadline)})`,
    );
  const r = t.resources;
  const rp = `${tp}.Resources`;
  if (r.cpu > 0 && r.cores > 0) add(rp, "Task can only ask for 'cpu' or 'cores' resource, not both.");
  else if (r.cores === 0 && r.cpu < MIN_CPU)
    add(`${rp}.CPU`, `minimum CPU value is ${MIN_CPU}; got ${r.cpu}`);
  if (r.cores < 0) add(`${rp}.Cores`, `Cores must be a positive value; got ${r.cores}`);
  if (r.memoryMB < MIN_MEMORY_MB)
    add(`${rp}.MemoryMB`, `minimum MemoryMB value is ${MIN_MEMORY_MB}; got ${r.memoryMB}`);
  // 0 and -1 (no limit) are sentinels, as in Nomad.
  if (r.memoryMaxMB !== 0 && r.memoryMaxMB !== -1 && r.memoryMaxMB < r.memoryMB)
    add(
      `${rp}.MemoryMaxMB`,
      `MemoryMaxMB value (${r.memoryMaxMB}) should be larger than MemoryMB value (${r.memoryMB})`,
    );
  if (r.secretsMB > r.memoryMB)
    add(
      `${rp}.SecretsMB`,
      `SecretsMB value (${r.secretsMB}) cannot be larger than MemoryMB value (${r.memoryMB})`,
    );
  if (r.diskMB > 0)
    add(
      `${rp}.DiskMB`,
      "Task can't ask for disk resources, they have to be specified at the task group level.",
    );
  r.devices.forEach((dev, i) => {
    if (!dev.name)
      add(
        `${rp}.Devices[${i}].Name`,
        'device name must be given as one of the following: type, vendor/type, or vendor/type/name',
      );
    if (dev.count < 1) add(`${rp}.Devices[${i}].Count`, `device count must be positive; got ${dev.count}`);
    dev.constraints.forEach((c, j) => checkConstraint(c, `${rp}.Devices[${i}].Constraints[${j}]`, add));
    dev.affinities.forEach((a, j) => checkAffinity(a, `${rp}.Devices[${i}].Affinities[${j}]`, add));
  });
  t.constraints.forEach((c, i) => {
    if (c.operand === 'distinct_hosts' || c.operand === 'distinct_property')
      add(
        `${tp}.Constraints[${i}].Operand`,
        `Constraint ${i + 1} has disallowed Operand at task level: ${c.operand}`,
      );
    else checkConstraint(c, `${tp}.Constraints[${i}]`, add);
  });
  const system = job.type === 'system' || job.type === 'sysbatch';
  if (system && t.affinities.length > 0)
    add(`${tp}.Affinities`, 'System jobs may not have an affinity block');
  t.affinities.forEach((a, i) => checkAffinity(a, `${tp}.Affinities[${i}]`, add));
  if (t.restartPolicy) checkRestart(t.restartPolicy, `${tp}.RestartPolicy`, add);
  if (!t.logConfig) add(`${tp}.LogConfig`, 'Missing Log Config');
  else {
    if (t.logConfig.maxFiles < 1)
      add(`${tp}.LogConfig.MaxFiles`, `minimum number of files is 1; got ${t.logConfig.maxFiles}`);
    if (t.logConfig.maxFileSizeMB < 1)
      add(`${tp}.LogConfig.MaxFileSizeMB`, `minimum file size is 1MB; got ${t.logConfig.maxFileSizeMB}`);
  }
  if (t.lifecycle) {
    if (!HOOKS.has(t.lifecycle.hook)) add(`${tp}.Lifecycle.Hook`, `invalid hook: ${t.lifecycle.hook}`);
  }
  t.services.forEach((s, i) => checkService(s, `${tp}.Services[${i}]`, tg, t, add));
  t.templates.forEach((tm, i) => {
    const p = `${tp}.Templates[${i}]`;
    if (!tm.sourcePath && !tm.embeddedTmpl) add(p, 'Must specify a source path or have an embedded template');
    if (!tm.destPath) add(`${p}.DestPath`, 'Must specify a destination for the template');
    if (!['restart', 'signal', 'noop', 'script'].includes(tm.changeMode))
      add(`${p}.ChangeMode`, `Invalid change mode ${JSON.stringify(tm.changeMode)}`);
    if (tm.changeMode === 'signal' && !tm.changeSignal)
      add(`${p}.ChangeSignal`, 'Must specify signal value when change mode is signal');
    if (tm.changeMode === 'script' && !tm.changeScript?.command)
      add(`${p}.ChangeScript`, 'Must specify a change script when change mode is script');
    if (tm.splay < 0) add(`${p}.Splay`, 'Must specify positive splay value');
    if (!/^[0-7]{3,4}$/.test(tm.perms))
      add(`${p}.Perms`, `Failed to parse ${JSON.stringify(tm.perms)} as octal`);
  });
  t.artifacts.forEach((a, i) => {
    if (!a.getterSource) add(`${tp}.Artifacts[${i}].GetterSource`, 'source must be specified');
    if (!['any', 'file', 'dir'].includes(a.getterMode))
      add(`${tp}.Artifacts[${i}].GetterMode`, `invalid artifact mode ${JSON.stringify(a.getterMode)}`);
  });
  if (t.vault) {
    if (!['noop', 'restart', 'signal'].includes(t.vault.changeMode))
      add(`${tp}.Vault.ChangeMode`, `Unknown change mode ${JSON.stringify(t.vault.changeMode)}`);
    if (t.vault.changeMode === 'signal' && !t.vault.changeSignal)
      add(`${tp}.Vault.ChangeSignal`, 'Signal must be specified when using change mode signal');
  }
  t.volumeMounts.forEach((vm, i) => {
    if (!volumes.has(vm.volume))
      add(`${tp}.VolumeMounts[${i}].Volume`, `Volume Mount referencing undefined volume ${vm.volume}`);
    if (!vm.destination) add(`${tp}.VolumeMounts[${i}].Destination`, 'Volume Mount must have a destination');
  });
  if (t.csiPluginConfig) {
    if (!t.csiPluginConfig.id)
      add(`${tp}.CSIPluginConfig.ID`, 'CSIPluginConfig must have a non-empty PluginID');
    if (!['node', 'controller', 'monolith'].includes(t.csiPluginConfig.type))
      add(
        `${tp}.CSIPluginConfig.Type`,
        `CSIPluginConfig PluginType must be one of 'node', 'controller', or 'monolith', got: ${JSON.stringify(t.csiPluginConfig.type)}`,
      );
  }
}

function portLabels(tg: TaskGroup, t: Task | undefined): Set<string> {
  const nets = t ? [...tg.networks, ...t.resources.networks] : tg.networks;
  return new Set(nets.flatMap((n) => [...n.reservedPorts, ...n.dynamicPorts].map((p) => p.label)));
}

function checkService(s: Service, sp: string, tg: TaskGroup, t: Task | undefined, add: Add): void {
  if (!s.name) add(`${sp}.Name`, 'Service name must be specified');
  else if (!/^[a-zA-Z0-9$][a-zA-Z0-9\-${}._]*$/.test(s.name) || s.name.length > 63)
    add(
      `${sp}.Name`,
      `Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: ${JSON.stringify(s.name)}`,
    );
  if (!['consul', 'nomad'].includes(s.provider))
    add(
      `${sp}.Provider`,
      `Service provider must be one of "consul" or "nomad"; got ${JSON.stringify(s.provider)}`,
    );
  if (!['auto', 'host', 'driver', 'alloc'].includes(s.addressMode))
    add(
      `${sp}.AddressMode`,
      `Service address_mode must be "auto", "host", "driver" or "alloc"; got ${JSON.stringify(s.addressMode)}`,
    );
  const labels = portLabels(tg, t);
  // A numeric port is taken as-is; a label must name a port of the group (or task) network.
  if (s.portLabel && !/^\d+$/.test(s.portLabel) && !labels.has(s.portLabel) && !s.connect)
    add(
      `${sp}.PortLabel`,
      `Port label ${JSON.stringify(s.portLabel)} referenced by service ${s.name} does not exist`,
    );
  s.checks.forEach((c, i) => {
    const cp = `${sp}.Checks[${i}]`;
    if (!['http', 'tcp', 'grpc', 'script'].includes(c.type))
      add(`${cp}.Type`, `Invalid check type ${JSON.stringify(c.type)}`);
    if (c.type === 'http' && !c.path) add(`${cp}.Path`, 'http type must have http path');
    if (c.type === 'script' && !c.command) add(`${cp}.Command`, 'script type must have a valid script path');
    if (c.interval <= 0) add(`${cp}.Interval`, 'interval must be greater than 0');
    if (c.timeout <= 0) add(`${cp}.Timeout`, 'timeout must be greater than 0');
    if (c.portLabel && !/^\d+$/.test(c.portLabel) && !labels.has(c.portLabel))
      add(
        `${cp}.PortLabel`,
        `Port label ${JSON.stringify(c.portLabel)} referenced by check ${c.name} does not exist`,
      );
    if (c.checkRestart && c.checkRestart.limit < 0)
      add(
        `${cp}.CheckRestart.Limit`,
        `limit must be greater than or equal to 0 but found ${c.checkRestart.limit}`,
      );
    if (c.checkRestart && c.checkRestart.grace < 0)
      add(
        `${cp}.CheckRestart.Grace`,
        `grace period must be greater than or equal to 0 but found ${d(c.checkRestart.grace)}`,
      );
  });
}

function checkUpdate(tg: TaskGroup, job: Job, up: string, add: Add): void {
  const u = tg.update as UpdateStrategy;
  if (!['checks', 'task_states', 'manual'].includes(u.healthCheck))
    add(`${up}.HealthCheck`, `Invalid health check given: ${JSON.stringify(u.healthCheck)}`);
  if (u.maxParallel < 0)
    add(`${up}.MaxParallel`, `Max parallel can not be less than zero: ${u.maxParallel} < 0`);
  if (u.canary < 0) add(`${up}.Canary`, `Canary count can not be less than zero: ${u.canary} < 0`);
  if (u.canary === 0 && u.autoPromote)
    add(`${up}.AutoPromote`, 'Auto Promote requires a Canary count greater than zero');
  if (u.minHealthyTime < 0)
    add(`${up}.MinHealthyTime`, `Minimum healthy time may not be less than zero: ${d(u.minHealthyTime)}`);
  if (u.healthyDeadline <= 0)
    add(`${up}.HealthyDeadline`, `Healthy deadline must be greater than zero: ${d(u.healthyDeadline)}`);
  if (u.progressDeadline < 0)
    add(`${up}.ProgressDeadline`, `Progress deadline must be zero or greater: ${d(u.progressDeadline)}`);
  if (u.minHealthyTime >= u.healthyDeadline)
    add(
      `${up}.MinHealthyTime`,
      `Minimum healthy time must be less than healthy deadline: ${d(u.minHealthyTime)} > ${d(u.healthyDeadline)}`,
    );
  if (u.progressDeadline !== 0 && u.healthyDeadline >= u.progressDeadline)
    add(
      `${up}.HealthyDeadline`,
      `Healthy deadline must be less than progress deadline: ${d(u.healthyDeadline)} > ${d(u.progressDeadline)}`,
    );
  if (u.stagger <= 0) add(`${up}.Stagger`, `Stagger must be greater than zero: ${d(u.stagger)}`);
  // Current Nomad accepts canaries for system jobs (system deployments), so no check here.
}

function checkRestart(r: RestartPolicy, p: string, add: Add): void {
  if (r.mode !== 'delay' && r.mode !== 'fail')
    add(`${p}.Mode`, `Unsupported restart mode: ${JSON.stringify(r.mode)}`);
  if (r.attempts < 0) add(`${p}.Attempts`, `Restart attempts can not be negative: ${r.attempts}`);
  if (r.attempts === 0 && r.mode !== 'fail')
    add(`${p}.Attempts`, `Restart policy ${JSON.stringify(r.mode)} with ${r.attempts} attempts is ambiguous`);
  if (r.interval < RESTART_MIN_INTERVAL)
    add(`${p}.Interval`, `Interval can not be less than ${d(RESTART_MIN_INTERVAL)} (got ${d(r.interval)})`);
  if (r.attempts * r.delay > r.interval)
    add(
      p,
      `Nomad can't restart the TaskGroup ${r.attempts} times in an interval of ${d(r.interval)} with a delay of ${d(r.delay)}`,
    );
}

function checkReschedule(r: ReschedulePolicy, p: string, add: Add): void {
  if (!(r.attempts > 0 || r.unlimited)) return;
  if (r.attempts > 0) {
    if (r.interval <= 0) add(`${p}.Interval`, 'Interval must be a non zero value if Attempts > 0');
    if (r.unlimited) add(p, 'If Attempts >0, Unlimited cannot also be set to true');
  }
  let delayOk = true;
  if (r.delay < RESCHEDULE_MIN_DELAY) {
    add(`${p}.Delay`, `Delay cannot be less than ${d(RESCHEDULE_MIN_DELAY)} (got ${d(r.delay)})`);
    delayOk = false;
  }
  if (!DELAY_FUNCTIONS.includes(r.delayFunction)) {
    add(
      `${p}.DelayFunction`,
      `Invalid delay function ${JSON.stringify(r.delayFunction)}, must be one of ["constant" "exponential" "fibonacci"]`,
    );
    delayOk = false;
  }
  if (r.delayFunction !== 'constant') {
    if (r.maxDelay < RESCHEDULE_MIN_DELAY) {
      add(`${p}.MaxDelay`, `Max Delay cannot be less than ${d(RESCHEDULE_MIN_DELAY)} (got ${d(r.maxDelay)})`);
      delayOk = false;
    }
    if (r.maxDelay < r.delay) {
      add(`${p}.MaxDelay`, `Max Delay cannot be less than Delay ${d(r.delay)} (got ${d(r.maxDelay)})`);
      delayOk = false;
    }
  }
  if (!r.unlimited) {
    if (r.interval < RESCHEDULE_MIN_INTERVAL)
      add(
        `${p}.Interval`,
        `Interval cannot be less than ${d(RESCHEDULE_MIN_INTERVAL)} (got ${d(r.interval)})`,
      );
    // With a constant delay, `attempts` reschedules must fit in the interval.
    if (delayOk && r.delayFunction === 'constant' && r.delay * r.attempts > r.interval)
      add(
        p,
        `Nomad can only make ${Math.floor(r.interval / r.delay)} attempts in ${d(r.interval)} with initial delay ${d(r.delay)} and delay function ${JSON.stringify(r.delayFunction)}`,
      );
  }
}

function checkTargetOperand(
  op: string,
  rtarget: string,
  p: string,
  add: Add,
  kind: 'constraint' | 'affinity',
): void {
  if (SET_OPS.has(op)) {
    if (!rtarget) add(`${p}.RTarget`, 'Set contains constraint requires an RTarget');
  } else if (op === 'regexp') {
    try {
      // RE2, as Nomad's Go regexp: what RE2 rejects (backreferences, lookaround) is invalid here too.
      RE2JS.compile(rtarget);
    } catch (e) {
      add(`${p}.RTarget`, `Regular expression failed to compile: ${goRegexpError(e)}`);
    }
  } else if (op === 'version' || op === 'semver') {
    if (!rtarget.split(',').every((part) => VERSION_PART.test(part)))
      add(
        `${p}.RTarget`,
        `${op === 'version' ? 'Version' : 'Semver'} ${kind} is invalid: ${JSON.stringify(rtarget)}`,
      );
  } else if (COMPARE_OPS.has(op)) {
    if (!rtarget) add(`${p}.RTarget`, `Operator ${JSON.stringify(op)} requires an RTarget`);
  } else return;
}

function checkConstraint(c: Constraint, p: string, add: Add): void {
  const op = c.operand;
  if (!op) add(`${p}.Operand`, 'Missing constraint operand');
  let needsL = true;
  if (op === 'distinct_hosts') needsL = false;
  else if (op === 'distinct_property') {
    if (c.rtarget !== '' && !(/^\d+$/.test(c.rtarget) && Number(c.rtarget) >= 1))
      add(
        `${p}.RTarget`,
        `Distinct Property must have an allowed count of 1 or greater: ${JSON.stringify(c.rtarget)}`,
      );
  } else if (op === 'is_set' || op === 'is_not_set') {
    if (c.rtarget !== '') add(`${p}.RTarget`, `Operator ${JSON.stringify(op)} does not support an RTarget`);
  } else if (SET_OPS.has(op) || COMPARE_OPS.has(op) || op === 'regexp' || op === 'version' || op === 'semver')
    checkTargetOperand(op, c.rtarget, p, add, 'constraint');
  else if (op) add(`${p}.Operand`, `Unknown constraint type ${JSON.stringify(op)}`);
  if (needsL && !c.ltarget) add(`${p}.LTarget`, 'no attribute provided but is required by operator');
}

function checkAffinity(a: Affinity, p: string, add: Add): void {
  const op = a.operand;
  if (!op) add(`${p}.Operand`, 'Missing affinity operand');
  else if (SET_OPS.has(op) || COMPARE_OPS.has(op) || op === 'regexp' || op === 'version' || op === 'semver')
    checkTargetOperand(op, a.rtarget, p, add, 'affinity');
  else add(`${p}.Operand`, `Unknown affinity operator ${JSON.stringify(op)}`);
  if (!a.ltarget) add(`${p}.LTarget`, 'No LTarget provided but is required');
  if (a.weight === 0) add(`${p}.Weight`, 'Affinity weight cannot be zero');
  if (a.weight > 100 || a.weight < -100)
    add(`${p}.Weight`, `Affinity weight must be within the range [-100,100]; got ${a.weight}`);
}

function checkSpread(s: Spread, p: string, add: Add): void {
  if (!s.attribute) add(`${p}.Attribute`, 'Missing spread attribute');
  if (s.weight <= 0 || s.weight > 100)
    add(`${p}.Weight`, 'Spread block must have a positive weight from 0 to 100');
  const seen = new Set<string>();
  let sum = 0;
  s.spreadTarget.forEach((t, i) => {
    if (seen.has(t.value))
      add(`${p}.SpreadTarget[${i}]`, `Spread target value ${JSON.stringify(t.value)} already defined`);
    seen.add(t.value);
    if (t.percent < 0 || t.percent > 100)
      add(
        `${p}.SpreadTarget[${i}].Percent`,
        `Spread target percentage for value ${JSON.stringify(t.value)} must be between 0 and 100`,
      );
    sum += t.percent;
  });
  if (sum > 100)
    add(`${p}.SpreadTarget`, `Sum of spread target percentages must not be greater than 100%; got ${sum}%`);
}

/** RE2's compile error in Go's spelling (`error parsing regexp: …`, lower case as Go prints it). */
function goRegexpError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.startsWith('Error parsing regexp') ? 'e' + m.slice(1) : m;
}

/**
 * What Nomad's Connect admission hook (job_endpoint_hook_connect.go) checks of a gateway group
 * before it injects the gateway's task: exactly one network, in bridge, host or CNI mode. (The
 * hook's sidecar checks are not applied yet; see docs/nomad-parity.md.)
 */
function checkConnectGateways(tg: TaskGroup, gp: string, add: Add): void {
  if (!tg.services.some((s) => s.connect?.['Gateway'])) return;
  const what = 'connect gateway';
  if (tg.networks.length !== 1) {
    add(
      `${gp}.Networks`,
      `${what}: must have exactly one network for Consul Connect: group ${JSON.stringify(tg.name)} has ${tg.networks.length} networks`,
    );
    return;
  }
  const mode = tg.networks[0]?.mode ?? '';
  if (mode === 'bridge' || mode === 'host' || mode.startsWith('cni/')) return;
  add(
    `${gp}.Networks`,
    `${what}: invalid network mode for Consul Connect: group ${JSON.stringify(tg.name)} uses network mode ${JSON.stringify(mode)}; must be "bridge", "host", or "cni/*"`,
  );
}

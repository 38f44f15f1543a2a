import type {
  Affinity,
  Constraint,
  Job,
  NetworkResource,
  RequestedDevice,
  Spread,
  TaskGroup,
  VolumeRequest,
} from '../jobspec/types.js';

/** A task group's demands, flattened once per evaluation for the hot loop. */
export interface GroupAsk {
  group: TaskGroup;
  cpu: number;
  memoryMB: number;
  diskMB: number;
  /** Whole cores asked by all tasks together. */
  cores: number;
  drivers: string[];
  /** Group and task constraints (job constraints are checked separately). */
  constraints: Constraint[];
  /** Job, group and task affinities. */
  affinities: Affinity[];
  /** Group spreads then job spreads. */
  spreads: Spread[];
  /** distinct_hosts scope: 'job' (any group of the job) or 'group', else undefined. */
  distinctHosts: 'job' | 'group' | undefined;
  /** distinct_property constraints with their limit (job-level ones have group ''). */
  distinctProperties: { attribute: string; limit: number; group: string }[];
  network: NetworkResource | undefined;
  devices: { task: string; request: RequestedDevice }[];
  volumes: VolumeRequest[];
  /** True when ports, devices or cores need the per-node slow path. */
  slowPath: boolean;
}

/** Compiles a task group of `job` into a GroupAsk. Pure. */
export function compileGroup(job: Job, group: TaskGroup): GroupAsk {
  let cpu = 0;
  let memoryMB = 0;
  let cores = 0;
  const drivers: string[] = [];
  const constraints: Constraint[] = [...(group.constraints ?? [])];
  const affinities: Affinity[] = [...(job.affinities ?? []), ...(group.affinities ?? [])];
  const devices: GroupAsk['devices'] = [];
  for (const t of group.tasks) {
    cpu += t.resources?.cpu ?? 0;
    memoryMB += t.resources?.memoryMB ?? 0;
    cores += t.resources?.cores ?? 0;
    if (t.driver && !drivers.includes(t.driver)) drivers.push(t.driver);
    constraints.push(...(t.constraints ?? []));
    affinities.push(...(t.affinities ?? []));
    for (const d of t.resources?.devices ?? []) devices.push({ task: t.name, request: d });
  }
  const distinctProperties: GroupAsk['distinctProperties'] = [];
  let distinctHosts: GroupAsk['distinctHosts'];
  const scan = (list: readonly Constraint[], g: string) => {
    for (const c of list) {
      if (c.operand === 'distinct_hosts' && c.rtarget !== 'false' && distinctHosts !== 'job') {
        distinctHosts = g === '' ? 'job' : 'group';
      }
      if (c.operand === 'distinct_property') {
        const limit = c.rtarget ? parseInt(c.rtarget, 10) : 1;
        distinctProperties.push({
          attribute: c.ltarget,
          limit: Number.isFinite(limit) && limit > 0 ? limit : 1,
          group: g,
        });
      }
    }
  };
  scan(job.constraints ?? [], '');
  scan(constraints, group.name);
  const network = group.networks?.[0];
  const volumes = Object.values(group.volumes ?? {});
  const ports = (network?.reservedPorts?.length ?? 0) + (network?.dynamicPorts?.length ?? 0);
  return {
    group,
    cpu,
    memoryMB,
    diskMB: group.ephemeralDisk?.sizeMB ?? 0,
    cores,
    drivers,
    constraints,
    affinities,
    spreads: [...(group.spreads ?? []), ...(job.spreads ?? [])],
    distinctHosts,
    distinctProperties,
    network,
    devices,
    volumes,
    slowPath: ports > 0 || devices.length > 0 || cores > 0,
  };
}

/**
 * Task cgroups on cgroup v1 controllers (memory, cpu, cpuacct, cpuset, pids, freezer), each
 * task under a `tsnomad` parent: `/sys/fs/cgroup/<controller>/tsnomad/<task>`. Memory limit
 * (with memory_max as the hard limit and memory as the soft limit, as Nomad does), cpu shares
 * from MHz, cpuset pinning for `cores`, OOM detection, usage stats and teardown.
 */
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendSignal } from '../process/signals.js';

/** Where the v1 hierarchies are mounted. */
export const CGROUP_ROOT = '/sys/fs/cgroup';
/** The parent group every task cgroup lives under, in each controller. */
export const CGROUP_PARENT = 'tsnomad';

const CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'pids', 'freezer'] as const;
/** A v1 controller this package manages. */
export type Controller = (typeof CONTROLLERS)[number];

/** Limits applied to one task's cgroup. */
export interface CgroupLimits {
  memoryMB: number;
  memoryMaxMB: number;
  cpuMHz: number;
  /** Core ids to pin to (cpuset.cpus); empty means the parent's cpus. */
  cores: number[];
}

/** A task's cgroup paths, one per controller; plain JSON so it can live in a TaskHandle. */
export type TaskCgroup = Partial<Record<Controller, string>>;

/** Which v1 controllers are mounted here (missing ones are skipped). Effects: reads /sys. */
export async function availableControllers(root = CGROUP_ROOT): Promise<Controller[]> {
  const found: Controller[] = [];
  for (const c of CONTROLLERS) {
    if (await exists(join(root, c, 'cgroup.procs'))) found.push(c);
  }
  return found;
}

/**
 * Create the task's cgroup in every available controller and apply limits.
 * Effects: mkdir and writes under /sys/fs/cgroup.
 */
export async function createTaskCgroup(
  name: string,
  limits: CgroupLimits,
  root = CGROUP_ROOT,
): Promise<TaskCgroup> {
  const cg: TaskCgroup = {};
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  for (const c of await availableControllers(root)) {
    const parent = join(root, c, CGROUP_PARENT);
    await mkdir(parent, { recursive: true });
    if (c === 'cpuset') await inheritCpuset(join(root, c), parent);
    const dir = join(parent, safe);
    await mkdir(dir, { recursive: true });
    cg[c] = dir;
  }
  if (cg.memory) {
    const hardMB = limits.memoryMaxMB > 0 ? Math.max(limits.memoryMaxMB, limits.memoryMB) : limits.memoryMB;
    const hard = String(hardMB * 1024 * 1024);
    await writeFile(join(cg.memory, 'memory.limit_in_bytes'), hard);
    // Without a swap limit a task could page out instead of being OOM-killed.
    await writeFile(join(cg.memory, 'memory.memsw.limit_in_bytes'), hard).catch(() => undefined);
    await writeFile(join(cg.memory, 'memory.swappiness'), '0').catch(() => undefined);
    if (limits.memoryMaxMB > 0) {
      await writeFile(join(cg.memory, 'memory.soft_limit_in_bytes'), String(limits.memoryMB * 1024 * 1024));
    }
  }
  if (cg.cpu) {
    // Nomad maps MHz straight to cpu.shares (minimum 2, the kernel's floor).
    await writeFile(join(cg.cpu, 'cpu.shares'), String(Math.max(2, Math.round(limits.cpuMHz))));
  }
  if (cg.cpuset) {
    const parent = join(cg.cpuset, '..');
    const cpus =
      limits.cores.length > 0 ? limits.cores.join(',') : await readTrim(join(parent, 'cpuset.cpus'));
    await writeFile(join(cg.cpuset, 'cpuset.cpus'), cpus);
    await writeFile(join(cg.cpuset, 'cpuset.mems'), await readTrim(join(parent, 'cpuset.mems')));
  }
  return cg;
}

/** cgroup.procs files a task process must join. Pure. */
export function procsFiles(cg: TaskCgroup): string[] {
  return Object.values(cg).map((dir) => join(dir, 'cgroup.procs'));
}

/** Pids currently in the task's cgroup (from the memory, pids or freezer controller). Effects: reads /sys. */
export async function cgroupPids(cg: TaskCgroup): Promise<number[]> {
  const pids = new Set<number>();
  for (const dir of [cg.memory, cg.pids, cg.freezer]) {
    if (!dir) continue;
    const text = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line.trim()) pids.add(Number(line));
  }
  return [...pids];
}

/** True when the kernel OOM killer has killed a process in this cgroup. Effects: reads /sys. */
export async function oomKilled(cg: TaskCgroup): Promise<boolean> {
  if (!cg.memory) return false;
  const text = await readFile(join(cg.memory, 'memory.oom_control'), 'utf8').catch(() => '');
  const m = /oom_kill (\d+)/.exec(text);
  return m !== null && Number(m[1]) > 0;
}

/** Raw usage counters of a task cgroup. */
export interface CgroupUsage {
  rss: number;
  cache: number;
  swap: number;
  usage: number;
  maxUsage: number;
  /** Total cpu time in ns, and its user / system split. */
  cpuNs: number;
  userNs: number;
  systemNs: number;
  throttledPeriods: number;
  throttledTimeNs: number;
}

/** Read memory and cpu counters. Effects: reads /sys. */
export async function cgroupUsage(cg: TaskCgroup): Promise<CgroupUsage> {
  const u: CgroupUsage = {
    rss: 0,
    cache: 0,
    swap: 0,
    usage: 0,
    maxUsage: 0,
    cpuNs: 0,
    userNs: 0,
    systemNs: 0,
    throttledPeriods: 0,
    throttledTimeNs: 0,
  };
  if (cg.memory) {
    const stat = parseKeyValues(await readFile(join(cg.memory, 'memory.stat'), 'utf8').catch(() => ''));
    u.rss = stat['total_rss'] ?? stat['rss'] ?? 0;
    u.cache = stat['total_cache'] ?? stat['cache'] ?? 0;
    u.swap = stat['total_swap'] ?? stat['swap'] ?? 0;
    u.usage = Number(await readTrim(join(cg.memory, 'memory.usage_in_bytes')).catch(() => '0'));
    u.maxUsage = Number(await readTrim(join(cg.memory, 'memory.max_usage_in_bytes')).catch(() => '0'));
  }
  if (cg.cpuacct) {
    u.cpuNs = Number(await readTrim(join(cg.cpuacct, 'cpuacct.usage')).catch(() => '0'));
    u.userNs = Number(await readTrim(join(cg.cpuacct, 'cpuacct.usage_user')).catch(() => '0'));
    u.systemNs = Number(await readTrim(join(cg.cpuacct, 'cpuacct.usage_sys')).catch(() => '0'));
  }
  if (cg.cpu) {
    const stat = parseKeyValues(await readFile(join(cg.cpu, 'cpu.stat'), 'utf8').catch(() => ''));
    u.throttledPeriods = stat['nr_throttled'] ?? 0;
    u.throttledTimeNs = stat['throttled_time'] ?? 0;
  }
  return u;
}

/**
 * SIGKILL everything left in the cgroup and remove it from every controller. Retries while the
 * kernel still reaps processes. Returns an error message if something could not be removed.
 * Effects: kills processes, rmdir under /sys/fs/cgroup.
 */
export async function destroyTaskCgroup(cg: TaskCgroup): Promise<string | undefined> {
  let last: string | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const pid of await cgroupPids(cg)) sendSignal(pid, 'SIGKILL');
    last = undefined;
    for (const dir of Object.values(cg)) {
      try {
        await rmdir(dir);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') last = `${dir}: ${code}`;
      }
    }
    if (last === undefined) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
  return last;
}

/** True when none of the cgroup's directories exist any more. Effects: reads /sys. */
export async function cgroupGone(cg: TaskCgroup): Promise<boolean> {
  for (const dir of Object.values(cg)) if (await exists(dir)) return false;
  return true;
}

async function inheritCpuset(rootDir: string, parent: string): Promise<void> {
  // A new v1 cpuset starts empty and refuses tasks until cpus and mems are set.
  for (const f of ['cpuset.cpus', 'cpuset.mems']) {
    if ((await readTrim(join(parent, f)).catch(() => '')) === '') {
      await writeFile(join(parent, f), await readTrim(join(rootDir, f)));
    }
  }
}

function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}

async function readTrim(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

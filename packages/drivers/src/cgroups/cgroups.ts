/**
 * Task cgroups, each under a `tsnomad` parent. On cgroup v1 (and hybrid hosts) one group per
 * controller: `/sys/fs/cgroup/<controller>/tsnomad/<task>`; on a pure v2 host one group in the
 * unified tree: `/sys/fs/cgroup/tsnomad/<task>`. Memory limit (memory_max as the hard limit and
 * memory as the soft limit / low, as Nomad does), cpu shares or weight from MHz, cpuset pinning
 * for `cores`, OOM detection, usage stats and teardown.
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

/**
 * A task's cgroup paths: one per v1 controller, or `unified` for a v2 group. Plain JSON so it
 * can live in a TaskHandle.
 */
export type TaskCgroup = Partial<Record<Controller | 'unified', string>>;

/** Which cgroup layout a host has: v1 controllers (hybrid included) or a pure v2 tree. */
export type CgroupVersion = 'v1' | 'v2';

/** v1 when memory is a v1 controller, v2 when the root is a cgroup2 mount. Effects: reads /sys. */
export async function detectCgroupVersion(root = CGROUP_ROOT): Promise<CgroupVersion | undefined> {
  if (await exists(join(root, 'memory', 'cgroup.procs'))) return 'v1';
  if (await exists(join(root, 'cgroup.controllers'))) return 'v2';
  return undefined;
}

/** Controllers enabled at a v2 root (`cgroup.controllers`). Effects: reads /sys. */
export async function v2Controllers(root = CGROUP_ROOT): Promise<string[]> {
  return (await readTrim(join(root, 'cgroup.controllers')).catch(() => '')).split(/\s+/).filter(Boolean);
}

/** cpu.weight (v2) for cpu.shares (v1), by the kernel's documented conversion. Pure. */
export function sharesToWeight(shares: number): number {
  return Math.min(10_000, Math.max(1, 1 + Math.floor(((shares - 2) * 9999) / 262142)));
}

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
  version?: CgroupVersion,
): Promise<TaskCgroup> {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  if ((version ?? (await detectCgroupVersion(root))) === 'v2') return createV2(safe, limits, root);
  const cg: TaskCgroup = {};
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

async function createV2(name: string, limits: CgroupLimits, root: string): Promise<TaskCgroup> {
  const parent = join(root, CGROUP_PARENT);
  await mkdir(parent, { recursive: true });
  const available = await v2Controllers(root);
  const wanted = ['memory', 'cpu', 'cpuset', 'pids'].filter((c) => available.includes(c));
  // Controllers must be delegated down each level before a child can use them.
  for (const dir of [root, parent]) {
    const line = wanted.map((c) => `+${c}`).join(' ');
    if (line) await writeFile(join(dir, 'cgroup.subtree_control'), line).catch(() => undefined);
  }
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  await writeV2Limits(dir, limits);
  return { unified: dir };
}

/**
 * Write v2 limit files for a task group; files the kernel does not offer are skipped.
 * Effects: writes under `dir`.
 */
export async function writeV2Limits(dir: string, limits: CgroupLimits): Promise<void> {
  const put = (f: string, v: string) =>
    exists(join(dir, f)).then((ok) => (ok ? writeFile(join(dir, f), v) : undefined));
  const mib = 1024 * 1024;
  const hardMB = limits.memoryMaxMB > 0 ? Math.max(limits.memoryMaxMB, limits.memoryMB) : limits.memoryMB;
  await put('memory.max', String(hardMB * mib));
  await put('memory.swap.max', '0');
  if (limits.memoryMaxMB > 0) await put('memory.low', String(limits.memoryMB * mib));
  await put('cpu.weight', String(sharesToWeight(Math.max(2, Math.round(limits.cpuMHz)))));
  if (limits.cores.length > 0) await put('cpuset.cpus', limits.cores.join(','));
}

/** cgroup.procs files a task process must join. Pure. */
export function procsFiles(cg: TaskCgroup): string[] {
  return Object.values(cg).map((dir) => join(dir, 'cgroup.procs'));
}

/** Pids currently in the task's cgroup (from the memory, pids or freezer controller). Effects: reads /sys. */
export async function cgroupPids(cg: TaskCgroup): Promise<number[]> {
  const pids = new Set<number>();
  for (const dir of [cg.memory, cg.pids, cg.freezer, cg.unified]) {
    if (!dir) continue;
    const text = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line.trim()) pids.add(Number(line));
  }
  return [...pids];
}

/** True when the kernel OOM killer has killed a process in this cgroup. Effects: reads /sys. */
export async function oomKilled(cg: TaskCgroup): Promise<boolean> {
  if (cg.unified) {
    const events = parseKeyValues(await readFile(join(cg.unified, 'memory.events'), 'utf8').catch(() => ''));
    return (events['oom_kill'] ?? 0) > 0;
  }
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
  if (cg.unified) {
    const mem = parseKeyValues(await readFile(join(cg.unified, 'memory.stat'), 'utf8').catch(() => ''));
    u.rss = mem['anon'] ?? 0;
    u.cache = mem['file'] ?? 0;
    u.usage = Number(await readTrim(join(cg.unified, 'memory.current')).catch(() => '0'));
    u.maxUsage = Number(await readTrim(join(cg.unified, 'memory.peak')).catch(() => '0'));
    u.swap = Number(await readTrim(join(cg.unified, 'memory.swap.current')).catch(() => '0'));
    const cpu = parseKeyValues(await readFile(join(cg.unified, 'cpu.stat'), 'utf8').catch(() => ''));
    u.cpuNs = (cpu['usage_usec'] ?? 0) * 1000;
    u.userNs = (cpu['user_usec'] ?? 0) * 1000;
    u.systemNs = (cpu['system_usec'] ?? 0) * 1000;
    u.throttledPeriods = cpu['nr_throttled'] ?? 0;
    u.throttledTimeNs = (cpu['throttled_usec'] ?? 0) * 1000;
  }
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
    // v2 kills the whole group atomically (cgroup.kill, Linux 5.14+); v1 needs a pid loop.
    if (cg.unified) await writeFile(join(cg.unified, 'cgroup.kill'), '1').catch(() => undefined);
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

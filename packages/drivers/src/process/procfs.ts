/**
 * Reading process facts from /proc: parent, process group, start time (to tell a pid apart from
 * a reused one), cpu ticks and resident memory. Linux only.
 */
import { readdir, readFile } from 'node:fs/promises';

/** The fields of /proc/<pid>/stat this package uses. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  /** utime + stime in clock ticks. */
  userTicks: number;
  systemTicks: number;
  /** Start time after boot in clock ticks: with the pid, identifies one process. */
  startTime: number;
  /** Resident set size in pages. */
  rssPages: number;
  state: string;
}

/** Clock ticks per second (USER_HZ), 100 on every Linux we target. */
export const CLOCK_TICKS = 100;
/** Page size in bytes on x86-64 and most arm64 builds. */
export const PAGE_SIZE = 4096;

/** Parse /proc/<pid>/stat; undefined when the process is gone. Effects: reads /proc. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The command name sits in parentheses and may contain spaces; fields follow the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const f = (i: number): number => Number(rest[i - 3]);
  return {
    pid,
    state: rest[0] ?? '?',
    ppid: f(4),
    pgid: f(5),
    userTicks: f(14),
    systemTicks: f(15),
    startTime: f(22),
    rssPages: f(24),
  };
}

/** True when `pid` runs and is the same process as when `startTime` was recorded (not a zombie). */
export async function isSameProcessAlive(pid: number, startTime: number): Promise<boolean> {
  const st = await readProcStat(pid);
  return st !== undefined && st.startTime === startTime && st.state !== 'Z';
}

/** Every live process's stat. Effects: reads /proc. */
export async function allProcStats(): Promise<ProcStat[]> {
  const names = await readdir('/proc');
  const stats = await Promise.all(names.filter((n) => /^\d+$/.test(n)).map((n) => readProcStat(Number(n))));
  return stats.filter((s): s is ProcStat => s !== undefined);
}

/**
 * `root` and all its live descendants (by parent links), plus every member of the process
 * groups in `pgids`. Effects: reads /proc.
 */
export async function processTree(root: number, pgids: readonly number[] = []): Promise<ProcStat[]> {
  const all = await allProcStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of all) {
    const list = children.get(s.ppid) ?? [];
    list.push(s);
    children.set(s.ppid, list);
  }
  const out = new Map<number, ProcStat>();
  const rootStat = all.find((s) => s.pid === root);
  const stack = rootStat ? [rootStat] : [];
  for (const s of all) if (pgids.includes(s.pgid)) stack.push(s);
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (out.has(s.pid)) continue;
    out.set(s.pid, s);
    for (const c of children.get(s.pid) ?? []) stack.push(c);
  }
  return [...out.values()].filter((s) => s.state !== 'Z');
}

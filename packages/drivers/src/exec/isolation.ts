/**
 * Linux isolation for exec and java: new pid, mount, ipc and uts namespaces through util-linux
 * `unshare`, a task root built from the task dir with read-only binds of the host's system
 * directories (Nomad's chroot_env), the allocation's shared `alloc/` dir bound read-write, a
 * minimal /dev, read-only sysfs and cgroup views, and a cgroup with the task's limits. The
 * namespace's init is a small shell that `pivot_root`s into the task root and detaches the
 * host's root (as runc/libcontainer do; a plain chroot can be walked out of by a task holding
 * sys_chroot), runs the task as its child and records its exit status, then tears the namespace
 * down.
 */
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DriverError, type TaskConfig } from '../driver.js';
import { createTaskCgroup, destroyTaskCgroup } from '../cgroups/cgroups.js';
import type { PreparedTask, ProcessState } from '../process/processDriver.js';
import { lookupUser } from '../process/user.js';
import { boundingSetArg } from './capabilities.js';

/** Nomad's default chroot_env: host directories made visible (read-only) inside the task root. */
export const DEFAULT_CHROOT_ENV: readonly string[] = [
  '/bin',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/run/resolvconf',
  '/sbin',
  '/usr',
];

/** `pid_mode` / `ipc_mode`: a private namespace (default) or the host's. */
export type NamespaceMode = 'private' | 'host';

/** How to isolate one task. */
export interface IsolationOptions {
  argv: string[];
  workDir: string;
  pidMode: NamespaceMode;
  ipcMode: NamespaceMode;
  chrootEnv: readonly string[];
  /** Capabilities left in the task's bounding set (see capabilities.ts). */
  caps: readonly string[];
}

// Positional: $1 root, $2 exit file, $3 alloc dir, $4 n, then n host dirs, then the argv.
// Runs as pid 1 of the task's namespaces. The task root becomes a mount point (pivot_root needs
// one) that allows no device nodes, so nodes made with mknod cannot be opened (Nomad uses the
// devices cgroup for the same end; nodev works on cgroup v1 and v2 alike).
const NS_INIT = [
  'r=$1; f=$2; a=$3; n=$4; shift 4',
  'mount --rbind "$r" "$r" && mount -o remount,bind,nodev "$r" || exit 126',
  'while [ "$n" -gt 0 ]; do',
  '  if [ -e "$1" ]; then mkdir -p "$r$1" && mount --rbind "$1" "$r$1" && mount -o remount,bind,ro,nodev "$r$1" || exit 126; fi',
  '  shift; n=$((n-1))',
  'done',
  'mkdir -p "$r/alloc" "$r/dev" "$r/tmp" && mount --bind "$a" "$r/alloc" && mount -o remount,bind,nodev "$r/alloc" || exit 126',
  // The device files are bind mounts of the host's, so a nodev /dev still serves them.
  'mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$r/dev" || exit 126',
  'for d in null zero full random urandom tty; do touch "$r/dev/$d" && mount --bind "/dev/$d" "$r/dev/$d" || exit 126; done',
  'mkdir -p "$r/dev/shm" && mount -t tmpfs -o nosuid,nodev tmpfs "$r/dev/shm"',
  // A read-only sysfs and cgroup view, so runtimes (the JVM) can read their own limits.
  'mkdir -p "$r/sys" && mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys" || exit 126',
  'if [ -e /sys/fs/cgroup/cgroup.controllers ]; then',
  '  mount -t cgroup2 -o ro,nosuid,nodev,noexec cgroup2 "$r/sys/fs/cgroup"',
  'elif mount -t tmpfs -o mode=755,nosuid,nodev,noexec tmpfs "$r/sys/fs/cgroup"; then',
  '  for c in memory cpu cpuacct cpuset pids; do',
  '    [ -d "/sys/fs/cgroup/$c" ] && mkdir -p "$r/sys/fs/cgroup/$c" && mount -t cgroup -o "ro,nosuid,nodev,noexec,$c" cgroup "$r/sys/fs/cgroup/$c"',
  '  done',
  '  mount -o remount,ro "$r/sys/fs/cgroup"',
  'fi',
  // Nomad's read-only and masked paths (kernel knobs a root task could otherwise turn).
  'for p in sys sysrq-trigger irq bus; do',
  '  if [ -e "$r/proc/$p" ]; then mount --bind "$r/proc/$p" "$r/proc/$p" && mount -o remount,bind,ro "$r/proc/$p" || exit 126; fi',
  'done',
  'if [ -e "$r/proc/kcore" ]; then mount --bind /dev/null "$r/proc/kcore" || exit 126; fi',
  'if [ -d "$r/sys/firmware" ]; then mount -t tmpfs -o ro,nosuid,nodev,noexec tmpfs "$r/sys/firmware" || exit 126; fi',
  // The exit status goes out through a descriptor opened now: after the pivot the host's files
  // are out of reach, this init's included. The task does not inherit it.
  'exec 9>"$f.ns" || exit 126',
  // pivot_root stacks the old root over the new one; the lazy unmount detaches it from this
  // namespace for good, so no chroot/chdir("..") walk or /proc/1/root link leads back to the host.
  'cd "$r" && pivot_root . . && umount -l . && cd / || exit 126',
  '"$@" 9>&-',
  'rc=$?; echo $rc >&9; exit $rc',
].join('\n');

/**
 * Build the isolated command and the task's cgroup. Effects: creates cgroups; undone by
 * `cleanup` if the launch fails.
 */
export async function prepareIsolated(
  config: TaskConfig,
  stateDir: string,
  opts: IsolationOptions,
): Promise<PreparedTask> {
  const userArgv = await privilegePrefix(config, opts.caps);
  await mkdir(join(config.taskDir, 'proc'), { recursive: true });
  const cgroup = await createTaskCgroup(`${config.allocId}.${config.name}`, {
    memoryMB: config.resources.memoryMB,
    memoryMaxMB: config.resources.memoryMaxMB,
    cpuMHz: config.resources.cpuMHz,
    cores: config.resources.reservedCores ?? [],
  });
  const ns = ['--mount', '--uts', '--fork', '--propagation', 'private'];
  if (opts.pidMode === 'private') ns.push('--pid', `--mount-proc=${join(config.taskDir, 'proc')}`);
  if (opts.ipcMode === 'private') ns.push('--ipc');
  const dirs: string[] = [];
  for (const d of opts.chrootEnv) if (await exists(d)) dirs.push(d);
  if (opts.pidMode === 'host') dirs.push('/proc');
  const argv = [
    '/usr/bin/unshare',
    ...ns,
    '/bin/sh',
    '-c',
    NS_INIT,
    'tsnomad-init',
    config.taskDir,
    join(stateDir, 'exit'),
    join(config.allocDir, 'alloc'),
    String(dirs.length),
    ...dirs,
    '/usr/bin/env',
    '-C',
    opts.workDir,
    ...userArgv,
    ...opts.argv,
  ];
  return {
    argv,
    env: config.env,
    cwd: config.taskDir,
    cgroup,
    nsSupervised: true,
    cleanup: async () => {
      await destroyTaskCgroup(cgroup);
    },
  };
}

/**
 * argv that runs `command` inside a running isolated task: enter its namespaces and root, join
 * its cgroups, drop to its user. Effects: reads /proc.
 */
export async function isolatedExecArgv(
  state: ProcessState,
  config: TaskConfig,
  command: string[],
  caps: readonly string[],
): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const children = async (pid: number): Promise<number[]> =>
    (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => ''))
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  const init = (await children(state.taskPid))[0];
  const target = init === undefined ? undefined : (await children(init))[0];
  if (target === undefined)
    throw new DriverError('not-found', `task ${config.id} has no running process to exec in`);
  const files = Object.values(state.cgroup ?? {}).map((d) => join(d, 'cgroup.procs'));
  const join_ = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1"; shift; n=$((n-1)); done; exec "$@"';
  return [
    '/bin/sh',
    '-c',
    join_,
    'tsnomad-join',
    String(files.length),
    ...files,
    '/usr/bin/nsenter',
    `--target=${target}`,
    '--mount',
    '--uts',
    '--ipc',
    '--pid',
    '--root',
    '--wd',
    '--',
    ...(await privilegePrefix(config, caps)),
    ...command,
  ];
}

/** One setpriv that limits the capability bounding set and, with `user`, drops to that user. */
async function privilegePrefix(config: TaskConfig, caps: readonly string[]): Promise<string[]> {
  const prefix = ['/usr/bin/setpriv', boundingSetArg(caps)];
  if (config.user) {
    const user = await lookupUser(config.user);
    if (!user) {
      const message = `user: no such user "${config.user}"`;
      throw new DriverError('invalid-config', message, [
        { path: 'user', expected: 'a local user', actual: config.user, message },
      ]);
    }
    prefix.push(`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups');
  }
  return [...prefix, '--'];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
